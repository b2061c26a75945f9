import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { OVERRIDE_CHANGES, type OverrideChange } from './implementation-override.entity';
import {
  IMPLEMENTATION_STATUSES,
  type DerivedImplementationStatus,
  type ImplementationStatus,
} from './implementation-status';

const DERIVED_STATUSES = IMPLEMENTATION_STATUSES.filter((status) => status !== 'no_longer_applicable');

/** Prose, possibly on several lines, but never blank. */
const IsJustification = () =>
  applyDecorators(
    IsString(),
    Matches(/\S/, { message: 'justification must not be blank' }),
    MaxLength(5_000),
  );

export class OverrideImplementationStatusDto {
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES })
  @IsIn(IMPLEMENTATION_STATUSES)
  status: ImplementationStatus;

  @ApiProperty({
    maxLength: 5_000,
    example: 'The Criminal Code amendment of 2025 repealed the provision the recommendation is about.',
    description: 'Why the status is set by hand; kept in the history',
  })
  @IsJustification()
  justification: string;
}

export class RemoveOverrideDto {
  @ApiProperty({
    maxLength: 5_000,
    example: 'Follow the actions again: a new action plan was adopted.',
    description: 'Why the status goes back to what the actions say; kept in the history',
  })
  @IsJustification()
  justification: string;
}

export class ImplementationOverrideDto {
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES }) status: ImplementationStatus;
  @ApiProperty() justification: string;
  @ApiProperty({ description: 'The coordinator’s token subject' }) decidedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) decidedAt: Date;
}

export class OverrideHistoryEntryDto {
  @ApiProperty({ enum: OVERRIDE_CHANGES }) change: OverrideChange;
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES, description: 'The status set, or the one removed' })
  status: ImplementationStatus;
  @ApiProperty() justification: string;
  @ApiProperty({ description: 'The coordinator’s token subject' }) decidedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) decidedAt: Date;
}

export class ImplementationStatusDto {
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ enum: DERIVED_STATUSES, description: 'What the recommendation’s actions say' })
  derived: DerivedImplementationStatus;
  @ApiProperty({ type: ImplementationOverrideDto, nullable: true })
  override: ImplementationOverrideDto | null;
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES, description: 'The override if there is one, else derived' })
  effective: ImplementationStatus;
  @ApiProperty({ type: [OverrideHistoryEntryDto], description: 'Overrides set and removed, oldest first' })
  history: OverrideHistoryEntryDto[];
}
