import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ActorKind, type Actor } from './gen/nmirf/events/v1/common_pb';
import { EventEnvelopeSchema, type EventEnvelope } from './gen/nmirf/events/v1/envelope_pb';
import { Events, type EventCase, type PayloadInit } from './topics';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message that can never be processed as it is: it belongs on the dead-letter topic. */
export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid event: ${reason}`);
  }
}

export interface NewEvent<C extends EventCase = EventCase> {
  eventId: string;
  case: C;
  payload: PayloadInit<C>;
  aggregateId: string;
  occurredAt: Date;
  correlationId: string;
  causationId: string;
  actor: { kind: 'user' | 'service' | 'system'; id: string; institution?: string };
}

const actorKinds = { user: ActorKind.USER, service: ActorKind.SERVICE, system: ActorKind.SYSTEM } as const;

export function buildEnvelope<C extends EventCase>(event: NewEvent<C>): EventEnvelope {
  const definition = Events[event.case];
  return create(EventEnvelopeSchema, {
    eventId: event.eventId,
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    occurredAt: timestampFromDate(event.occurredAt),
    aggregateId: event.aggregateId,
    correlationId: event.correlationId,
    causationId: event.causationId,
    actor: {
      kind: actorKinds[event.actor.kind],
      id: event.actor.id,
      institution: event.actor.institution ?? '',
    },
    payload: { case: event.case, value: event.payload } as unknown as EventEnvelope['payload'],
  });
}

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return toBinary(EventEnvelopeSchema, envelope);
}

/**
 * Parses and checks a message. Anything a consumer could not safely act on throws InvalidEventError:
 * bytes that are not an envelope, a missing id, a type that does not match the payload, a version
 * this build does not know, or a key that is not the aggregate id.
 */
export function decodeEnvelope(bytes: Uint8Array | null | undefined, key?: string | null): EventEnvelope {
  if (!bytes || bytes.length === 0) throw new InvalidEventError('empty message');
  let envelope: EventEnvelope;
  try {
    envelope = fromBinary(EventEnvelopeSchema, bytes);
  } catch (error) {
    throw new InvalidEventError(`not a protobuf EventEnvelope (${(error as Error).message})`);
  }
  const payloadCase = envelope.payload.case;
  if (!payloadCase) throw new InvalidEventError('no payload');
  const definition = Events[payloadCase];
  if (!UUID.test(envelope.eventId)) throw new InvalidEventError('event_id is not a UUID');
  if (envelope.type !== definition.type)
    throw new InvalidEventError(`type "${envelope.type}" does not match payload ${definition.type}`);
  if (envelope.schemaVersion !== definition.schemaVersion)
    throw new InvalidEventError(
      `unsupported schema_version ${envelope.schemaVersion} for ${definition.type}`,
    );
  if (!envelope.occurredAt) throw new InvalidEventError('occurred_at is missing');
  if (!envelope.aggregateId) throw new InvalidEventError('aggregate_id is missing');
  if (key != null && key !== envelope.aggregateId)
    throw new InvalidEventError('message key differs from aggregate_id');
  if (!envelope.correlationId) throw new InvalidEventError('correlation_id is missing');
  if (!envelope.actor?.id) throw new InvalidEventError('actor is missing');
  return envelope;
}

export function occurredAt(envelope: EventEnvelope): Date {
  return envelope.occurredAt ? timestampDate(envelope.occurredAt) : new Date(0);
}

export function actorLabel(actor: Actor | undefined): string {
  if (!actor) return 'unknown';
  const kind = Object.entries(actorKinds).find(([, value]) => value === actor.kind)?.[0] ?? 'unknown';
  return `${kind}:${actor.id}`;
}
