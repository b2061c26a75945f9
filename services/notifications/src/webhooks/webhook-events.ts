import { toJson } from '@bufbuild/protobuf';
import {
  Events,
  EventEnvelopeSchema,
  occurredAt,
  topicName,
  type EventEnvelope,
  type TopicKey,
} from '@nmirf/contracts';

/** The event catalogue a subscription chooses from: every event type the platform publishes. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.values(Events)
  .map((event) => event.type)
  .sort();

/** Every topic those events travel on, as deployed. */
export function webhookTopics(prefix: string): string[] {
  const keys = new Set<TopicKey>(Object.values(Events).map((event) => event.topic));
  return [...keys].sort().map((key) => topicName(key, prefix));
}

/**
 * The body of a webhook, in the Standard Webhooks shape: `type`, `timestamp` (when the event
 * happened) and `data`, the event's envelope fields and its payload in protobuf's JSON mapping.
 */
export function webhookBody(envelope: EventEnvelope): string {
  const json = toJson(EventEnvelopeSchema, envelope) as Record<string, unknown>;
  const payloadKey = Object.keys(json).find((key) => !ENVELOPE_FIELDS.has(key));
  return JSON.stringify({
    type: envelope.type,
    timestamp: occurredAt(envelope).toISOString(),
    data: {
      eventId: envelope.eventId,
      schemaVersion: envelope.schemaVersion,
      aggregateId: envelope.aggregateId,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      actor: json.actor ?? null,
      payload: payloadKey ? json[payloadKey] : {},
    },
  });
}

const ENVELOPE_FIELDS = new Set([
  'eventId',
  'type',
  'schemaVersion',
  'occurredAt',
  'aggregateId',
  'correlationId',
  'causationId',
  'actor',
  'aggregateSequence',
]);
