import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sequence does not roll back: an import refused as a whole moved the catalogue's version, and a
 * preview made before it could no longer be applied. An import now defers its statements' bumps and
 * takes one number just before it commits, so a rolled-back import leaves the version as it was.
 */
export class CatalogueVersionAtCommit1767000000981 implements MigrationInterface {
  name = 'CatalogueVersionAtCommit1767000000981';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A preview's writes are rolled back: they change nothing another import could see. An
        -- import bumps the version once, before it commits (nmirf.catalogue_version_deferred).
        IF coalesce(current_setting('nmirf.import_preview', true), '') <> 'on'
           AND coalesce(current_setting('nmirf.catalogue_version_deferred', true), '') <> 'on' THEN
          PERFORM nextval('catalogue_version');
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A preview's writes are rolled back: they change nothing another import could see.
        IF coalesce(current_setting('nmirf.import_preview', true), '') <> 'on' THEN
          PERFORM nextval('catalogue_version');
        END IF;
        RETURN NULL;
      END $$`);
  }
}
