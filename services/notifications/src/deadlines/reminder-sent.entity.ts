import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A reminder (or, with a negative offset, the escalation) that went out for one due date. The key
 * makes each one happen once however often its job runs; a new due date gets fresh reminders.
 */
@Entity({ name: 'reminders_sent' })
export class ReminderSent {
  @PrimaryColumn('uuid', { name: 'action_id' })
  actionId: string;

  @PrimaryColumn('integer', { name: 'offset_seconds' })
  offsetSeconds: number;

  @PrimaryColumn('timestamptz', { name: 'due_at' })
  dueAt: Date;

  /** The institution's notification; an escalation also writes one for the coordinator. */
  @Column('uuid', { name: 'notification_id' })
  notificationId: string;

  @CreateDateColumn({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
