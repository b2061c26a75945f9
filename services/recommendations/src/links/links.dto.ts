import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@nmirf/platform';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { LINK_STATUSES, type LinkStatus } from './recommendation-link.entity';

export class LinksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LINK_STATUSES })
  @IsOptional()
  @IsIn(LINK_STATUSES)
  status?: LinkStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  recommendationId?: string;

  @ApiPropertyOptional({ example: 'SVN' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166 alpha-3 code such as SVN' })
  state?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  minScore?: number;
}

export class LinkDecisionDto {
  @ApiProperty({ enum: ['confirmed', 'rejected'] })
  @IsIn(['confirmed', 'rejected'])
  decision: 'confirmed' | 'rejected';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ManualLinkDto {
  @ApiProperty()
  @IsUUID()
  a: string;

  @ApiProperty()
  @IsUUID()
  b: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class DetectLinksDto {
  @ApiProperty({ example: 'SVN', description: 'The State whose recommendations to compare' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166 alpha-3 code such as SVN' })
  state: string;
}
