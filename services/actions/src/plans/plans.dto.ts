import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNameOrTitle, IsStrictDateTime, PageQuery } from '@nmirf/platform';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PLAN_KINDS, STATE_CODE, type PlanKind } from './plan';

export class PlanDto {
  @ApiProperty({ example: 'SVN', description: 'ISO 3166-1 alpha-3' })
  @IsString()
  @Matches(STATE_CODE, { message: 'state must be an ISO 3166-1 alpha-3 code such as SVN' })
  state: string;

  @ApiProperty({ example: 'UPR fourth cycle implementation plan 2025–2029', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(500)
  title: string;

  @ApiProperty({ enum: PLAN_KINDS })
  @IsIn(PLAN_KINDS)
  kind: PlanKind;

  @ApiProperty({ type: String, format: 'date', example: '2025-01-01' })
  @IsStrictDateTime({ dateOnly: true })
  periodStart: Date;

  @ApiProperty({ type: String, format: 'date', example: '2029-12-31' })
  @IsStrictDateTime({ dateOnly: true })
  periodEnd: Date;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({ description: 'Anonymous readers see published plans only', default: false })
  @IsOptional()
  @IsBoolean()
  published?: boolean;
}

export class ListPlansQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'SVN' })
  @IsOptional()
  @IsString()
  @Matches(STATE_CODE, { message: 'state must be an ISO 3166-1 alpha-3 code such as SVN' })
  state?: string;
}
