import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reporting1764201800000 implements MigrationInterface {
  name = 'Reporting1764201800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE recommendation_view (
        id uuid PRIMARY KEY,
        mechanism text NOT NULL,
        document_symbol text NOT NULL,
        paragraph text NOT NULL,
        position text NOT NULL,
        recommending_states text[] NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE action_view (
        action_id uuid PRIMARY KEY,
        recommendation_id uuid NOT NULL,
        title text NOT NULL,
        institution text,
        status text NOT NULL DEFAULT 'not_started',
        due_at timestamptz,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        reminders_sent integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX action_view_institution_due ON action_view (institution, due_at, action_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        format text NOT NULL,
        filters jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        file_name text,
        row_count integer,
        sha256 text,
        error text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        compiled_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX reports_requested_at ON reports (requested_at)`);
    await queryRunner.query(`CREATE INDEX reports_status ON reports (status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reports`);
    await queryRunner.query(`DROP TABLE action_view`);
    await queryRunner.query(`DROP TABLE recommendation_view`);
  }
}
