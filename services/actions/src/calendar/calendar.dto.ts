import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CALENDAR_LANGS, type CalendarLang } from './calendar-messages';
import { CALENDAR_MECHANISMS, REPORTING_TREATY_BODIES, type CalendarMechanism } from './milestone';
import { DEADLINE_KINDS, type DeadlineKind } from './reporting-deadline';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = 'must be a calendar day, YYYY-MM-DD';
const MILESTONE_KINDS = ['upr_outcome', 'concluding_observations', 'manual'] as const;

export class NextPeriodicReportDto {
  @ApiProperty({ example: '2029-10-31' })
  @Matches(DAY, { message: `dueOn ${DAY_MESSAGE}` })
  dueOn: string;

  @ApiPropertyOptional({ example: '8', description: 'Defaults to the report after the one examined' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  number?: string;
}

/**
 * One milestone: a UPR outcome, a committee's concluding observations or a manual entry, told apart
 * by `kind`. Shapes and types are checked here (400); the calendar's rules check the rest (422 naming
 * the field).
 */
export class MilestoneDto {
  @ApiProperty({ enum: MILESTONE_KINDS })
  @IsIn(MILESTONE_KINDS)
  kind: (typeof MILESTONE_KINDS)[number];

  @ApiProperty({ example: 'SVN', description: 'ISO 3166 alpha-3 code of the State' })
  @IsString()
  @MaxLength(3)
  state: string;

  @ApiPropertyOptional({ description: 'upr_outcome: the UPR cycle', example: 4 })
  @IsOptional()
  @IsInt()
  cycle?: number;

  @ApiPropertyOptional({ description: 'upr_outcome, concluding_observations', example: 'A/HRC/58/15' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  documentSymbol?: string;

  @ApiPropertyOptional({ description: 'upr_outcome: the review in the Working Group' })
  @IsOptional()
  @Matches(DAY, { message: `reviewedOn ${DAY_MESSAGE}` })
  reviewedOn?: string;

  @ApiPropertyOptional({ description: 'upr_outcome, concluding_observations: the adoption' })
  @IsOptional()
  @Matches(DAY, { message: `adoptedOn ${DAY_MESSAGE}` })
  adoptedOn?: string;

  @ApiPropertyOptional({ description: 'upr_outcome: the next review, once scheduled' })
  @IsOptional()
  @Matches(DAY, { message: `nextReviewOn ${DAY_MESSAGE}` })
  nextReviewOn?: string;

  @ApiPropertyOptional({ description: 'upr_outcome: OHCHR’s deadline for the next national report' })
  @IsOptional()
  @Matches(DAY, { message: `nationalReportDueOn ${DAY_MESSAGE}` })
  nationalReportDueOn?: string;

  @ApiPropertyOptional({
    enum: [...REPORTING_TREATY_BODIES],
    description: 'concluding_observations: the committee; manual: the body as named',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  body?: string;

  @ApiPropertyOptional({ type: [String], example: ['12', '24 (b)'], description: 'concluding_observations' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  followUpParagraphs?: string[];

  @ApiPropertyOptional({ description: 'concluding_observations: the follow-up date the document sets' })
  @IsOptional()
  @Matches(DAY, { message: `followUpDueOn ${DAY_MESSAGE}` })
  followUpDueOn?: string;

  @ApiPropertyOptional({ type: NextPeriodicReportDto, description: 'concluding_observations' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NextPeriodicReportDto)
  nextPeriodicReport?: NextPeriodicReportDto;

  @ApiPropertyOptional({ enum: CALENDAR_MECHANISMS, description: 'manual' })
  @IsOptional()
  @IsIn(CALENDAR_MECHANISMS)
  mechanism?: CalendarMechanism;

  @ApiPropertyOptional({ description: 'manual: the coordinator’s reference, unique within the body' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ description: 'manual: shown as typed' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({ description: 'manual: the due day' })
  @IsOptional()
  @Matches(DAY, { message: `dueOn ${DAY_MESSAGE}` })
  dueOn?: string;
}

export class UpdateManualEntryDto {
  @ApiProperty({ maxLength: 500, example: 'Annual report on the national action plan' })
  @IsString()
  @MaxLength(500)
  title: string;

  @ApiProperty({ example: '2027-03-31' })
  @Matches(DAY, { message: `dueOn ${DAY_MESSAGE}` })
  dueOn: string;
}

export class CalendarQuery {
  @ApiPropertyOptional({ description: 'Due on or after this day' })
  @IsOptional()
  @Matches(DAY, { message: `from ${DAY_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: `from must be a day of the calendar` })
  from?: string;

  @ApiPropertyOptional({ description: 'Due on or before this day' })
  @IsOptional()
  @Matches(DAY, { message: `to ${DAY_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: `to must be a day of the calendar` })
  to?: string;

  @ApiPropertyOptional({ enum: CALENDAR_MECHANISMS })
  @IsOptional()
  @IsIn(CALENDAR_MECHANISMS)
  mechanism?: CalendarMechanism;

  @ApiPropertyOptional({ enum: DEADLINE_KINDS })
  @IsOptional()
  @IsIn(DEADLINE_KINDS)
  kind?: DeadlineKind;

  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @ApiPropertyOptional({
    enum: CALENDAR_LANGS,
    description: 'Adds the title and description in this language',
  })
  @IsOptional()
  @IsIn(CALENDAR_LANGS)
  lang?: CalendarLang;
}

export class FeedQuery {
  @ApiPropertyOptional({ enum: CALENDAR_LANGS, default: 'en' })
  @IsOptional()
  @IsIn(CALENDAR_LANGS)
  lang?: CalendarLang;
}

export class CalendarMessageDto {
  @ApiProperty({ description: 'A key of the calendar’s message catalogue' }) key: string;
  @ApiProperty({ type: Object }) params: Record<string, unknown>;
}

export class CalendarEntryDto {
  @ApiProperty({ format: 'uuid', description: 'Stable: the same deadline keeps it across imports' })
  id: string;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind: DeadlineKind;
  @ApiProperty() state: string;
  @ApiProperty({ enum: CALENDAR_MECHANISMS }) mechanism: CalendarMechanism;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'UPR cycle, report number(s), or a manual entry’s reference' }) cycle: string;
  @ApiProperty({ example: '2027-07-31' }) dueOn: string;
  @ApiProperty() estimated: boolean;
  @ApiProperty({ nullable: true, type: String }) source: string | null;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty() sequence: number;
  @ApiProperty({ type: CalendarMessageDto }) title: CalendarMessageDto;
  @ApiProperty({ type: CalendarMessageDto }) description: CalendarMessageDto;
  @ApiPropertyOptional({ description: 'The title in the language asked for' }) titleText?: string;
  @ApiPropertyOptional({ description: 'The description in the language asked for' }) descriptionText?: string;
}

export class AppliedMilestoneDto {
  @ApiProperty({ type: [CalendarEntryDto] }) added: CalendarEntryDto[];
  @ApiProperty({ type: [CalendarEntryDto] }) updated: CalendarEntryDto[];
  @ApiProperty({ type: [CalendarEntryDto] }) closed: CalendarEntryDto[];
}

export class DocumentToConfirmDto {
  @ApiProperty({ example: 'A/HRC/58/15' }) documentSymbol: string;
  @ApiProperty({ example: 'SVN' }) state: string;
  @ApiProperty({ enum: ['upr', 'treaty_body'] }) mechanism: 'upr' | 'treaty_body';
  @ApiProperty({ example: 'UPR' }) body: string;
  @ApiProperty({ nullable: true, type: Number }) uprCycle: number | null;
  @ApiProperty({ nullable: true, type: Number }) uprSession: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) firstSeenAt: Date;
  @ApiProperty({ type: Object, description: 'The milestone to complete with its dates' }) milestone: object;
}
