import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comment threads on actions (services/actions/src/comments). A comment is never removed: deleting
 * one stamps it, and the audit trail keeps every body it had.
 */
export class ActionComments1766000000001 implements MigrationInterface {
  name = 'ActionComments1766000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE action_comments (
        id uuid PRIMARY KEY,
        action_id uuid NOT NULL CONSTRAINT action_comments_action_id_fkey REFERENCES actions (id),
        -- The thread's order: posting order, whatever the clocks say.
        position bigint GENERATED ALWAYS AS IDENTITY,
        body text NOT NULL,
        mentions jsonb NOT NULL DEFAULT '[]',
        author_id text NOT NULL,
        author_name text NOT NULL,
        author_role text NOT NULL,
        author_institution_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        deleted_by text,
        CONSTRAINT action_comments_body CHECK (btrim(body) <> '' AND char_length(body) <= 4000),
        CONSTRAINT action_comments_mentions CHECK (jsonb_typeof(mentions) = 'array'),
        CONSTRAINT action_comments_author_role CHECK (author_role IN ('coordinator', 'institution')),
        CONSTRAINT action_comments_deleted CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX action_comments_thread ON action_comments (action_id, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE action_comments`);
  }
}
