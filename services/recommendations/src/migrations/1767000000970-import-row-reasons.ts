import { MigrationInterface, QueryRunner } from 'typeorm';

/** An import's summary reads only its rows with problems or warnings, not every row, on each poll. */
export class ImportRowReasons1767000000970 implements MigrationInterface {
  name = 'ImportRowReasons1767000000970';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "import_rows_with_problems" ON "import_rows" ("import_id", "row_number") WHERE cardinality(problems) > 0`,
    );
    await queryRunner.query(
      `CREATE INDEX "import_rows_with_warnings" ON "import_rows" ("import_id", "row_number") WHERE cardinality(warnings) > 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "import_rows_with_warnings"`);
    await queryRunner.query(`DROP INDEX "import_rows_with_problems"`);
  }
}
