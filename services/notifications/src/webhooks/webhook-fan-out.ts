import type { EventEnvelope } from '@nmirf/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { webhookBody } from './webhook-events';
import type { PlannedAttempt } from './webhook-job-queue';

/**
 * Turns one event into a delivery for each active subscription to its type, in the caller's
 * transaction. Idempotent per event and subscription (unique key): an event read twice from Kafka
 * makes no second delivery. Returns the first attempts to schedule after commit.
 */
export async function fanOutEvent(
  manager: EntityManager,
  envelope: EventEnvelope,
  now = new Date(),
): Promise<PlannedAttempt[]> {
  const subscriptions: Array<{ id: string }> = await manager.query(
    `SELECT id FROM webhook_subscriptions WHERE status = 'active' AND $1 = ANY (event_types)`,
    [envelope.type],
  );
  if (subscriptions.length === 0) return [];
  const body = webhookBody(envelope);
  const planned: PlannedAttempt[] = [];
  for (const { id: subscriptionId } of subscriptions) {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, status, retrying_since, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)
       ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id`,
      [randomUUID(), subscriptionId, envelope.eventId, envelope.type, body, now],
    );
    if (inserted.length === 1) planned.push({ deliveryId: inserted[0].id, attempt: 1, at: now });
  }
  return planned;
}
