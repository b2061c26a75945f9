import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Link detection remembers what it compared, so that it compares only new or changed recommendations;
 * it and the State filter read a State's recommendations by index rather than by scanning the catalogue.
 */
export class IncrementalLinksAndSearch1767000000930 implements MigrationInterface {
  name = 'IncrementalLinksAndSearch1767000000930';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX recommendations_state_under_review ON recommendations (state_under_review)`,
    );
    await queryRunner.query(`
      CREATE TABLE recommendation_link_checks (
        recommendation_id uuid PRIMARY KEY
          CONSTRAINT recommendation_link_checks_recommendation_id_fkey REFERENCES recommendations (id) ON DELETE CASCADE,
        text_hash text NOT NULL,
        checked_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE recommendation_link_checks`);
    await queryRunner.query(`DROP INDEX recommendations_state_under_review`);
  }
}
