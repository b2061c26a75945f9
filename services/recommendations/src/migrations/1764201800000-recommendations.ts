import { MigrationInterface, QueryRunner } from 'typeorm';

export class Recommendations1764201800000 implements MigrationInterface {
  name = 'Recommendations1764201800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE recommendations (
        id uuid PRIMARY KEY,
        mechanism text NOT NULL,
        document_symbol text NOT NULL,
        paragraph text NOT NULL,
        text text NOT NULL,
        recommending_states text[] NOT NULL DEFAULT '{}',
        position text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX recommendations_source ON recommendations (document_symbol, paragraph)`,
    );
    await queryRunner.query(`CREATE INDEX recommendations_mechanism ON recommendations (mechanism)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE recommendations`);
  }
}
