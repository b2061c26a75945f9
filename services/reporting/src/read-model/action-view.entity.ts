import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ActionStatus } from './action-status';

/**
 * One row per action, as of the last event about it. Times are the events' occurred-at, so a replay
 * rebuilds the same rows.
 */
@Entity({ name: 'action_view' })
// Serves the summary's institution filter and the report's row order.
@Index('action_view_institution_due', ['institution', 'dueAt', 'actionId'])
export class ActionView {
  @PrimaryColumn('uuid', { name: 'action_id' })
  actionId: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  title: string;

  /** Null until assigned. */
  @Column('text', { nullable: true })
  institution: string | null;

  @Column('text', { default: 'not_started' })
  status: ActionStatus;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;

  @Column('integer', { name: 'reminders_sent', default: 0 })
  remindersSent: number;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
