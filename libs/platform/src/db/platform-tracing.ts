import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The W3C trace context of the work that wrote an outbox row, sent as the message's `traceparent`. */
export class PlatformTracing1766000000100 implements MigrationInterface {
  name = 'PlatformTracing1766000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN traceparent text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}
