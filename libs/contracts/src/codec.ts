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

/**
 * A well-formed envelope whose payload this build does not know: a newer producer's event type.
 * Consumers acknowledge it and count it; it is not the message's fault, so it is not dead-lettered.
 */
export class UnknownEventTypeError extends Error {
  constructor(
    readonly type: string,
    readonly envelope: EventEnvelope,
  ) {
    super(`Unknown event type "${type}"`);
  }
}

export interface NewEvent<C extends EventCase = EventCase> {
  eventId: string;
  /** 1, 2, 3… per aggregate and topic, from the producer's outbox; 0 when unsequenced. */
  aggregateSequence?: bigint;
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
    aggregateSequence: event.aggregateSequence ?? 0n,
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
 * bytes that are not an envelope, a missing id, a type that does not match the payload, or a key
 * that is not the aggregate id. A well-formed envelope of a type this build does not know throws
 * UnknownEventTypeError. A newer schema version of a known type is read with the fields this build
 * knows: within a topic version, changes are compatible by rule.
 */
export function decodeEnvelope(bytes: Uint8Array | null | undefined, key?: string | null): EventEnvelope {
  if (!bytes || bytes.length === 0) throw new InvalidEventError('empty message');
  let envelope: EventEnvelope;
  try {
    envelope = fromBinary(EventEnvelopeSchema, bytes);
  } catch (error) {
    throw new InvalidEventError(`not a protobuf EventEnvelope (${(error as Error).message})`);
  }
  if (!UUID.test(envelope.eventId)) throw new InvalidEventError('event_id is not a UUID');
  const payloadCase = envelope.payload.case;
  if (!payloadCase) {
    // A payload in a oneof field this build lacks arrives as unknown fields.
    const knownType = Object.values(Events).some((definition) => definition.type === envelope.type);
    if (envelope.type && !knownType && envelope.$unknown?.length && envelope.aggregateId)
      throw new UnknownEventTypeError(envelope.type, envelope);
    throw new InvalidEventError('no payload');
  }
  const definition = Events[payloadCase];
  if (envelope.type !== definition.type)
    throw new InvalidEventError(`type "${envelope.type}" does not match payload ${definition.type}`);
  if (envelope.schemaVersion < 1)
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
