import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNameOrTitle } from '@nmirf/platform';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsStateCode } from '../taxonomy/state-fields';

const BASES = ['theme', 'group', 'sdg', 'heading', 'linked'] as const;

export class CreateClusterDto {
  @ApiProperty({ example: 'Roma inclusion' })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  recommendationIds?: string[];
}

export class MembersDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  recommendationIds: string[];
}

export class SuggestionsQuery {
  @ApiProperty({ enum: BASES })
  @IsIn(BASES)
  basis: (typeof BASES)[number];

  @ApiPropertyOptional({ example: 'SVN', description: 'ISO 3166 alpha-3 code or name' })
  @IsOptional()
  @IsStateCode()
  state?: string;
}

export class AcceptSuggestionsDto extends SuggestionsQuery {
  @ApiPropertyOptional({ description: 'Only these suggestions; all when omitted', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  keys?: string[];
}
