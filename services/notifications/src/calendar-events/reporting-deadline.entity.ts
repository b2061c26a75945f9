import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A deadline of the State's reporting calendar, as the coordinator is reminded of it. */
@Index('reporting_deadlines_open_due_on', ['dueOn', 'deadlineId'], { where: 'open' })
@Entity({ name: 'reporting_deadlines' })
export class ReportingDeadline {
  @PrimaryColumn('uuid', { name: 'deadline_id' })
  deadlineId: string;

  /** The coordinator's inbox (a directory id): these deadlines are the State's, not a ministry's. */
  @Column('text')
  institution: string;

  @Column('text')
  kind: string;

  @Column('text')
  state: string;

  @Column('text')
  mechanism: string;

  @Column('text')
  body: string;

  @Column('text')
  cycle: string;

  /** The title as a key of the calendar's catalogue, rendered in the reader's language. */
  @Column('text', { name: 'title_key' })
  titleKey: string;

  @Column('jsonb', { name: 'title_params' })
  titleParams: object;

  /** `YYYY-MM-DD`, a whole day. */
  @Column('date', { name: 'due_on' })
  dueOn: string;

  @Column('boolean')
  estimated: boolean;

  @Column('text', { nullable: true })
  source: string | null;

  @Column('boolean')
  open: boolean;

  /** The calendar's SEQUENCE: an older event never overwrites a newer one. */
  @Column('integer')
  sequence: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
