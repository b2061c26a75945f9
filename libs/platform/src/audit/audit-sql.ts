/**
 * The canonical text of an audit record that its hash covers: every column except the hash itself,
 * as a JSON array, so that NULLs and separators cannot be confused. `audit:verify` keeps its own
 * copy of this expression (infra/scripts/audit-verify.mjs) and a test checks the two agree.
 */
export const AUDIT_CANONICAL_SQL = (row: string) => `jsonb_build_array(
  ${row}.seq, encode(${row}.prev_hash, 'hex'),
  to_char(${row}.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  ${row}.actor_kind, ${row}.actor_id, ${row}.actor_name, ${row}.actor_institution,
  ${row}.entity, ${row}.entity_id, ${row}.action, ${row}.outcome,
  ${row}.old_values, ${row}.new_values, ${row}.detail,
  ${row}.correlation_id, ${row}.causation_id, ${row}.client_address, ${row}.user_agent
)::text`;

/** Platform bookkeeping that changes on its own; everything else in a service's schema is audited. */
export const UNAUDITED_TABLES = [
  'migrations',
  'outbox',
  'outbox_sequence',
  'inbox',
  'consumer_position',
  'parked_event',
  'dead_lettered_sequence',
  'idempotency_key',
  'audit_record',
  'audit_chain',
];

/** The transaction-local setting that carries who acts, from where, into the row triggers. */
export const AUDIT_CONTEXT_SETTING = 'nmirf.audit';
/** Set by bulk writers (imports) that record one summary record instead of one per row. */
export const AUDIT_BULK_SETTING = 'nmirf.audit_bulk';
