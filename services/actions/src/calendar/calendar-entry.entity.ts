import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CalendarMessage } from './calendar-messages';
import type { CalendarMechanism } from './milestone';
import type { DeadlineKind } from './reporting-deadline';

/** One deadline of the reporting calendar as stored; `CalendarEntry` is its domain shape. */
@Entity({ name: 'reporting_calendar_entries' })
export class CalendarEntryRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { unique: true })
  key: string;

  @Column('text')
  kind: DeadlineKind;

  @Column('text')
  state: string;

  @Column('text')
  mechanism: CalendarMechanism;

  @Column('text')
  body: string;

  @Column('text')
  cycle: string;

  /** `YYYY-MM-DD`: node-postgres hands a date column back as that string. */
  @Column('date', { name: 'due_on' })
  dueOn: string;

  @Column('boolean')
  estimated: boolean;

  @Column('text', { nullable: true })
  source: string | null;

  @Column('jsonb')
  title: CalendarMessage;

  @Column('jsonb')
  description: CalendarMessage;

  @Column('text')
  status: 'open' | 'closed';

  @Column('integer')
  sequence: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A milestone as the coordinator or an import gave it: what each date can be traced back to. */
@Entity({ name: 'reporting_milestones' })
export class MilestoneRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: string;

  @Column('text')
  state: string;

  @Column('text', { nullable: true })
  source: string | null;

  @Column('jsonb')
  milestone: object;

  @Column('text', { name: 'recorded_by' })
  recordedBy: string;

  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt: Date;
}
