import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A focal point's due list (overdue, due within 30/60/90 days) in the list's order: each
 * institution's open actions by due date, then id, read as an index range that stops at the page,
 * instead of walking every action's due date for a ministry's few. It also serves the deadline
 * counts that read the (institution, due date) prefix, so it replaces that index.
 */
export class OpenDueListIndex1767000001040 implements MigrationInterface {
  name = 'OpenDueListIndex1767000001040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX action_institution_view_open_due_id ON action_institution_view (lower(institution_id), due_at, action_id)
       WHERE status NOT IN ('completed', 'cancelled')`);
    await queryRunner.query(`DROP INDEX action_institution_view_open_due`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX action_institution_view_open_due ON action_institution_view (lower(institution_id), due_at)
       WHERE status NOT IN ('completed', 'cancelled')`);
    await queryRunner.query(`DROP INDEX action_institution_view_open_due_id`);
  }
}
