import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Implementation plans (a UPR cycle's, a treaty body's, a national action plan), and what a plan's
 * action carries beyond its status: the plan, a start date, milestones, a budget line and SDG targets.
 */
export class PlansAndActionDetails1765600000001 implements MigrationInterface {
  name = 'PlansAndActionDetails1765600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY,
        state text NOT NULL,
        title text NOT NULL,
        kind text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        description text NOT NULL DEFAULT '',
        published boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT plans_state CHECK (state ~ '^[A-Z]{3}$'),
        CONSTRAINT plans_kind CHECK (kind IN ('upr_cycle', 'treaty_body', 'national_action_plan', 'other')),
        CONSTRAINT plans_period CHECK (period_end >= period_start)
      )`);
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN plan_id uuid`);
    await queryRunner.query(
      `ALTER TABLE actions ADD CONSTRAINT actions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans (id)`,
    );
    await queryRunner.query(`CREATE INDEX actions_plan ON actions (plan_id)`);
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN start_date date`);
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN milestones jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN budget_line text`);
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN sdg_targets jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['sdg_targets', 'budget_line', 'milestones', 'start_date', 'plan_id'])
      await queryRunner.query(`ALTER TABLE actions DROP COLUMN ${column}`);
    await queryRunner.query(`DROP TABLE plans`);
  }
}
