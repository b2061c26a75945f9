import { MigrationInterface, QueryRunner } from 'typeorm';

/** The advisory lock a link detection of a State holds (`stateLock` in links.service.ts). */
const STATE_LOCK = `pg_advisory_xact_lock(hashtext('recommendations.links.' || OLD.state_under_review))`;

/**
 * A link's two foreign keys checked every candidate a detection writes, each check locking the
 * recommendation's row (FOR KEY SHARE): half the cost of writing 840,000 links. Recommendations are
 * never deleted by the service; for a deletion by hand, triggers keep what the keys kept:
 * - a deletion waits for a running detection of the record's State (its advisory lock), so no
 *   detection writes a pair with a record deleted under it;
 * - after it, the record's links go, as ON DELETE CASCADE did; a TRUNCATE empties the links.
 * A link made by hand locks both records (FOR KEY SHARE) once its States are locked.
 */
export class LinksKeptByTriggers1767000001200 implements MigrationInterface {
  name = 'LinksKeptByTriggers1767000001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE recommendation_links DROP CONSTRAINT recommendation_links_a_id_fkey`);
    await q(`ALTER TABLE recommendation_links DROP CONSTRAINT recommendation_links_b_id_fkey`);
    await q(`
      CREATE FUNCTION recommendation_links_await_detection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ${STATE_LOCK};
        RETURN OLD;
      END $$`);
    await q(`
      CREATE TRIGGER recommendation_links_await_detection BEFORE DELETE ON recommendations
      FOR EACH ROW WHEN (OLD.state_under_review IS NOT NULL) EXECUTE FUNCTION recommendation_links_await_detection()`);
    await q(`
      CREATE FUNCTION recommendation_links_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM recommendation_links WHERE a_id IN (SELECT id FROM old_rows);
        DELETE FROM recommendation_links WHERE b_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END $$`);
    await q(`
      CREATE TRIGGER recommendation_links_cascade AFTER DELETE ON recommendations
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION recommendation_links_cascade()`);
    await q(`
      CREATE FUNCTION recommendation_links_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE recommendation_links;
        RETURN NULL;
      END $$`);
    await q(`
      CREATE TRIGGER recommendation_links_truncated AFTER TRUNCATE ON recommendations
      FOR EACH STATEMENT EXECUTE FUNCTION recommendation_links_truncated()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const name of ['await_detection', 'cascade', 'truncated']) {
      await q(`DROP TRIGGER recommendation_links_${name} ON recommendations`);
      await q(`DROP FUNCTION recommendation_links_${name}()`);
    }
    for (const side of ['a', 'b']) {
      await q(`
        ALTER TABLE recommendation_links ADD CONSTRAINT recommendation_links_${side}_id_fkey
        FOREIGN KEY (${side}_id) REFERENCES recommendations (id) ON DELETE CASCADE`);
    }
  }
}
