import { MigrationInterface, QueryRunner } from 'typeorm';

/** A joint Special Procedures text keeps every mandate it comes from, not only the first. */
export class JointBodies1767000000980 implements MigrationInterface {
  name = 'JointBodies1767000000980';

  async up(queryRunner: QueryRunner): Promise<void> {
    // No backfill (a rewrite of every row, each audited): an empty list reads as the one body.
    await queryRunner.query(`ALTER TABLE recommendations ADD COLUMN bodies text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recommendations DROP COLUMN bodies`);
  }
}
