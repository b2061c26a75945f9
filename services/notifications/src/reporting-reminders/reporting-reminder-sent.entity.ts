import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ReminderSubjectKind } from './reporting-reminder-plan';

/**
 * A reminder (or, with a negative offset, an indicator's overdue notice) that went out for one due
 * day of a reporting deadline or an indicator. The key makes each happen once however often its job
 * runs; a new due day gets fresh reminders.
 */
@Entity({ name: 'reporting_reminders_sent' })
@Check('reporting_reminders_sent_subject_kind', `subject_kind IN ('reporting_deadline', 'indicator')`)
export class ReportingReminderSent {
  @PrimaryColumn('text', { name: 'subject_kind' })
  subjectKind: ReminderSubjectKind;

  @PrimaryColumn('uuid', { name: 'subject_id' })
  subjectId: string;

  @PrimaryColumn('integer', { name: 'offset_seconds' })
  offsetSeconds: number;

  @PrimaryColumn('date', { name: 'due_on' })
  dueOn: string;

  /** The first of the notifications it wrote. */
  @Column('uuid', { name: 'notification_id' })
  notificationId: string;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
