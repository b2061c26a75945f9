import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1764201800000 implements MigrationInterface {
  name = 'Notifications1764201800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        institution text NOT NULL,
        kind text NOT NULL,
        action_id uuid NOT NULL,
        params jsonb NOT NULL,
        source_event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_inbox ON notifications (institution, created_at DESC)`,
    );
    await queryRunner.query(`
      CREATE UNIQUE INDEX notifications_source_event ON notifications (source_event_id, institution, kind)
        WHERE source_event_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE deadlines (
        action_id uuid PRIMARY KEY,
        institution text NOT NULL,
        title text NOT NULL,
        due_at timestamptz NOT NULL,
        open boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE reminders_sent (
        action_id uuid NOT NULL,
        offset_seconds integer NOT NULL,
        due_at timestamptz NOT NULL,
        notification_id uuid NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (action_id, offset_seconds, due_at)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reminders_sent`);
    await queryRunner.query(`DROP TABLE deadlines`);
    await queryRunner.query(`DROP TABLE notifications`);
  }
}
