import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoundedInt, IsNameOrTitle, SMALLINT_MAX } from '@nmirf/platform';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { MECHANISM_KINDS, RECOMMENDATION_TYPES } from '../recommendations/recommendation.entity';
import { IsStateCode, toStateCode } from '../taxonomy/state-fields';

/** The most ids one bulk request may list; a filter covers more. */
export const MAX_PUBLICATION_IDS = 1000;

export class PublicationDto {
  @ApiProperty({ description: 'true: anonymous readers see it; false: only signed-in users do' })
  @IsBoolean()
  published: boolean;
}

const codes = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? toStateCode(item) : item)) : value;

/** The search criteria a bulk publication may select by. */
export class PublicationFilterDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_PUBLICATION_IDS })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PUBLICATION_IDS)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ example: ['A/HRC/43/15'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNameOrTitle({ each: true })
  @MaxLength(100, { each: true })
  documentSymbol?: string[];

  @ApiPropertyOptional({ enum: MECHANISM_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(MECHANISM_KINDS, { each: true })
  mechanism?: string[];

  @ApiPropertyOptional({ example: ['UPR', 'CEDAW'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNameOrTitle({ each: true })
  @MaxLength(100, { each: true })
  body?: string[];

  @ApiPropertyOptional({ example: [3], description: 'UPR cycle' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsBoundedInt({ min: 1, max: SMALLINT_MAX, each: true })
  cycle?: number[];

  @ApiPropertyOptional({ example: [34], description: 'UPR session' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsBoundedInt({ min: 1, max: SMALLINT_MAX, each: true })
  session?: number[];

  @ApiPropertyOptional({ example: ['SVN'], description: 'State under review: ISO 3166 alpha-3 code or name' })
  @IsOptional()
  @Transform(codes)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsStateCode({ each: true })
  state?: string[];

  @ApiPropertyOptional({ enum: RECOMMENDATION_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(RECOMMENDATION_TYPES, { each: true })
  type?: string[];

  @ApiPropertyOptional({ description: 'Members of a cluster' })
  @IsOptional()
  @IsUUID()
  cluster?: string;
}

/**
 * Publish or unpublish every recommendation the criteria select, combined (AND). No criterion
 * selects nothing unless `all` is true: the whole catalogue is never changed by an omission.
 */
export class BulkPublicationDto extends PublicationFilterDto {
  @ApiProperty({ description: 'true: anonymous readers see them; false: only signed-in users do' })
  @IsBoolean()
  published: boolean;

  @ApiPropertyOptional({ default: false, description: 'The whole catalogue, when no criterion is given' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}
