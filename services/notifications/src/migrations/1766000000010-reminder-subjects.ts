import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications about something other than an action (a reporting deadline, an indicator): a subject
 * kind and id, action_id kept (now nullable) for compatibility. The indicators' reporting deadlines
 * and the idempotence table of reporting and indicator reminders.
 */
export class ReminderSubjects1766000000010 implements MigrationInterface {
  name = 'ReminderSubjects1766000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE notifications
        ADD COLUMN subject_kind text NOT NULL DEFAULT 'action',
        ADD COLUMN subject_id uuid,
        ALTER COLUMN action_id DROP NOT NULL`);
    await queryRunner.query(`UPDATE notifications SET subject_id = action_id`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN subject_id SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE notifications
        ADD CONSTRAINT notifications_subject_kind
          CHECK (subject_kind IN ('action', 'reporting_deadline', 'indicator')),
        ADD CONSTRAINT notifications_action_subject
          CHECK ((subject_kind = 'action' AND action_id = subject_id) OR (subject_kind <> 'action' AND action_id IS NULL))`);
    await queryRunner.query(`CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id)`);
    // Writers that know only action_id (older code, direct inserts) keep working.
    await queryRunner.query(`
      CREATE FUNCTION notifications_subject_from_action() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.subject_id IS NULL THEN NEW.subject_id := NEW.action_id; END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER notifications_subject_from_action BEFORE INSERT ON notifications
        FOR EACH ROW EXECUTE FUNCTION notifications_subject_from_action()`);
    await queryRunner.query(`
      CREATE TABLE indicator_deadlines (
        indicator_id uuid PRIMARY KEY,
        name text NOT NULL,
        subject_kind text NOT NULL CONSTRAINT indicator_deadlines_subject_kind
          CHECK (subject_kind IN ('action', 'recommendation')),
        subject_id uuid NOT NULL,
        institutions text[] NOT NULL,
        frequency text NOT NULL,
        due_on date NOT NULL,
        latest_measured_on date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE reporting_reminders_sent (
        subject_kind text NOT NULL CONSTRAINT reporting_reminders_sent_subject_kind
          CHECK (subject_kind IN ('reporting_deadline', 'indicator')),
        subject_id uuid NOT NULL,
        offset_seconds integer NOT NULL,
        due_on date NOT NULL,
        notification_id uuid NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subject_kind, subject_id, offset_seconds, due_on)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reporting_reminders_sent`);
    await queryRunner.query(`DROP TABLE indicator_deadlines`);
    await queryRunner.query(`DROP TRIGGER notifications_subject_from_action ON notifications`);
    await queryRunner.query(`DROP FUNCTION notifications_subject_from_action()`);
    await queryRunner.query(`DELETE FROM notifications WHERE action_id IS NULL`);
    await queryRunner.query(`DROP INDEX notifications_subject`);
    await queryRunner.query(`
      ALTER TABLE notifications
        DROP CONSTRAINT notifications_action_subject,
        DROP CONSTRAINT notifications_subject_kind,
        DROP COLUMN subject_id,
        DROP COLUMN subject_kind,
        ALTER COLUMN action_id SET NOT NULL`);
  }
}
