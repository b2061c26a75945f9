import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PageQuery } from '@nmirf/platform';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
  Matches,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import {
  COMMENTS_RULE,
  FILE_NAME_RULE,
  isComments,
  isFileName,
  isNarrative,
  isPercentage,
  MAX_COMMENTS_LENGTH,
  MAX_FILE_NAME_LENGTH,
  MAX_NARRATIVE_LENGTH,
  NARRATIVE_RULE,
  PERCENTAGE_RULE,
  type ReportContent,
} from './progress-report';
import { REPORT_STATUSES, type ReportStatus } from '../workflow';

const rule = (name: string, test: (value: unknown) => boolean, text: string): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: test,
      defaultMessage: (args?: ValidationArguments) => `${args?.property} ${text}`,
    },
  });

export class ReportContentDto {
  @ApiProperty({ maxLength: MAX_NARRATIVE_LENGTH, description: 'What was done; paragraphs allowed' })
  @rule('isNarrative', isNarrative, NARRATIVE_RULE)
  narrative: string;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'How much of the action is done, in per cent' })
  @Type(() => Number)
  @rule('isPercentage', isPercentage, PERCENTAGE_RULE)
  percentage: number;

  @ApiPropertyOptional({
    default: false,
    description: 'The report says the action is done; only the lead institution’s may',
  })
  @IsOptional()
  @IsBoolean()
  final?: boolean;
}

export class ReturnReportDto {
  @ApiProperty({ maxLength: MAX_COMMENTS_LENGTH, description: 'What the report must change' })
  @rule('isComments', isComments, COMMENTS_RULE)
  comments: string;
}

export class PublishReportDto {
  @ApiPropertyOptional({
    maxLength: MAX_NARRATIVE_LENGTH,
    description: 'A public summary, shown to anonymous readers instead of the narrative',
  })
  @IsOptional()
  @rule('isNarrative', isNarrative, NARRATIVE_RULE)
  summary?: string;
}

export class ListReportsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REPORT_STATUSES, description: 'Only reports in this status' })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export class ActionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ReportParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ReportFileParams extends ReportParams {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The file’s SHA-256, as the report lists it' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hexadecimal digits' })
  sha256: string;
}

export class FileNameQuery {
  @ApiProperty({ example: 'training-attendance-2026.pdf', maxLength: MAX_FILE_NAME_LENGTH })
  @rule('isFileName', isFileName, FILE_NAME_RULE)
  name: string;
}

export const contentOf = (body: ReportContentDto): ReportContent => ({
  narrative: body.narrative,
  percentage: body.percentage,
  final: body.final ?? false,
});
