import { MigrationInterface, QueryRunner } from 'typeorm';

export class Actions1764201700000 implements MigrationInterface {
  name = 'Actions1764201700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE known_recommendations (
        id uuid PRIMARY KEY,
        document_symbol text NOT NULL,
        paragraph text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE actions (
        id uuid PRIMARY KEY,
        recommendation_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        institution text,
        due_at timestamptz,
        status text NOT NULL DEFAULT 'not_started',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX actions_institution_status ON actions (institution, status)`);
    await queryRunner.query(`CREATE INDEX actions_recommendation ON actions (recommendation_id)`);
    await queryRunner.query(`
      CREATE TABLE progress_updates (
        id uuid PRIMARY KEY,
        action_id uuid NOT NULL REFERENCES actions (id),
        previous_status text NOT NULL,
        status text NOT NULL,
        note text NOT NULL DEFAULT '',
        reported_by text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX progress_updates_action ON progress_updates (action_id, reported_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE progress_updates`);
    await queryRunner.query(`DROP TABLE actions`);
    await queryRunner.query(`DROP TABLE known_recommendations`);
  }
}
