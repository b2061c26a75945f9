import { IsNameOrTitle, PageQuery } from '@nmirf/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  ArrayNotEmpty,
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
} from 'class-validator';
import { REPORT_LANGUAGES, type ReportLanguage } from '../documents/messages';
import {
  ANNEX_GROUPINGS,
  REPORT_FORMATS,
  REPORT_KINDS,
  type AnnexGrouping,
  type ReportFormat,
  type ReportKind,
} from './report.entity';

export class RequestReportDto {
  @ApiProperty({
    enum: REPORT_KINDS,
    example: 'action-progress',
    description:
      'action-progress (csv); upr-annex (docx, pdf, xlsx: state, cycle); treaty-follow-up (docx, pdf: committee, state, documentSymbol, paragraphs); task-list (pdf, xlsx: institution); thematic-matrix (docx, xlsx: state, cycle)',
  })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiProperty({ enum: REPORT_FORMATS, example: 'csv', description: 'Which ones a kind allows: see kind' })
  @IsIn(REPORT_FORMATS)
  format: ReportFormat;

  @ApiPropertyOptional({
    enum: REPORT_LANGUAGES,
    default: 'en',
    description: 'Headings, labels and status names',
  })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  language?: ReportLanguage;

  @ApiPropertyOptional({
    example: 'Ministry of Justice',
    description: 'Task list and action progress: the institution',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution?: string;

  @ApiPropertyOptional({ example: 'SVN', description: 'The State under review, ISO 3166 alpha-3' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'state must be an ISO 3166 alpha-3 code such as SVN' })
  state?: string;

  @ApiPropertyOptional({ example: 3, minimum: 1, maximum: 20, description: 'UPR cycle' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  cycle?: number;

  @ApiPropertyOptional({ example: 'CEDAW', description: 'Treaty body' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z][A-Za-z-]{1,15}$/, { message: 'committee must be a treaty body code such as CEDAW' })
  committee?: string;

  @ApiPropertyOptional({ example: 'CEDAW/C/SVN/CO/7', description: 'The concluding observations' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/.()-]{1,99}$/, { message: 'documentSymbol must be a UN document symbol' })
  documentSymbol?: string;

  @ApiPropertyOptional({ example: ['14', '28(b)'], description: 'The paragraphs marked for follow-up' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^[0-9A-Za-z][0-9A-Za-z.()-]{0,19}$/, {
    each: true,
    message: 'each paragraph must be like 14 or 28(b)',
  })
  paragraphs?: string[];

  @ApiPropertyOptional({
    enum: ANNEX_GROUPINGS,
    default: 'theme',
    description:
      'UPR annex and thematic matrix: sections by first theme (as the OHCHR matrices) or by national cluster (a recommendation under each of its clusters)',
  })
  @IsOptional()
  @IsIn(ANNEX_GROUPINGS)
  groupBy?: AnnexGrouping;
}

export class ListReportsQuery extends PageQuery {}
