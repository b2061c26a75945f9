import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PlanKind } from './plan';

/** An implementation plan; its actions point to it (actions.plan_id). */
@Entity({ name: 'plans' })
@Check('plans_state', `state ~ '^[A-Z]{3}$'`)
@Check('plans_kind', `kind IN ('upr_cycle', 'treaty_body', 'national_action_plan', 'other')`)
@Check('plans_period', `period_end >= period_start`)
export class Plan {
  @PrimaryColumn('uuid')
  id: string;

  /** ISO 3166-1 alpha-3, e.g. SVN. */
  @Column('text')
  state: string;

  @Column('text')
  title: string;

  @Column('text')
  kind: PlanKind;

  /** ISO dates (YYYY-MM-DD). */
  @Column('date', { name: 'period_start' })
  periodStart: string;

  @Column('date', { name: 'period_end' })
  periodEnd: string;

  @Column('text', { default: '' })
  description: string;

  /** Anonymous readers see published plans only. */
  @Column('boolean', { default: false })
  published: boolean;

  /** Counts writes; the ETag. */
  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
