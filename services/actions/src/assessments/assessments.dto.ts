import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNameOrTitle, PageQuery } from '@nmirf/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  ASSESSMENT_STATUSES,
  FILE_NAME_RULE,
  isEvidenceUrl,
  isFileName,
  isNarrative,
  LINK_RULE,
  MAX_FILE_NAME_LENGTH,
  MAX_LINK_TITLE_LENGTH,
  MAX_LINKS,
  MAX_NARRATIVE_LENGTH,
  MAX_ORGANISATION_LENGTH,
  MAX_URL_LENGTH,
  NARRATIVE_RULE,
  type AssessmentContent,
  type AssessmentStatus,
} from './assessment';

const rule = (name: string, test: (value: unknown) => boolean, text: string): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: test,
      defaultMessage: (args?: ValidationArguments) => `${args?.property} ${text}`,
    },
  });

export class EvidenceLinkDto {
  @ApiProperty({ example: 'https://www.varuh-rs.si/en/annual-report-2025', maxLength: MAX_URL_LENGTH })
  @rule('isEvidenceUrl', isEvidenceUrl, LINK_RULE)
  url: string;

  @ApiPropertyOptional({ example: 'Annual report 2025, chapter 4', maxLength: MAX_LINK_TITLE_LENGTH })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_LINK_TITLE_LENGTH)
  title?: string;
}

export class AssessmentContentDto {
  @ApiProperty({
    enum: ASSESSMENT_STATUSES,
    description: 'The author’s view, in the government’s implementation-status vocabulary',
  })
  @IsIn(ASSESSMENT_STATUSES)
  status: AssessmentStatus;

  @ApiProperty({ maxLength: MAX_NARRATIVE_LENGTH, description: 'Paragraphs (line breaks) allowed' })
  @rule('isNarrative', isNarrative, NARRATIVE_RULE)
  narrative: string;

  @ApiPropertyOptional({ type: [EvidenceLinkDto], maxItems: MAX_LINKS, description: 'Evidence on the web' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINKS)
  @ValidateNested({ each: true })
  @Type(() => EvidenceLinkDto)
  links?: EvidenceLinkDto[];
}

export class CreateAssessmentDto extends AssessmentContentDto {
  @ApiPropertyOptional({
    example: 'Human Rights Ombudsman',
    maxLength: MAX_ORGANISATION_LENGTH,
    description:
      'The author organisation: one of the institutions your sign-in carries. Required when it carries several.',
  })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(MAX_ORGANISATION_LENGTH)
  organisation?: string;
}

export class UpdateAssessmentDto extends AssessmentContentDto {}

export class RecommendationParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class AssessmentParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class AssessmentFileParams extends AssessmentParams {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The file’s SHA-256, as the assessment lists it' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hexadecimal digits' })
  sha256: string;
}

export class FileNameQuery {
  @ApiProperty({ example: 'annual-report-2025.pdf', maxLength: MAX_FILE_NAME_LENGTH })
  @rule('isFileName', isFileName, FILE_NAME_RULE)
  name: string;
}

export class ListAssessmentsQuery extends PageQuery {}

export function contentOf(body: AssessmentContentDto): AssessmentContent {
  return {
    status: body.status,
    narrative: body.narrative,
    links: (body.links ?? []).map((link) => ({ url: link.url, title: link.title ?? null })),
  };
}
