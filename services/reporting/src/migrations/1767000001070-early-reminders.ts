import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders sent for an action the read model does not know yet. After a restart the reminders
 * topic can run ahead of the actions topic; such a reminder was retried for a second, then
 * dead-lettered, and the action's count stayed short. It now waits here, and the action's first
 * row takes it in. Both sides lock the action's id, so neither misses the other.
 */
export class EarlyReminders1767000001070 implements MigrationInterface {
  static unaudited = ['action_early_reminder'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE action_early_reminder (action_id uuid PRIMARY KEY, reminders integer NOT NULL)`);
    await queryRunner.query(`
      CREATE FUNCTION action_view_take_early_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        early integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('action_early_reminder'), hashtext(NEW.action_id::text));
        DELETE FROM action_early_reminder WHERE action_id = NEW.action_id RETURNING reminders INTO early;
        NEW.reminders_sent := NEW.reminders_sent + coalesce(early, 0);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER action_view_take_early_reminders BEFORE INSERT ON action_view
        FOR EACH ROW EXECUTE FUNCTION action_view_take_early_reminders()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER action_view_take_early_reminders ON action_view`);
    await queryRunner.query(`DROP FUNCTION action_view_take_early_reminders()`);
    await queryRunner.query(`DROP TABLE action_early_reminder`);
  }
}
