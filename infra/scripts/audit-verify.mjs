#!/usr/bin/env node
// npm run audit:verify: walks every service's audit chain in the database and names the first broken
// link (an edited, deleted or unsealed record, or a chain cut short). Exit 0 when every chain holds.
//   --database-url <url>   default DATABASE_URL, then the local development database
//   --schema <name>        only this service's schema (repeatable); default every schema with a trail
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: { 'database-url': { type: 'string' }, schema: { type: 'string', multiple: true } },
});
const url = values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nmirf';
const BATCH = 5_000;

// The same canonical text the sealing trigger hashes (libs/platform/src/audit/audit-sql.ts), kept
// here on purpose: the check must not trust a function stored in the database it checks.
const CANONICAL = `jsonb_build_array(
  a.seq, encode(a.prev_hash, 'hex'),
  to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  a.actor_kind, a.actor_id, a.actor_name, a.actor_institution,
  a.entity, a.entity_id, a.action, a.outcome,
  a.old_values, a.new_values, a.detail,
  a.correlation_id, a.causation_id, a.client_address, a.user_agent
)::text`;

const ident = (name) => `"${name.replace(/"/g, '""')}"`;

async function verify(client, schema) {
  const table = `${ident(schema)}.audit_record`;
  const [head] = (
    await client.query(`SELECT last_seq, last_hash FROM ${ident(schema)}.audit_chain WHERE id = 1`)
  ).rows;
  if (!head) return { records: 0, broken: 'the chain head is missing' };
  const lastSeq = BigInt(head.last_seq);
  let expectedSeq = 1n;
  let previous = Buffer.alloc(32);
  for (;;) {
    const { rows } = await client.query(
      `SELECT a.id, a.seq, a.prev_hash, a.hash, ${CANONICAL} AS canonical
         FROM ${table} a WHERE a.seq >= $1 AND a.seq <= $2 ORDER BY a.seq LIMIT ${BATCH}`,
      [String(expectedSeq), String(lastSeq)],
    );
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq)
        return {
          records: Number(expectedSeq - 1n),
          broken: `record ${expectedSeq} is missing (deleted): the next is ${seq}`,
        };
      if (!row.prev_hash?.equals(previous))
        return {
          records: Number(seq - 1n),
          broken: `record ${seq} does not follow record ${seq - 1n}: its previous hash differs`,
        };
      const hash = createHash('sha256').update(previous).update(row.canonical, 'utf8').digest();
      if (!row.hash?.equals(hash))
        return {
          records: Number(seq - 1n),
          broken: `record ${seq} (id ${row.id}) was changed after it was written`,
        };
      previous = hash;
      expectedSeq = seq + 1n;
    }
    if (rows.length < BATCH) break;
  }
  if (expectedSeq - 1n !== lastSeq)
    return {
      records: Number(expectedSeq - 1n),
      broken: `records ${expectedSeq} to ${lastSeq} are missing (deleted)`,
    };
  if (!previous.equals(head.last_hash))
    return { records: Number(lastSeq), broken: `the chain head does not match record ${lastSeq}` };
  const [{ outside }] = (
    await client.query(
      `SELECT count(*)::int AS outside FROM ${table} a
        WHERE a.seq IS NULL AND a.txid < pg_snapshot_xmin(pg_current_snapshot())`,
    )
  ).rows;
  if (outside > 0)
    return { records: Number(lastSeq), broken: `${outside} record(s) were written outside the chain` };
  return { records: Number(lastSeq), head: previous.toString('hex') };
}

const client = new pg.Client({ connectionString: url, application_name: 'audit-verify' });
try {
  await client.connect();
} catch (error) {
  process.stderr.write(`Cannot reach PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')}: ${error.message}\n`);
  process.exit(2);
}
let failed = false;
try {
  const found = (
    await client.query(
      `SELECT table_schema AS schema FROM information_schema.tables
        WHERE table_name = 'audit_chain' AND table_type = 'BASE TABLE' ORDER BY 1`,
    )
  ).rows.map((row) => row.schema);
  const schemas = values.schema ?? found;
  if (schemas.length === 0) {
    process.stderr.write('No audit trail found in this database\n');
    failed = true;
  }
  for (const schema of schemas) {
    if (!found.includes(schema)) {
      process.stdout.write(`${schema}: no audit trail\n`);
      failed = true;
      continue;
    }
    const result = await verify(client, schema);
    if (result.broken) {
      failed = true;
      process.stdout.write(`${schema}: BROKEN after ${result.records} good record(s): ${result.broken}\n`);
    } else
      process.stdout.write(`${schema}: ${result.records} record(s), chain intact, head ${result.head}\n`);
  }
} finally {
  await client.end();
}
process.exit(failed ? 1 : 0);
