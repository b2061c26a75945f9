import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The State's reporting deadlines (the actions service's calendar, from ReportingDeadlineChanged),
 * each owned by the coordinator's inbox. Kept apart from `deadlines`, which is keyed by action.
 */
export class ReportingDeadlines1765800000001 implements MigrationInterface {
  name = 'ReportingDeadlines1765800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reporting_deadlines (
        deadline_id uuid PRIMARY KEY,
        institution text NOT NULL,
        kind text NOT NULL,
        state text NOT NULL,
        mechanism text NOT NULL,
        body text NOT NULL,
        cycle text NOT NULL,
        title_key text NOT NULL,
        title_params jsonb NOT NULL,
        due_on date NOT NULL,
        estimated boolean NOT NULL,
        source text,
        open boolean NOT NULL,
        sequence integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reporting_deadlines`);
  }
}
