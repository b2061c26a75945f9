import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'upr_review', 'upr_mid_term_report', 'upr_national_report', 'tb_follow_up_report', 'tb_periodic_report', 'manual'`;
const MECHANISMS = `'upr', 'treaty_body', 'special_procedure', 'regional', 'voluntary_pledge', 'national_plan'`;

/**
 * The State's reporting calendar: the deadlines derived from each milestone (services/actions/src/
 * calendar/README.md), keyed so that a newer document moves a deadline instead of duplicating it, and
 * the milestones themselves, kept as entered so every date can be traced to what gave it.
 */
export class ReportingCalendar1765800000000 implements MigrationInterface {
  name = 'ReportingCalendar1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reporting_calendar_entries (
        id uuid PRIMARY KEY,
        key text NOT NULL UNIQUE,
        kind text NOT NULL,
        state text NOT NULL,
        mechanism text NOT NULL,
        body text NOT NULL,
        cycle text NOT NULL,
        due_on date NOT NULL,
        estimated boolean NOT NULL,
        source text,
        title jsonb NOT NULL,
        description jsonb NOT NULL,
        status text NOT NULL,
        sequence integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reporting_calendar_entries_kind CHECK (kind IN (${KINDS})),
        CONSTRAINT reporting_calendar_entries_mechanism CHECK (mechanism IN (${MECHANISMS})),
        CONSTRAINT reporting_calendar_entries_status CHECK (status IN ('open', 'closed')),
        CONSTRAINT reporting_calendar_entries_sequence CHECK (sequence >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX reporting_calendar_entries_due ON reporting_calendar_entries (due_on, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX reporting_calendar_entries_state ON reporting_calendar_entries (state, mechanism, body)`,
    );
    await queryRunner.query(`
      CREATE TABLE reporting_milestones (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        state text NOT NULL,
        source text,
        milestone jsonb NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reporting_milestones_kind
          CHECK (kind IN ('upr_outcome', 'concluding_observations', 'manual', 'manual_removed'))
      )`);
    await queryRunner.query(
      `CREATE INDEX reporting_milestones_state ON reporting_milestones (state, recorded_at)`,
    );
    // Documents imported by the recommendations service that give the State deadlines, until the
    // coordinator confirms their dates as a milestone: the imports carry no adoption date.
    await queryRunner.query(`
      CREATE TABLE calendar_documents (
        document_symbol text PRIMARY KEY,
        state text NOT NULL,
        mechanism text NOT NULL,
        body text NOT NULL,
        upr_cycle integer,
        upr_session integer,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        CONSTRAINT calendar_documents_mechanism CHECK (mechanism IN ('upr', 'treaty_body'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE calendar_documents`);
    await queryRunner.query(`DROP TABLE reporting_milestones`);
    await queryRunner.query(`DROP TABLE reporting_calendar_entries`);
  }
}
