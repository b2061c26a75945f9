import { randomUUID } from 'node:crypto';
import {
  buildEnvelope,
  encodeEnvelope,
  Events,
  topicName,
  type EventCase,
  type PayloadInit,
} from '@nmirf/contracts';
import type { EntityManager } from 'typeorm';
import { copyBinary, type BinaryColumnType } from '../db/copy-binary';
import { currentContext, newCorrelationId } from '../observability/correlation';
import { currentTraceparent } from '../observability/tracing';

const COLUMNS = [
  ['event_id', 'uuid'],
  ['event_type', 'text'],
  ['topic', 'text'],
  ['message_key', 'text'],
  ['payload', 'bytea'],
  ['correlation_id', 'text'],
  ['aggregate_sequence', 'bigint'],
  ['traceparent', 'text'],
] as const satisfies ReadonlyArray<readonly [string, BinaryColumnType]>;
type OutboxRow = [string, string, string, string, Uint8Array, string, bigint, string | null];

/**
 * Events from this many on go in by binary COPY: an import's batch of thousands, payloads as raw
 * bytes, where an INSERT from arrays has PostgreSQL parse a `bytea[]` parameter element by element.
 */
const COPY_FROM = 100;

/** A value as pg sends it: bytes as a Buffer (a view, not a copy), a bigint as text. */
const asParameter = (type: BinaryColumnType, value: OutboxRow[number]) =>
  type === 'bytea' && value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : typeof value === 'bigint'
      ? String(value)
      : value;

/** An event to publish: one payload case of the envelope, about one aggregate. */
export type PendingEvent = {
  [C in EventCase]: { case: C; aggregateId: string; payload: PayloadInit<C> };
}[EventCase];

/**
 * Writes events in the caller's transaction, so an event exists exactly when its state change does.
 * The relay publishes them afterwards. Each event gets the next sequence number of its aggregate on
 * its topic; taking it locks the aggregate's counter row until commit, so two transactions on one
 * aggregate commit their events in sequence order.
 */
export class EventOutbox {
  constructor(
    private readonly serviceName: string,
    private readonly topicPrefix: string,
    private readonly notifyChannel: string,
  ) {}

  async append(manager: EntityManager, ...events: PendingEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const context = currentContext();
    const correlationId = context?.correlationId ?? newCorrelationId();
    const traceparent = currentTraceparent() ?? null;
    const sequences = await this.nextSequences(
      manager,
      events.map((event) => ({
        topic: topicName(Events[event.case].topic, this.topicPrefix),
        aggregateId: event.aggregateId,
      })),
    );
    const rows = events.map((event, index): OutboxRow => {
      const eventId = randomUUID();
      const envelope = buildEnvelope({
        eventId,
        aggregateSequence: sequences[index],
        case: event.case,
        payload: event.payload,
        aggregateId: event.aggregateId,
        occurredAt: new Date(),
        correlationId,
        causationId: context?.causationId ?? correlationId,
        actor: context?.actor ?? { kind: 'service', id: this.serviceName },
      });
      const topic = topicName(Events[event.case].topic, this.topicPrefix);
      return [
        eventId,
        envelope.type,
        topic,
        event.aggregateId,
        encodeEnvelope(envelope),
        correlationId,
        sequences[index],
        traceparent,
      ];
    });
    if (rows.length >= COPY_FROM && manager.queryRunner) {
      await copyBinary(manager, 'outbox', COLUMNS, rows);
    } else {
      // One array per column: a batch of thousands of events is 8 parameters, not 8 per event.
      await manager.query(
        `INSERT INTO outbox (${COLUMNS.map(([name]) => name).join(', ')})
         SELECT * FROM unnest(${COLUMNS.map(([, type], j) => `$${j + 1}::${type}[]`).join(', ')})`,
        COLUMNS.map(([, type], j) => rows.map((row) => asParameter(type, row[j]))),
      );
    }
    // Delivered at commit, and only if the transaction commits: wakes the relay without polling.
    await manager.query(`SELECT pg_notify($1, '')`, [this.notifyChannel]);
    return rows.map((row) => row[0] as string);
  }

  /** Reserves consecutive numbers per (topic, aggregate), locking counters in a fixed order. */
  private async nextSequences(
    manager: EntityManager,
    targets: Array<{ topic: string; aggregateId: string }>,
  ): Promise<bigint[]> {
    const counts = new Map<string, { topic: string; aggregateId: string; count: number }>();
    for (const target of targets) {
      const key = `${target.topic}\u0000${target.aggregateId}`;
      const entry = counts.get(key) ?? { ...target, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const reserved: Array<{ topic: string; aggregate_id: string; last_sequence: string }> =
      await manager.query(
        `INSERT INTO outbox_sequence AS s (topic, aggregate_id, last_sequence)
       SELECT topic, aggregate_id, n FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS t(topic, aggregate_id, n, ord)
       ORDER BY ord
       ON CONFLICT (topic, aggregate_id) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence
       RETURNING topic, aggregate_id, last_sequence`,
        [
          entries.map(([, e]) => e.topic),
          entries.map(([, e]) => e.aggregateId),
          entries.map(([, e]) => e.count),
        ],
      );
    const next = new Map<string, bigint>();
    for (const row of reserved) {
      const key = `${row.topic}\u0000${row.aggregate_id}`;
      next.set(key, BigInt(row.last_sequence) - BigInt(counts.get(key)?.count ?? 0) + 1n);
    }
    return targets.map((target) => {
      const key = `${target.topic}\u0000${target.aggregateId}`;
      const sequence = next.get(key) ?? 0n;
      next.set(key, sequence + 1n);
      return sequence;
    });
  }
}
