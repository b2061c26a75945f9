import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoundedInt, IsNameOrTitle } from '@nmirf/platform';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { POSITIONS, type Position } from './recommendation.entity';

export class CreateRecommendationDto {
  @ApiProperty({
    example: 'UPR',
    description: 'UPR, a treaty body code (CEDAW, CRC…), a mandate or a regional body',
  })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  body: string;

  @ApiProperty({ example: 'A/HRC/43/15' })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
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
  @MaxLength(32_767)
  text: string;

  @ApiPropertyOptional({ example: ['Ukraine', 'FRA'], description: 'Names or ISO 3166 alpha-3 codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNameOrTitle({ each: true })
  @MaxLength(100, { each: true })
  recommendingStates?: string[];

  @ApiPropertyOptional({ enum: POSITIONS, default: 'pending' })
  @IsOptional()
  @IsIn(POSITIONS)
  position?: Position;

  @ApiPropertyOptional({ example: 'SVN', description: 'ISO 3166 alpha-3 code or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stateUnderReview?: string;

  @ApiPropertyOptional({ example: 34 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 200 })
  uprSession?: number;

  @ApiPropertyOptional({ enum: ['ar', 'zh', 'en', 'fr', 'ru', 'es'], default: 'en' })
  @IsOptional()
  @IsIn(['ar', 'zh', 'en', 'fr', 'ru', 'es'])
  language?: string;
}

export class SetPositionDto {
  @ApiProperty({ enum: POSITIONS })
  @IsIn(POSITIONS)
  position: Position;

  @ApiProperty({ example: 'Accepted at the mid-term review after the law on ... was adopted.' })
  @IsString()
  @MinLength(3, { message: 'justification must say why the position is what it is' })
  @MaxLength(5000)
  justification: string;
}
