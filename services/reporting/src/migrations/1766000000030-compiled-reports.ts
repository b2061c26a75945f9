import { MigrationInterface, QueryRunner } from 'typeorm';

/** Compiled reports (annex, follow-up, task list, matrix): language, progress, who asked, word count, retention. */
export class CompiledReports1766000000030 implements MigrationInterface {
  name = 'CompiledReports1766000000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE reports
        ADD COLUMN language text NOT NULL DEFAULT 'en',
        ADD COLUMN progress integer NOT NULL DEFAULT 0,
        ADD COLUMN requested_by text,
        ADD COLUMN word_count integer,
        ADD COLUMN expires_at timestamptz,
        ADD CONSTRAINT reports_progress CHECK (progress BETWEEN 0 AND 100)`);
    await queryRunner.query(`CREATE INDEX reports_expires_at ON reports (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX reports_expires_at`);
    await queryRunner.query(`
      ALTER TABLE reports DROP CONSTRAINT reports_progress, DROP COLUMN language, DROP COLUMN progress,
        DROP COLUMN requested_by, DROP COLUMN word_count, DROP COLUMN expires_at`);
  }
}
