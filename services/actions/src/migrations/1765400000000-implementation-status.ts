import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable'`;

/**
 * A recommendation's implementation status, rolled up from its actions: the last one worked out, the
 * coordinator's override in force, and every override set or removed with its justification.
 */
export class ImplementationStatus1765400000000 implements MigrationInterface {
  name = 'ImplementationStatus1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE implementation_status (
        recommendation_id uuid PRIMARY KEY,
        derived text NOT NULL,
        effective text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT implementation_status_derived
          CHECK (derived IN ('not_started', 'in_progress', 'partially_implemented', 'implemented')),
        CONSTRAINT implementation_status_effective CHECK (effective IN (${STATUSES}))
      )`);
    await queryRunner.query(`
      CREATE TABLE implementation_overrides (
        recommendation_id uuid PRIMARY KEY,
        status text NOT NULL,
        justification text NOT NULL,
        actor text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT implementation_overrides_status CHECK (status IN (${STATUSES})),
        CONSTRAINT implementation_overrides_justification CHECK (btrim(justification) <> '')
      )`);
    await queryRunner.query(`
      CREATE TABLE implementation_override_history (
        id bigserial PRIMARY KEY,
        recommendation_id uuid NOT NULL,
        change text NOT NULL,
        status text NOT NULL,
        justification text NOT NULL,
        actor text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT implementation_override_history_change CHECK (change IN ('set', 'removed')),
        CONSTRAINT implementation_override_history_justification CHECK (btrim(justification) <> '')
      )`);
    await queryRunner.query(
      `CREATE INDEX implementation_override_history_recommendation
         ON implementation_override_history (recommendation_id, id)`,
    );
    // The justifications are the record of why a status was overridden: they are never rewritten.
    await queryRunner.query(`
      CREATE FUNCTION implementation_override_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'implementation_override_history is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_override_history_append_only
        BEFORE UPDATE OR DELETE ON implementation_override_history
        FOR EACH ROW EXECUTE FUNCTION implementation_override_history_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER implementation_override_history_no_truncate
        BEFORE TRUNCATE ON implementation_override_history
        FOR EACH STATEMENT EXECUTE FUNCTION implementation_override_history_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE implementation_override_history`);
    await queryRunner.query(`DROP FUNCTION implementation_override_history_append_only()`);
    await queryRunner.query(`DROP TABLE implementation_overrides`);
    await queryRunner.query(`DROP TABLE implementation_status`);
  }
}
