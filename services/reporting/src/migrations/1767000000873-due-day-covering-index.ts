import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deadline window sums a scope's open actions per due day over two years or more: some 1,500
 * counter rows for everyone's, scattered over the heap among the institutions' (14 MB at national
 * scale, 17 ms a bound). The counts in the index make it an index-only range.
 */
export class DueDayCoveringIndex1767000000873 implements MigrationInterface {
  name = 'DueDayCoveringIndex1767000000873';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX open_action_due_day_counts ON open_action_due_day (scope, day) INCLUDE (public, n)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX open_action_due_day_counts`);
  }
}
