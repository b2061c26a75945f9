import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress reports the coordinator has published for anonymous readers: accepted reports only (the
 * use case checks), with an optional public summary shown instead of the narrative. Unpublishing
 * deletes the row; the audit trail keeps both.
 */
export class ProgressPublication1766000000002 implements MigrationInterface {
  name = 'ProgressPublication1766000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE progress_report_publications (
        report_id uuid PRIMARY KEY
          CONSTRAINT progress_report_publications_report_id_fkey REFERENCES progress_reports (id),
        summary text,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT progress_report_publications_summary CHECK (summary IS NULL OR btrim(summary) <> '')
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE progress_report_publications`);
  }
}
