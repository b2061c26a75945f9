import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per step of an overdue action's escalation ladder (ActionEscalated), keyed so that an
 * event applied twice counts once; the dashboards count them per institution and rung.
 */
export class Escalations1767000000300 implements MigrationInterface {
  name = 'Escalations1767000000300';
  static unaudited = ['action_escalation_view'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE action_escalation_view (
        action_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        step integer NOT NULL,
        rung text NOT NULL,
        institution text NOT NULL,
        notified_institution text NOT NULL,
        escalated_at timestamptz NOT NULL,
        PRIMARY KEY (action_id, due_at, step)
      )`);
    await queryRunner.query(
      `CREATE INDEX action_escalation_view_escalated ON action_escalation_view (escalated_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE action_escalation_view`);
  }
}
