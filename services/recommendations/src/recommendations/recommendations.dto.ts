import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
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
  @MaxLength(200)
  body: string;

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
  @MaxLength(32_767)
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

  @ApiPropertyOptional({ example: 'SVN' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stateUnderReview?: string;

  @ApiPropertyOptional({ example: 34 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
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
