import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Institution } from '../institutions/institution.entity';
import { Plan } from '../plans/plan.entity';
import type { ActionStatus } from './action-status';
import type { Milestone } from './action-details';

@Entity({ name: 'actions' })
@Index('actions_lead_institution_status', ['institution', 'status'])
@Index('actions_recommendation', ['recommendationId'])
@Index('actions_plan', ['planId'])
@Check(
  'actions_status',
  `status IN ('proposed', 'assigned', 'acknowledged', 'declined', 'in_progress', 'blocked', 'completed', 'cancelled')`,
)
export class Action {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  title: string;

  @Column('text', { default: '' })
  description: string;

  /** The lead institution's id in the directory, e.g. "Ministry of Justice"; null until assigned. */
  @Column('text', { name: 'lead_institution_id', nullable: true })
  institution: string | null;

  @ManyToOne(() => Institution, { nullable: true })
  @JoinColumn({ name: 'lead_institution_id', foreignKeyConstraintName: 'actions_lead_institution_id_fkey' })
  leadInstitution?: Institution;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('text', { default: 'proposed' })
  status: ActionStatus;

  /** The plan the action belongs to, if any. */
  @Column('uuid', { name: 'plan_id', nullable: true })
  planId: string | null;

  @ManyToOne(() => Plan, { nullable: true })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'actions_plan_id_fkey' })
  plan?: Plan;

  /** ISO date (YYYY-MM-DD). */
  @Column('date', { name: 'start_date', nullable: true })
  startDate: string | null;

  @Column('jsonb', { default: [] })
  milestones: Milestone[];

  /** Where the money comes from, as the budget names it, e.g. "MoJ 2027 / 1305-27-0012". */
  @Column('text', { name: 'budget_line', nullable: true })
  budgetLine: string | null;

  /** SDG targets the action serves, e.g. "16.3". */
  @Column('jsonb', { name: 'sdg_targets', default: [] })
  sdgTargets: string[];

  /** Counts changes; the ETag (`"<version>"`), so a command on a stale read is refused (412). */
  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
