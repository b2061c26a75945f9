import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions of service accounts, and one delivery per event and subscription. Signing
 * keys are bytea, which the audit trail never copies; deliveries (a log of attempts, with the body
 * sent) are left out of the trail, their replays recorded there one by one instead.
 */
export class Webhooks1767000000300 implements MigrationInterface {
  name = 'Webhooks1767000000300';
  static unaudited = ['webhook_deliveries'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        owner_subject text NOT NULL,
        owner_name text NOT NULL,
        url text NOT NULL,
        event_types text[] NOT NULL,
        description text NOT NULL DEFAULT '',
        status text NOT NULL CHECK (status IN ('active', 'disabled')),
        disabled_reason text,
        signing_key bytea NOT NULL,
        previous_signing_key bytea,
        previous_key_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions (owner_subject, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_subscriptions_active ON webhook_subscriptions USING gin (event_types) WHERE status = 'active'`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        retrying_since timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC)`,
    );
    // The secretariat is told in its inbox when a subscription is disabled: a new kind of subject.
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_subject_kind`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_subject_kind
         CHECK (subject_kind IN ('action', 'reporting_deadline', 'indicator', 'webhook_subscription'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM notifications WHERE subject_kind = 'webhook_subscription'`);
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_subject_kind`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_subject_kind
         CHECK (subject_kind IN ('action', 'reporting_deadline', 'indicator'))`,
    );
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_subscriptions`);
  }
}
