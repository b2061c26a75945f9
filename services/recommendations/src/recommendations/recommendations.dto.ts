import { PageQuery } from '@nmirf/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { POSITIONS, type Position } from './recommendation.entity';

export class CreateRecommendationDto {
  @ApiProperty({
    example: 'UPR',
    description: 'UPR, a treaty body code (CEDAW, CRC…), SR-…, a regional body, or NAP',
  })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9 ._-]{0,49}$/, {
    message: 'mechanism must be a short code such as UPR or CEDAW',
  })
  mechanism: string;

  @ApiProperty({ example: 'A/HRC/43/15' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  documentSymbol: string;

  @ApiProperty({ example: '143.1' })
  @IsString()
  @Matches(/^[0-9]+(\.[0-9]+)*[a-z]?$/, { message: 'paragraph must look like 143.1 or 49' })
  paragraph: string;

  @ApiProperty({
    example:
      'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  text: string;

  @ApiPropertyOptional({ example: ['Ukraine', 'France'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  recommendingStates?: string[];

  @ApiPropertyOptional({ enum: POSITIONS, default: 'pending' })
  @IsOptional()
  @IsIn(POSITIONS)
  position?: Position;
}

export class ListRecommendationsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  mechanism?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  documentSymbol?: string;
}
