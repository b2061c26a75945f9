import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The institutions the last IndicatorScheduled named, so a change of an action's lead or supporting
 * institutions (or of the actions serving a recommendation) re-announces only the indicators whose
 * reporting institutions changed. NULL: never announced (indicators defined before reminders existed).
 */
export class IndicatorRemindedInstitutions1766000000000 implements MigrationInterface {
  name = 'IndicatorRemindedInstitutions1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE indicators ADD COLUMN reminded_institutions text[]`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE indicators DROP COLUMN reminded_institutions`);
  }
}
