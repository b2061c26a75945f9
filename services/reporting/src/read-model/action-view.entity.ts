import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ActionStatus } from './action-status';

/**
 * One row per action, as of the last event about it. Times are the events' occurred-at, so a replay
 * rebuilds the same rows.
 */
@Entity({ name: 'action_view' })
// Serves the summary's institution filter and the report's row order.
@Index('action_view_institution_due', ['institution', 'dueAt', 'actionId'])
// Partial indexes of the dashboards (migration 1766000000020).
@Index('action_view_open_due', { synchronize: false })
@Index('action_view_public_open_due', { synchronize: false })
@Index('action_view_plan', ['planId'])
@Index('action_view_due', ['dueAt', 'actionId'])
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

  /** The rest comes from ActionChanged, the whole action (directory ids, not names). */
  @Column('text', { name: 'lead_institution_id', nullable: true })
  leadInstitutionId: string | null;

  @Column('text', { name: 'supporting_institution_ids', array: true, default: '{}' })
  supportingInstitutionIds: string[];

  /** Every recommendation the action serves, the primary one first. */
  @Column('uuid', { name: 'recommendation_ids', array: true, default: '{}' })
  recommendationIds: string[];

  @Column('uuid', { name: 'plan_id', nullable: true })
  planId: string | null;

  /** The workflow's own status (proposed, assigned, acknowledged, declined, in_progress, …). */
  @Column('text', { name: 'workflow_status', nullable: true })
  workflowStatus: string | null;

  @Column('date', { name: 'start_date', nullable: true })
  startDate: string | null;

  @Column('text', { name: 'sdg_targets', array: true, default: '{}' })
  sdgTargets: string[];

  @Column('text', { name: 'budget_line', nullable: true })
  budgetLine: string | null;

  @Column('jsonb', { default: [] })
  milestones: Array<{ title: string; dueDate: string; done: boolean }>;

  /** The action's version in the actions service, from ActionChanged; 0 before the first one. */
  @Column('integer', { default: 0 })
  version: number;

  /** In a published plan: what the public dashboard counts. */
  @Column('boolean', { default: false })
  public: boolean;
}
