import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports run as jobs: an import is queued with its file in storage, reports its phase and the rows
 * it has applied, and keeps what its job needs (options, attempts, the States it touched for link
 * detection). A preview keeps the catalogue version it was planned against; applying it later checks
 * that version. The version is a sequence bumped once per statement that changes recommendations
 * (never per row), so it costs an import nothing and blocks no one.
 */
export class ImportJobs1767000000900 implements MigrationInterface {
  name = 'ImportJobs1767000000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      ALTER TABLE imports
        ADD COLUMN phase text NOT NULL DEFAULT 'queued',
        ADD COLUMN rows_applied integer NOT NULL DEFAULT 0,
        ADD COLUMN options jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN catalogue_version bigint,
        ADD COLUMN preview_of uuid REFERENCES imports (id) ON DELETE SET NULL,
        ADD COLUMN touched_states text[] NOT NULL DEFAULT '{}'`);
    await q(`CREATE INDEX imports_preview_of ON imports (preview_of)`);
    // Imports of the in-process era: a running one was rolled back with its server.
    await q(`
      UPDATE imports SET status = 'failed', finished_at = now(),
        error = '{"code":"interrupted","message":"The server stopped during the import; nothing was applied. Upload the file again."}'
        WHERE status = 'running'`);
    await q(`
      UPDATE imports SET phase = CASE status WHEN 'rejected' THEN 'refused' WHEN 'failed' THEN 'failed' ELSE 'done' END,
        rows_applied = CASE WHEN status = 'applied' THEN created + updated + unchanged ELSE 0 END`);
    await q(`UPDATE imports SET links_status = 'failed' WHERE links_status = 'running'`);

    await q(`CREATE SEQUENCE catalogue_version`);
    await q(`
      CREATE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A preview's writes are rolled back: they change nothing another import could see.
        IF coalesce(current_setting('nmirf.import_preview', true), '') <> 'on' THEN
          PERFORM nextval('catalogue_version');
        END IF;
        RETURN NULL;
      END $$`);
    await q(`
      CREATE TRIGGER recommendations_catalogue_version
        AFTER INSERT OR DELETE OR UPDATE OF version ON recommendations
        FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TRIGGER recommendations_catalogue_version ON recommendations`);
    await q(`DROP FUNCTION bump_catalogue_version()`);
    await q(`DROP SEQUENCE catalogue_version`);
    await q(`DROP INDEX imports_preview_of`);
    await q(`
      ALTER TABLE imports DROP COLUMN phase, DROP COLUMN rows_applied, DROP COLUMN options,
        DROP COLUMN attempts, DROP COLUMN catalogue_version, DROP COLUMN preview_of, DROP COLUMN touched_states`);
  }
}
