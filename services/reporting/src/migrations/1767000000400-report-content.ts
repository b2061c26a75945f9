import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the compiled reports say beyond statuses: indicators with their measurements, the narrative
 * and evidence of submitted progress reports, and the independent assessments that are published.
 */
export class ReportContent1767000000400 implements MigrationInterface {
  name = 'ReportContent1767000000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE indicator_view (
        indicator_id uuid PRIMARY KEY,
        subject_kind text NOT NULL CONSTRAINT indicator_view_subject_kind CHECK (subject_kind IN ('action', 'recommendation')),
        subject_id uuid NOT NULL,
        name text NOT NULL,
        type text NOT NULL DEFAULT '',
        unit text NOT NULL DEFAULT '',
        frequency text NOT NULL DEFAULT '',
        baseline_value double precision,
        baseline_on date,
        target_value double precision,
        target_on date,
        sdg_indicator text,
        measurements jsonb NOT NULL DEFAULT '[]',
        latest_value double precision,
        latest_measured_on date,
        version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX indicator_view_subject ON indicator_view (subject_id)`);
    await queryRunner.query(`
      ALTER TABLE progress_report_view
        ADD COLUMN narrative text NOT NULL DEFAULT '',
        ADD COLUMN files jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN accepted_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX progress_report_view_accepted ON progress_report_view (action_id, accepted_at DESC)
        WHERE status = 'accepted_by_coordinator'`,
    );
    await queryRunner.query(`
      CREATE TABLE assessment_view (
        assessment_id uuid PRIMARY KEY,
        recommendation_id uuid NOT NULL,
        author_organisation_id text NOT NULL,
        author_kind text NOT NULL,
        status text,
        narrative text NOT NULL DEFAULT '',
        links jsonb NOT NULL DEFAULT '[]',
        files jsonb NOT NULL DEFAULT '[]',
        published_at timestamptz,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(
      `CREATE INDEX assessment_view_recommendation ON assessment_view (recommendation_id, published_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE assessment_view`);
    await queryRunner.query(`DROP INDEX progress_report_view_accepted`);
    await queryRunner.query(
      `ALTER TABLE progress_report_view DROP COLUMN narrative, DROP COLUMN files, DROP COLUMN accepted_at`,
    );
    await queryRunner.query(`DROP TABLE indicator_view`);
  }
}
