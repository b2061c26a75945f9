import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-aggregate event sequences (producer side), the last sequence each consumer applied per
 * aggregate, events held back until their predecessor arrives, and idempotency keys of requests.
 */
export class PlatformOrdering1764979200000 implements MigrationInterface {
  name = 'PlatformOrdering1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_sequence (
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        last_sequence bigint NOT NULL,
        PRIMARY KEY (topic, aggregate_id)
      )`);
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN aggregate_sequence bigint`);
    await queryRunner.query(`
      CREATE TABLE consumer_position (
        consumer text NOT NULL,
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        last_sequence bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, aggregate_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE parked_event (
        consumer text NOT NULL,
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_sequence bigint NOT NULL,
        event_id uuid NOT NULL,
        message_key text,
        payload bytea NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, aggregate_id, aggregate_sequence)
      )`);
    await queryRunner.query(`CREATE INDEX parked_event_age ON parked_event (consumer, parked_at)`);
    // Dead-lettered events fill their place in the sequence, so the events after them are not held back.
    await queryRunner.query(`
      CREATE TABLE dead_lettered_sequence (
        consumer text NOT NULL,
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_sequence bigint NOT NULL,
        event_id uuid NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, aggregate_id, aggregate_sequence)
      )`);
    await queryRunner.query(`
      CREATE TABLE idempotency_key (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_key_age ON idempotency_key (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_key`);
    await queryRunner.query(`DROP TABLE dead_lettered_sequence`);
    await queryRunner.query(`DROP TABLE parked_event`);
    await queryRunner.query(`DROP TABLE consumer_position`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN aggregate_sequence`);
    await queryRunner.query(`DROP TABLE outbox_sequence`);
  }
}
