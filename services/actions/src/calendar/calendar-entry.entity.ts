import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CalendarMessage } from './calendar-messages';
import type { CalendarMechanism } from './milestone';
import type { DeadlineKind } from './reporting-deadline';

/** One deadline of the reporting calendar as stored; `CalendarEntry` is its domain shape. */
@Entity({ name: 'reporting_calendar_entries' })
@Index('reporting_calendar_entries_due', ['dueOn', 'id'])
@Index('reporting_calendar_entries_state', ['state', 'mechanism', 'body'])
@Check(
  'reporting_calendar_entries_kind',
  `kind IN ('upr_review', 'upr_mid_term_report', 'upr_national_report', 'tb_follow_up_report', 'tb_periodic_report', 'manual')`,
)
@Check(
  'reporting_calendar_entries_mechanism',
  `mechanism IN ('upr', 'treaty_body', 'special_procedure', 'regional', 'voluntary_pledge', 'national_plan')`,
)
@Check('reporting_calendar_entries_status', `status IN ('open', 'closed')`)
@Check('reporting_calendar_entries_sequence', `sequence >= 0`)
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
@Index('reporting_milestones_state', ['state', 'recordedAt'])
@Check(
  'reporting_milestones_kind',
  `kind IN ('upr_outcome', 'concluding_observations', 'manual', 'manual_removed')`,
)
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

/** An imported document that gives the State deadlines, waiting for the coordinator to confirm its dates. */
@Entity({ name: 'calendar_documents' })
@Check('calendar_documents_mechanism', `mechanism IN ('upr', 'treaty_body')`)
export class CalendarDocument {
  @PrimaryColumn('text', { name: 'document_symbol' })
  documentSymbol: string;

  @Column('text')
  state: string;

  @Column('text')
  mechanism: 'upr' | 'treaty_body';

  /** UPR, or the committee (CEDAW…). */
  @Column('text')
  body: string;

  @Column('integer', { name: 'upr_cycle', nullable: true })
  uprCycle: number | null;

  @Column('integer', { name: 'upr_session', nullable: true })
  uprSession: number | null;

  @Column('timestamptz', { name: 'first_seen_at', default: () => 'now()' })
  firstSeenAt: Date;

  /** Set when a milestone from this document is recorded. */
  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt: Date | null;
}
