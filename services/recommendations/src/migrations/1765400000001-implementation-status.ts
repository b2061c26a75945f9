import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each recommendation is implemented, as the actions service publishes it: derived data, kept
 * for search, so it changes neither the recommendation's version nor its history.
 */
export class ImplementationStatus1765400000001 implements MigrationInterface {
  name = 'ImplementationStatus1765400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE recommendations
        ADD COLUMN implementation_status text NOT NULL DEFAULT 'not_started',
        ADD CONSTRAINT recommendations_implementation_status_known CHECK (implementation_status IN
          ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable'))`);
    await queryRunner.query(
      `CREATE INDEX recommendations_implementation_status ON recommendations (implementation_status)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX recommendations_implementation_status`);
    await queryRunner.query(`
      ALTER TABLE recommendations
        DROP CONSTRAINT recommendations_implementation_status_known,
        DROP COLUMN implementation_status`);
  }
}
