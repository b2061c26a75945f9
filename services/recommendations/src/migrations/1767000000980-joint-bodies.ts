import { MigrationInterface, QueryRunner } from 'typeorm';

/** A joint Special Procedures text keeps every mandate it comes from, not only the first. */
export class JointBodies1767000000980 implements MigrationInterface {
  name = 'JointBodies1767000000980';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recommendations ADD COLUMN bodies text[] NOT NULL DEFAULT '{}'`);
    // The audit trail records this backfill like any other change.
    await queryRunner.query(`UPDATE recommendations SET bodies = ARRAY[body]`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recommendations DROP COLUMN bodies`);
  }
}
