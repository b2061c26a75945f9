import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'draft', 'submitted', 'approved_by_validator', 'returned_by_validator', 'accepted_by_coordinator', 'returned_by_coordinator'`;

/**
 * Progress reports on actions: one row per report, the comments of each return kept as history, and
 * the evidence files each report shows (bytes in the evidence store, by SHA-256).
 */
export class ProgressReports1765700000000 implements MigrationInterface {
  name = 'ProgressReports1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE progress_reports (
        id uuid PRIMARY KEY,
        action_id uuid NOT NULL CONSTRAINT progress_reports_action_id_fkey REFERENCES actions (id),
        institution_id text NOT NULL,
        status text NOT NULL,
        final boolean NOT NULL DEFAULT false,
        narrative text NOT NULL,
        percentage smallint NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_by text,
        submitted_at timestamptz,
        approved_by text,
        approved_at timestamptz,
        accepted_by text,
        accepted_at timestamptz,
        CONSTRAINT progress_reports_status CHECK (status IN (${STATUSES})),
        CONSTRAINT progress_reports_percentage CHECK (percentage BETWEEN 0 AND 100),
        CONSTRAINT progress_reports_narrative CHECK (btrim(narrative) <> '')
      )`);
    await queryRunner.query(
      `CREATE INDEX progress_reports_action ON progress_reports (action_id, created_at)`,
    );
    // Why a report went back, by whom and at which stage: never rewritten.
    await queryRunner.query(`
      CREATE TABLE progress_report_returns (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL CONSTRAINT progress_report_returns_report_id_fkey REFERENCES progress_reports (id),
        stage text NOT NULL,
        comments text NOT NULL,
        returned_by text NOT NULL,
        returned_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT progress_report_returns_stage CHECK (stage IN ('validator', 'coordinator'))
      )`);
    await queryRunner.query(
      `CREATE INDEX progress_report_returns_report ON progress_report_returns (report_id, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE progress_report_files (
        report_id uuid NOT NULL CONSTRAINT progress_report_files_report_id_fkey REFERENCES progress_reports (id),
        sha256 text NOT NULL,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size bigint NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, sha256),
        CONSTRAINT progress_report_files_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$')
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE progress_report_files`);
    await queryRunner.query(`DROP TABLE progress_report_returns`);
    await queryRunner.query(`DROP TABLE progress_reports`);
  }
}
