import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class ReportingDeadlinesQuery {
  @ApiPropertyOptional({ description: 'Only open (true) or closed (false) deadlines' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;
}

export class PlannedReminderDto {
  @ApiProperty({ description: 'Seconds before the due date; 0 on the day' }) offsetSeconds: number;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class SentReportingReminderDto {
  @ApiProperty({ description: 'Seconds before the due day; 0 on the day' }) offsetSeconds: number;
  @ApiProperty({ example: '2027-09-28', description: 'The due day it was sent for' }) dueOn: string;
  @ApiProperty({ format: 'uuid' }) notificationId: string;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
}

export class ReportingDeadlineView {
  @ApiProperty({ format: 'uuid', description: 'The calendar entry’s id in the actions service' })
  deadlineId: string;
  @ApiProperty({ description: 'The inbox it belongs to: the coordinator’s' }) institution: string;
  @ApiProperty({ example: 'upr_mid_term_report' }) kind: string;
  @ApiProperty() state: string;
  @ApiProperty() mechanism: string;
  @ApiProperty() body: string;
  @ApiProperty() cycle: string;
  @ApiProperty({ description: 'A key of the calendar’s six-language catalogue' }) titleKey: string;
  @ApiProperty({ type: Object }) titleParams: object;
  @ApiProperty({ example: '2027-09-28' }) dueOn: string;
  @ApiProperty() estimated: boolean;
  @ApiProperty({ nullable: true, type: String }) source: string | null;
  @ApiProperty() open: boolean;
  @ApiProperty() sequence: number;
  @ApiProperty({ type: [PlannedReminderDto], description: 'Reminders still to come, earliest last' })
  reminders: PlannedReminderDto[];
  @ApiProperty({
    type: [SentReportingReminderDto],
    description: 'Reminders already in the coordinator’s inbox, for every due day it has had, oldest first',
  })
  remindersSent: SentReportingReminderDto[];
}

export class ReportingDeadlineListDto {
  @ApiProperty({ type: [ReportingDeadlineView] }) items: ReportingDeadlineView[];
}
