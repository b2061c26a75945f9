import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An indicator's next reporting date, from IndicatorScheduled: the source of truth for its reminder
 * and overdue jobs (Redis holds a copy the reconciler rebuilds).
 */
@Index('indicator_deadlines_due_on', ['dueOn', 'indicatorId'])
@Entity({ name: 'indicator_deadlines' })
@Check('indicator_deadlines_subject_kind', `subject_kind IN ('action', 'recommendation')`)
export class IndicatorDeadline {
  @PrimaryColumn('uuid', { name: 'indicator_id' })
  indicatorId: string;

  @Column('text')
  name: string;

  /** What the indicator measures. */
  @Column('text', { name: 'subject_kind' })
  subjectKind: 'action' | 'recommendation';

  @Column('uuid', { name: 'subject_id' })
  subjectId: string;

  /** Directory ids of the institutions that report it; may be empty (then the coordinator is reminded). */
  @Column('text', { array: true })
  institutions: string[];

  @Column('text')
  frequency: string;

  /** `YYYY-MM-DD`: the next measurement is due on this day. */
  @Column('date', { name: 'due_on' })
  dueOn: string;

  @Column('date', { name: 'latest_measured_on', nullable: true })
  latestMeasuredOn: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
