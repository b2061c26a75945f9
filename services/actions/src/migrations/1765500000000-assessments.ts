import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Independent assessments of recommendations by NHRIs and civil-society organisations
 * (assessments/README.md). Withdrawn rows stay; the partial index serves the lists, which skip them.
 */
export class Assessments1765500000000 implements MigrationInterface {
  name = 'Assessments1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY,
        recommendation_id uuid NOT NULL
          CONSTRAINT assessments_recommendation_id_fkey REFERENCES known_recommendations (id),
        author_organisation_id text NOT NULL,
        author_kind text NOT NULL,
        author_subject text NOT NULL,
        status text NOT NULL,
        narrative text NOT NULL,
        links jsonb NOT NULL,
        published boolean NOT NULL DEFAULT false,
        published_at timestamptz,
        published_by text,
        withdrawn_at timestamptz,
        withdrawn_by text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        CONSTRAINT assessments_status CHECK (status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')),
        CONSTRAINT assessments_author_kind CHECK (author_kind IN ('nhri', 'civil_society')),
        CONSTRAINT assessments_published_when CHECK (published = (published_at IS NOT NULL AND published_by IS NOT NULL)),
        CONSTRAINT assessments_withdrawn_unpublished CHECK (withdrawn_at IS NULL OR NOT published)
      )`);
    await queryRunner.query(`
      CREATE INDEX assessments_recommendation ON assessments (recommendation_id, created_at)
        WHERE withdrawn_at IS NULL`);
    await queryRunner.query(`
      CREATE INDEX assessments_author_organisation ON assessments (lower(author_organisation_id))
        WHERE withdrawn_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE assessments`);
  }
}
