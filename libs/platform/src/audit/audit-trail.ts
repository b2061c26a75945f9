import type { DataSource, EntityManager } from 'typeorm';
import type { AccessRefusal } from '../auth/auth.guard';
import { currentContext } from '../observability/correlation';
import { AUDIT_BULK_SETTING } from './audit-sql';
import { clean } from './audit-context.subscriber';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  outcome?: 'applied' | 'refused';
  correlationId?: string;
  from?: Date;
  to?: Date;
  /** Records before this sequence number (the next page of a newest-first listing). */
  beforeSeq?: number;
  limit: number;
}

export interface AuditRecordView {
  seq: number;
  occurredAt: Date;
  actor: { kind: string; id: string; name: string | null; institution: string | null };
  entity: string;
  entityId: string | null;
  action: string;
  outcome: 'applied' | 'refused';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: string | null;
  correlationId: string | null;
  causationId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  hash: string;
}

/** Reads the service's sealed audit records, newest first. */
export async function readAuditTrail(
  dataSource: DataSource,
  filter: AuditFilter,
): Promise<AuditRecordView[]> {
  const conditions = ['seq IS NOT NULL'];
  const parameters: unknown[] = [];
  const where = (sql: string, value: unknown) => {
    parameters.push(value);
    conditions.push(sql.replace('?', `$${parameters.length}`));
  };
  if (filter.entity !== undefined) where('entity = ?', filter.entity);
  if (filter.entityId !== undefined) where('entity_id = ?', filter.entityId);
  if (filter.actorId !== undefined) where('actor_id = ?', filter.actorId);
  if (filter.action !== undefined) where('action = ?', filter.action);
  if (filter.outcome !== undefined) where('outcome = ?', filter.outcome);
  if (filter.correlationId !== undefined) where('correlation_id = ?', filter.correlationId);
  if (filter.from !== undefined) where('occurred_at >= ?', filter.from);
  if (filter.to !== undefined) where('occurred_at < ?', filter.to);
  if (filter.beforeSeq !== undefined) where('seq < ?', filter.beforeSeq);
  parameters.push(filter.limit);
  const rows: Record<string, never>[] = await dataSource.query(
    `SELECT seq, occurred_at, actor_kind, actor_id, actor_name, actor_institution, entity, entity_id,
            action, outcome, old_values, new_values, detail, correlation_id, causation_id,
            client_address, user_agent, encode(hash, 'hex') AS hash
       FROM audit_record WHERE ${conditions.join(' AND ')}
      ORDER BY seq DESC LIMIT $${parameters.length}`,
    parameters,
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: {
      kind: row.actor_kind,
      id: row.actor_id,
      name: row.actor_name,
      institution: row.actor_institution,
    },
    entity: row.entity,
    entityId: row.entity_id,
    action: row.action,
    outcome: row.outcome,
    before: row.old_values,
    after: row.new_values,
    detail: row.detail,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    clientAddress: row.client_address,
    userAgent: row.user_agent,
    hash: row.hash,
  }));
}

/** A refused sign-in (401) or action (403), recorded on its own: there is no change to join. */
export async function recordRefusal(dataSource: DataSource, refusal: AccessRefusal): Promise<void> {
  const { request, principal } = refusal;
  const context = currentContext();
  const route = `${request.method} ${request.route?.path ?? request.path}`;
  await dataSource.query(
    `INSERT INTO audit_record (actor_kind, actor_id, actor_name, actor_institution, entity, entity_id,
                               action, outcome, detail, correlation_id, causation_id, client_address, user_agent)
     VALUES ($1, $2, $3, $4, 'route', $5, $6, 'refused', $7, $8, $8, $9, $10)`,
    [
      principal ? principal.kind : 'anonymous',
      clean(principal?.subject) ?? 'anonymous',
      clean(principal?.name) ?? null,
      clean(principal?.institutions[0]) ?? null,
      clean(route),
      refusal.status === 401 ? 'sign-in.refused' : 'access.refused',
      clean(refusal.reason),
      context?.correlationId ?? null,
      clean(context?.client?.address ?? request.ip) ?? null,
      clean(context?.client?.userAgent ?? request.header('user-agent')) ?? null,
    ],
  );
}

/**
 * For bulk writers (an import of thousands of rows): the row triggers stand down for the rest of the
 * transaction; the writer records one summary with `recordAudit` before it commits.
 */
export async function suspendRowAudit(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config($1, 'on', true)`, [AUDIT_BULK_SETTING]);
}

/** Records one change by the current actor in the caller's transaction, e.g. a bulk write's summary. */
export async function recordAudit(
  manager: EntityManager,
  record: { entity: string; entityId: string; action: string; after: Record<string, unknown> },
): Promise<void> {
  const context = currentContext();
  await manager.query(
    `INSERT INTO audit_record (actor_kind, actor_id, actor_name, actor_institution, entity, entity_id,
                               action, outcome, new_values, correlation_id, causation_id, client_address, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied', $8, $9, $10, $11, $12)`,
    [
      context?.actor?.kind ?? 'system',
      clean(context?.actor?.id) ?? 'system',
      clean(context?.actor?.name) ?? null,
      clean(context?.actor?.institution) ?? null,
      record.entity,
      record.entityId,
      record.action,
      JSON.stringify(record.after),
      context?.correlationId ?? null,
      clean(context?.causationId) ?? null,
      clean(context?.client?.address) ?? null,
      clean(context?.client?.userAgent) ?? null,
    ],
  );
}
