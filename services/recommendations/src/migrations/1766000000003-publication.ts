import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What anonymous readers (a public portal) may see: only recommendations the coordinator has
 * published. Existing and newly imported ones start unpublished.
 */
export class Publication1766000000003 implements MigrationInterface {
  name = 'Publication1766000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE recommendations ADD COLUMN published boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recommendations DROP COLUMN published`);
  }
}
