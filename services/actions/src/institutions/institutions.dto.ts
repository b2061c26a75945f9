import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNameOrTitle, PageQuery, toBooleanFlag } from '@nmirf/platform';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  INSTITUTION_ID_RULE,
  INSTITUTION_KINDS,
  isInstitutionId,
  isUserId,
  MAX_ACRONYM_LENGTH,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_USERS,
  type InstitutionKind,
} from './institution';

function IsInstitutionId(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstitutionId',
    validator: {
      validate: (value: unknown) => isInstitutionId(value),
      defaultMessage: (args?: ValidationArguments) => `${args?.property} ${INSTITUTION_ID_RULE}`,
    },
  });
}

function IsUserIds(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUserId',
      validator: {
        validate: (value: unknown) => isUserId(value),
        defaultMessage: (args?: ValidationArguments) =>
          `each value in ${args?.property} must be a user id (the token's subject): 1 to 255 visible ASCII characters, without , or ;`,
      },
    },
    { each: true },
  );
}

const ID_EXAMPLE = 'Ministry of Justice';

/** The name in the six UN languages; English is required. */
export class InstitutionNamesDto {
  @ApiProperty({ example: 'Ministry of Justice', maxLength: MAX_NAME_LENGTH })
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  en: string;

  @ApiPropertyOptional({ example: 'Ministère de la Justice', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  fr?: string;

  @ApiPropertyOptional({ example: 'Ministerio de Justicia', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  es?: string;

  @ApiPropertyOptional({ example: 'Министерство юстиции', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  ru?: string;

  @ApiPropertyOptional({ example: '司法部', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  zh?: string;

  @ApiPropertyOptional({ example: 'وزارة العدل', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_NAME_LENGTH)
  ar?: string;
}

/** The fields a coordinator writes; PUT replaces them all (the id stays). */
export class InstitutionFieldsDto {
  @ApiProperty({ enum: INSTITUTION_KINDS })
  @IsIn(INSTITUTION_KINDS)
  kind: InstitutionKind;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The parent institution’s id' })
  @IsOptional()
  @IsInstitutionId()
  parentId?: string | null;

  @ApiProperty({ type: InstitutionNamesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstitutionNamesDto)
  names: InstitutionNamesDto;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_ACRONYM_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_ACRONYM_LENGTH)
  acronym?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Token subjects of the focal points' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_USERS)
  @IsUserIds()
  focalPointIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Token subjects of the validators' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_USERS)
  @IsUserIds()
  validatorIds?: string[];
}

export class CreateInstitutionDto extends InstitutionFieldsDto {
  @ApiProperty({
    example: ID_EXAMPLE,
    maxLength: MAX_ID_LENGTH,
    description: 'Stable id: the value the access token’s institutions claim carries for its members',
  })
  @IsInstitutionId()
  id: string;
}

export class UpdateInstitutionDto extends InstitutionFieldsDto {
  @ApiPropertyOptional({ description: 'Absent: unchanged' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class InstitutionParams {
  @ApiProperty({ example: ID_EXAMPLE })
  @IsInstitutionId()
  id: string;
}

export class ListInstitutionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the id, of a name in any language or of the acronym' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: INSTITUTION_KINDS })
  @IsOptional()
  @IsIn(INSTITUTION_KINDS)
  kind?: InstitutionKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInstitutionId()
  parentId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Entries the migration created from unmatched names' })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  needsReview?: boolean;
}
