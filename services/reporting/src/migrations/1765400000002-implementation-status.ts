import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each recommendation's implementation status, from the actions service's roll-up, for dashboards. */
export class ImplementationStatus1765400000002 implements MigrationInterface {
  name = 'ImplementationStatus1765400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE recommendation_view
        ADD COLUMN implementation_status text NOT NULL DEFAULT 'not_started',
        ADD CONSTRAINT recommendation_view_implementation_status CHECK (implementation_status IN
          ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE recommendation_view
        DROP CONSTRAINT recommendation_view_implementation_status,
        DROP COLUMN implementation_status`);
  }
}
