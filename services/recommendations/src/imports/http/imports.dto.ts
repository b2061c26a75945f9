import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoundedInt, IsNameOrTitle, PageQuery, toBooleanFlag } from '@nmirf/platform';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsStateCode } from '../../taxonomy/state-fields';
import { IMPORT_FORMATS, type ImportFormat } from '../import.entity';
import type { RowOutcome } from '../import-row.entity';

/** Form fields that come with an uploaded file. */
export class StartImportDto {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, description: 'Detected from the file when omitted' })
  @IsOptional()
  @IsIn(IMPORT_FORMATS)
  format?: ImportFormat;

  @ApiPropertyOptional({ default: false, description: 'Preview: report what would change, change nothing' })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  dryRun = false;

  @ApiPropertyOptional({
    default: false,
    description:
      'Apply the valid rows even when others are rejected (by default one rejected row stops the import)',
  })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  skipInvalid = false;

  @ApiPropertyOptional({
    example: 'A/HRC/43/15',
    description:
      'Matrices: the outcome report, when rows lack it; UHRI exports: the document of the rows whose "Document Symbol" is empty',
  })
  @IsOptional()
  @IsString()
  @IsNameOrTitle()
  @MaxLength(100)
  documentSymbol?: string;

  @ApiPropertyOptional({
    example: 'SVN',
    description: 'Matrices: the State under review (ISO 3166 alpha-3 code or name)',
  })
  @IsOptional()
  @IsStateCode()
  stateUnderReview?: string;

  @ApiPropertyOptional({ example: 34, description: 'Matrices: the UPR session' })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 200 })
  uprSession?: number;
}

export class ImportRowsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['created', 'updated', 'unchanged', 'rejected'] })
  @IsOptional()
  @IsIn(['created', 'updated', 'unchanged', 'rejected'])
  outcome?: RowOutcome;
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx' = 'csv';
}
