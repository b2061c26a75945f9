import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification may be addressed to one person of the institution (a comment's mention of them):
 * `recipient_user_id` is their token subject, '' for the whole inbox. The event deduplication index
 * takes it in, so one comment can mention an institution and one of its people.
 */
export class NotificationRecipients1766000000011 implements MigrationInterface {
  name = 'NotificationRecipients1766000000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE notifications ADD COLUMN recipient_user_id text NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(`DROP INDEX notifications_source_event`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX notifications_source_event
        ON notifications (source_event_id, institution, kind, recipient_user_id)
        WHERE source_event_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE recipient_user_id <> ''`);
    await queryRunner.query(`DROP INDEX notifications_source_event`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX notifications_source_event ON notifications (source_event_id, institution, kind)
        WHERE source_event_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN recipient_user_id`);
  }
}
