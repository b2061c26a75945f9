import type { QueryRunner } from 'typeorm';

/**
 * Appends a step to `rebuild_dashboard_counts()`: the recount as it was is kept as
 * `rebuild_dashboard_counts_before_<step>`, and the new recount runs it, then `statements`.
 */
export async function addRecountStep(
  queryRunner: QueryRunner,
  step: string,
  statements: string,
): Promise<void> {
  await queryRunner.query(
    `ALTER FUNCTION rebuild_dashboard_counts() RENAME TO rebuild_dashboard_counts_before_${step}`,
  );
  await queryRunner.query(`
    CREATE FUNCTION rebuild_dashboard_counts() RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
      SELECT rebuild_dashboard_counts_before_${step}();
      ${statements}
    $$`);
}

/** Takes the step `addRecountStep` appended away again. */
export async function removeRecountStep(queryRunner: QueryRunner, step: string): Promise<void> {
  await queryRunner.query(`DROP FUNCTION rebuild_dashboard_counts()`);
  await queryRunner.query(
    `ALTER FUNCTION rebuild_dashboard_counts_before_${step}() RENAME TO rebuild_dashboard_counts`,
  );
}
