import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'proposed', 'assigned', 'acknowledged', 'declined', 'in_progress', 'blocked', 'completed', 'cancelled'`;

/**
 * The action workflow's statuses (workflow/states.ts), a version counting every change (the ETag),
 * supporting institutions, and the recommendations an action serves. Actions not started become
 * assigned when they have a lead institution, proposed otherwise; the rest keep their status.
 * `actions.recommendation_id` stays as the primary recommendation, also listed in
 * action_recommendations.
 */
export class ActionWorkflow1765600000000 implements MigrationInterface {
  name = 'ActionWorkflow1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE actions
         SET status = CASE WHEN lead_institution_id IS NULL THEN 'proposed' ELSE 'assigned' END
       WHERE status = 'not_started'`);
    await queryRunner.query(`ALTER TABLE actions ALTER COLUMN status SET DEFAULT 'proposed'`);
    await queryRunner.query(
      `ALTER TABLE actions ADD CONSTRAINT actions_status CHECK (status IN (${STATUSES}))`,
    );
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`
      CREATE TABLE action_supporting_institutions (
        action_id uuid REFERENCES actions ON DELETE CASCADE,
        institution_id text REFERENCES institutions,
        PRIMARY KEY (action_id, institution_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX action_supporting_institutions_institution ON action_supporting_institutions (institution_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE action_recommendations (
        action_id uuid REFERENCES actions ON DELETE CASCADE,
        recommendation_id uuid,
        PRIMARY KEY (action_id, recommendation_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX action_recommendations_recommendation ON action_recommendations (recommendation_id)`,
    );
    await queryRunner.query(
      `INSERT INTO action_recommendations (action_id, recommendation_id) SELECT id, recommendation_id FROM actions`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE action_recommendations`);
    await queryRunner.query(`DROP TABLE action_supporting_institutions`);
    await queryRunner.query(`ALTER TABLE actions DROP COLUMN version`);
    await queryRunner.query(`ALTER TABLE actions DROP CONSTRAINT actions_status`);
    await queryRunner.query(`ALTER TABLE actions ALTER COLUMN status SET DEFAULT 'not_started'`);
    await queryRunner.query(
      `UPDATE actions SET status = 'not_started' WHERE status IN ('proposed', 'assigned', 'acknowledged', 'declined')`,
    );
  }
}
