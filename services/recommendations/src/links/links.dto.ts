import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@nmirf/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsStateCode } from '../taxonomy/state-fields';
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

  @ApiPropertyOptional({ example: 'SVN', description: 'ISO 3166 alpha-3 code or name' })
  @IsOptional()
  @IsStateCode()
  state?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  // Only decimal text is a score: Number() would read "" as 0 and "0x1" as 1.
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value,
  )
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
  @ApiProperty({
    example: 'SVN',
    description: 'The State whose recommendations to compare: ISO 3166 alpha-3 code or name',
  })
  @IsStateCode()
  state: string;
}
