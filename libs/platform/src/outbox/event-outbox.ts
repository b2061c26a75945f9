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
import { currentContext, newCorrelationId } from '../observability/correlation';

/** An event to publish: one payload case of the envelope, about one aggregate. */
export type PendingEvent = {
  [C in EventCase]: { case: C; aggregateId: string; payload: PayloadInit<C> };
}[EventCase];

/**
 * Writes events in the caller's transaction, so an event exists exactly when its state change does.
 * The relay publishes them afterwards.
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
    const rows = events.map((event) => {
      const eventId = randomUUID();
      const envelope = buildEnvelope({
        eventId,
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
        Buffer.from(encodeEnvelope(envelope)),
        correlationId,
      ];
    });
    const placeholders = rows.map(
      (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
    );
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, payload, correlation_id) VALUES ${placeholders.join(', ')}`,
      rows.flat(),
    );
    // Delivered at commit, and only if the transaction commits: wakes the relay without polling.
    await manager.query(`SELECT pg_notify($1, '')`, [this.notifyChannel]);
    return rows.map((row) => row[0] as string);
  }
}
