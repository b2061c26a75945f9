import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence files of assessments: which stored blob (by SHA-256) each assessment shows, and as what. */
export class AssessmentFiles1765500000001 implements MigrationInterface {
  name = 'AssessmentFiles1765500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assessment_files (
        assessment_id uuid NOT NULL
          CONSTRAINT assessment_files_assessment_id_fkey REFERENCES assessments (id),
        sha256 text NOT NULL,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (assessment_id, sha256),
        CONSTRAINT assessment_files_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$')
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE assessment_files`);
  }
}
