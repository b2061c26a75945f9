import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coordinators in the people directory. The actions service's directory lists focal points and
 * validators, not coordinators: a coordinator is known by the `coordinator` role in their token, so
 * each profile says which coordinator's inbox (COORDINATOR_INSTITUTION) its person reads, and the
 * mails of that inbox (escalation's coordinator rung, the coordinator's copies) go to them.
 */
export class CoordinatorRecipients1767000000800 implements MigrationInterface {
  name = 'CoordinatorRecipients1767000000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE recipient_profiles ADD COLUMN coordinator_inbox text`);
    await queryRunner.query(
      `CREATE INDEX recipient_profiles_coordinator_inbox ON recipient_profiles (coordinator_inbox)
        WHERE coordinator_inbox IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX recipient_profiles_coordinator_inbox`);
    await queryRunner.query(`ALTER TABLE recipient_profiles DROP COLUMN coordinator_inbox`);
  }
}
