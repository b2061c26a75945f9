import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_BULK_SETTING, AUDIT_CANONICAL_SQL, AUDIT_CONTEXT_SETTING } from './audit-sql';

/**
 * The audit trail: one append-only, hash-chained table per service schema.
 * - Row triggers on the service's tables (attached by `attachAuditTriggers` after every migration run)
 *   write a record of each change in the changing transaction, with the actor from `nmirf.audit`.
 * - At commit, a deferred trigger takes the chain's head row, numbers the transaction's records and
 *   hashes each one over the previous hash. The head is locked only for those last statements, so
 *   writers never wait for each other while they hold other locks, and no deadlock can form.
 * - Updates (other than that sealing), deletes and truncation are refused.
 * The functions keep the schema they were made in, whatever the writing session's search_path.
 */
export class PlatformAudit1765000000000 implements MigrationInterface {
  name = 'PlatformAudit1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_record (
        id bigserial PRIMARY KEY,
        seq bigint UNIQUE,
        occurred_at timestamptz NOT NULL DEFAULT statement_timestamp(),
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        actor_kind text NOT NULL,
        actor_id text NOT NULL,
        actor_name text,
        actor_institution text,
        entity text NOT NULL,
        entity_id text,
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'refused')),
        old_values jsonb,
        new_values jsonb,
        detail text,
        correlation_id text,
        causation_id text,
        client_address text,
        user_agent text,
        prev_hash bytea,
        hash bytea
      )`);
    await queryRunner.query(`CREATE INDEX audit_record_unsealed ON audit_record (txid) WHERE seq IS NULL`);
    await queryRunner.query(`CREATE INDEX audit_record_entity ON audit_record (entity, entity_id, seq)`);
    await queryRunner.query(`CREATE INDEX audit_record_actor ON audit_record (actor_id, seq)`);
    await queryRunner.query(`CREATE INDEX audit_record_correlation ON audit_record (correlation_id)`);
    await queryRunner.query(`CREATE INDEX audit_record_occurred ON audit_record (occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE audit_chain (
        id smallint PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL,
        last_hash bytea NOT NULL,
        sealed_at timestamptz
      )`);
    await queryRunner.query(
      `INSERT INTO audit_chain (id, last_seq, last_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'))`,
    );

    await queryRunner.query(`
      CREATE FUNCTION audit_row_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        ctx jsonb := nullif(current_setting('${AUDIT_CONTEXT_SETTING}', true), '')::jsonb;
        key_columns text[] := string_to_array(TG_ARGV[0], ',');
        skipped text[] := coalesce(string_to_array(nullif(TG_ARGV[1], ''), ','), '{}');
        whole jsonb;
        old_values jsonb;
        new_values jsonb;
        changed_old jsonb;
        changed_new jsonb;
        key text;
      BEGIN
        IF current_setting('${AUDIT_BULK_SETTING}', true) = 'on' THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' THEN old_values := to_jsonb(OLD) - skipped; END IF;
        IF TG_OP <> 'DELETE' THEN new_values := to_jsonb(NEW) - skipped; END IF;
        IF TG_OP = 'UPDATE' THEN
          SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_values -> o.key)
            INTO changed_old, changed_new
            FROM jsonb_each(old_values) o
           WHERE o.value IS DISTINCT FROM new_values -> o.key;
          IF changed_old IS NULL THEN RETURN NULL; END IF;
          old_values := changed_old;
          new_values := changed_new;
        END IF;
        whole := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
        SELECT string_agg(coalesce(whole ->> k, ''), '/' ORDER BY n) INTO key
          FROM unnest(key_columns) WITH ORDINALITY AS c(k, n);
        INSERT INTO audit_record (actor_kind, actor_id, actor_name, actor_institution, entity, entity_id,
                                  action, outcome, old_values, new_values, correlation_id, causation_id,
                                  client_address, user_agent)
        VALUES (coalesce(ctx ->> 'actorKind', 'system'),
                coalesce(ctx ->> 'actorId', nullif(current_setting('application_name'), ''), current_user),
                ctx ->> 'actorName', ctx ->> 'actorInstitution', TG_TABLE_NAME, key, lower(TG_OP), 'applied',
                old_values, new_values, ctx ->> 'correlationId', ctx ->> 'causationId',
                ctx ->> 'clientAddress', ctx ->> 'userAgent');
        RETURN NULL;
      END $fn$`);

    await queryRunner.query(`
      CREATE FUNCTION audit_seal() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      DECLARE
        head audit_chain;
        rec audit_record;
        n bigint;
        prev bytea;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM audit_record WHERE txid = pg_current_xact_id() AND seq IS NULL) THEN
          RETURN NULL;
        END IF;
        SELECT * INTO head FROM audit_chain WHERE id = 1 FOR UPDATE;
        n := head.last_seq;
        prev := head.last_hash;
        FOR rec IN SELECT * FROM audit_record WHERE txid = pg_current_xact_id() AND seq IS NULL ORDER BY id LOOP
          n := n + 1;
          rec.seq := n;
          rec.prev_hash := prev;
          prev := sha256(prev || convert_to(${AUDIT_CANONICAL_SQL('rec')}, 'UTF8'));
          UPDATE audit_record SET seq = n, prev_hash = rec.prev_hash, hash = prev WHERE id = rec.id;
        END LOOP;
        UPDATE audit_chain SET last_seq = n, last_hash = prev, sealed_at = clock_timestamp() WHERE id = 1;
        RETURN NULL;
      END $fn$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER audit_record_seal AFTER INSERT ON audit_record
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_seal()`);

    await queryRunner.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.seq IS NULL
           AND to_jsonb(NEW) - '{seq,prev_hash,hash}'::text[] = to_jsonb(OLD) - '{seq,prev_hash,hash}'::text[] THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit records are append-only' USING ERRCODE = 'insufficient_privilege';
      END $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await queryRunner.query(`
      CREATE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      BEGIN
        RAISE EXCEPTION 'audit records are append-only' USING ERRCODE = 'insufficient_privilege';
      END $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record
        FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_record`);
    await queryRunner.query(`DROP TABLE audit_chain`);
    await queryRunner.query(
      `DROP FUNCTION audit_row_change(), audit_seal(), audit_append_only(), audit_no_truncate()`,
    );
  }
}
