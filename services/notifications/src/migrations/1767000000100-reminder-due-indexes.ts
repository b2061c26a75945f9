import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The horizon pass reads, for each reminder offset, the open deadlines due in one window: range scans
 * of these indexes, so a pass over a million deadlines reads only the slice due within the horizon.
 */
export class ReminderDueIndexes1767000000100 implements MigrationInterface {
  name = 'ReminderDueIndexes1767000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX deadlines_open_due_at ON deadlines (due_at, action_id) WHERE open`);
    await queryRunner.query(
      `CREATE INDEX reporting_deadlines_open_due_on ON reporting_deadlines (due_on, deadline_id) WHERE open`,
    );
    await queryRunner.query(
      `CREATE INDEX indicator_deadlines_due_on ON indicator_deadlines (due_on, indicator_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX indicator_deadlines_due_on`);
    await queryRunner.query(`DROP INDEX reporting_deadlines_open_due_on`);
    await queryRunner.query(`DROP INDEX deadlines_open_due_at`);
  }
}
