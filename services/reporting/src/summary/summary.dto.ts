import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class SummaryQuery {
  @ApiPropertyOptional({
    example: 'ministry-of-justice',
    description: 'Only the actions this institution leads (its directory id, or its English name)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  institution?: string;
}

export class StatusCountsDto {
  @ApiProperty() not_started: number;
  @ApiProperty() in_progress: number;
  @ApiProperty() blocked: number;
  @ApiProperty() completed: number;
  @ApiProperty() cancelled: number;
}

export class ImplementationCountsDto {
  @ApiProperty() not_started: number;
  @ApiProperty() in_progress: number;
  @ApiProperty() partially_implemented: number;
  @ApiProperty() implemented: number;
  @ApiProperty() no_longer_applicable: number;
}

export class InstitutionSummaryDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The lead institution’s directory id; null when unassigned',
  })
  institutionId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its English name; null for unassigned actions' })
  institution: string | null;
  @ApiProperty() total: number;
  @ApiProperty({ type: StatusCountsDto }) byStatus: StatusCountsDto;
  @ApiProperty({ description: 'Neither completed nor cancelled, and past the due date' }) overdue: number;
}

export class SummaryDto {
  @ApiProperty({ type: String, format: 'date-time' }) asOf: Date;
  @ApiProperty() total: number;
  @ApiProperty({ type: StatusCountsDto }) byStatus: StatusCountsDto;
  @ApiProperty() overdue: number;
  @ApiProperty({ type: [InstitutionSummaryDto] }) byInstitution: InstitutionSummaryDto[];
  @ApiProperty({
    type: ImplementationCountsDto,
    description:
      'Recommendations by implementation status, rolled up from their actions; with institution, those it has actions for',
  })
  byImplementationStatus: ImplementationCountsDto;
}
