import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows read but not clearly (a label that reaches no filter, several bodies in one cell) say so. */
export class ImportRowWarnings1767000000600 implements MigrationInterface {
  name = 'ImportRowWarnings1767000000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_rows ADD COLUMN warnings text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_rows DROP COLUMN warnings`);
  }
}
