import {
  buildEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  EventEnvelopeSchema,
  Events,
  InvalidEventError,
  UnknownEventTypeError,
  timestampFromDate,
  Topics,
} from '@nmirf/contracts';
import { create, toBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('event contracts', () => {
  it('match what proto/ generates', () => {
    // Throws (with the command's output) when regenerating would change the checked-in code.
    const output = execFileSync('node', [join(root, 'infra/scripts/codegen.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(output).toMatch(/up to date/);
  });

  const base = {
    eventId: randomUUID(),
    occurredAt: new Date('2026-11-27T10:00:00Z'),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { kind: 'user' as const, id: 'coordinator-1', institution: 'NMIRF Secretariat' },
  };

  it('round-trips every envelope field as the producer wrote it', () => {
    const actionId = randomUUID();
    const envelope = buildEnvelope({
      ...base,
      case: 'actionAssigned',
      aggregateId: actionId,
      payload: {
        actionId,
        recommendationId: randomUUID(),
        title: 'Adopt a national action plan on business and human rights',
        institution: 'Ministry of Economy',
        dueAt: timestampFromDate(new Date('2027-03-01T00:00:00Z')),
        previousInstitution: '',
        status: 1,
      },
    });
    const decoded = decodeEnvelope(encodeEnvelope(envelope), actionId);
    expect(decoded).toMatchObject({
      eventId: base.eventId,
      type: 'ActionAssigned',
      schemaVersion: 1,
      aggregateId: actionId,
      correlationId: base.correlationId,
      causationId: base.causationId,
      actor: { id: 'coordinator-1', institution: 'NMIRF Secretariat' },
    });
    expect(decoded.payload.case).toBe('actionAssigned');
    expect(decoded.payload.value).toMatchObject({ institution: 'Ministry of Economy' });
  });

  it('gives every event a versioned topic', () => {
    for (const definition of Object.values(Events)) {
      expect(Topics[definition.topic]).toMatch(/^nmirf\.[a-z]+\.[a-z]+\.v\d+$/);
    }
  });

  it.each([
    ['empty bytes', Buffer.alloc(0), 'empty message'],
    ['JSON text', Buffer.from('{"type":"ActionAssigned"}'), 'not a protobuf EventEnvelope'],
    [
      'an envelope without payload',
      toBinary(EventEnvelopeSchema, create(EventEnvelopeSchema, { eventId: randomUUID() })),
      'no payload',
    ],
  ])('rejects %s', (_, bytes, reason) => {
    expect(() => decodeEnvelope(bytes)).toThrow(InvalidEventError);
    expect(() => decodeEnvelope(bytes)).toThrow(reason);
  });

  it('rejects a type that lies about its payload, a version below 1, and a key that is not the aggregate', () => {
    const id = randomUUID();
    const good = buildEnvelope({
      ...base,
      case: 'actionCreated',
      aggregateId: id,
      payload: { actionId: id, recommendationId: id, title: 't' },
    });
    expect(() => decodeEnvelope(encodeEnvelope({ ...good, type: 'ActionAssigned' }))).toThrow(
      'does not match payload',
    );
    expect(() => decodeEnvelope(encodeEnvelope({ ...good, schemaVersion: 0 }))).toThrow(
      'unsupported schema_version 0',
    );
    // A newer, compatible version of a known type is read with the fields this build knows.
    expect(decodeEnvelope(encodeEnvelope({ ...good, schemaVersion: 2 })).payload.case).toBe('actionCreated');
    expect(() => decodeEnvelope(encodeEnvelope(good), 'another-key')).toThrow('message key differs');
    expect(() => decodeEnvelope(encodeEnvelope({ ...good, eventId: 'not-a-uuid' }))).toThrow(
      'event_id is not a UUID',
    );
  });

  it('carries the aggregate sequence', () => {
    const id = randomUUID();
    const envelope = buildEnvelope({
      ...base,
      case: 'actionCreated',
      aggregateId: id,
      aggregateSequence: 7n,
      payload: { actionId: id, recommendationId: id, title: 't' },
    });
    expect(decodeEnvelope(encodeEnvelope(envelope)).aggregateSequence).toBe(7n);
  });

  it('tells an event type from a newer producer apart from garbage', () => {
    const id = randomUUID();
    const known = buildEnvelope({
      ...base,
      case: 'actionCreated',
      aggregateId: id,
      payload: { actionId: id, recommendationId: id, title: 't' },
    });
    // What a newer build writes: a payload in oneof field 99, which this build does not know.
    const withoutPayload = encodeEnvelope({ ...known, type: 'ActionArchived', payload: { case: undefined } });
    const field99 = Buffer.from([0x9a, 0x06, 0x03, 0x0a, 0x01, 0x78]);
    const newer = Buffer.concat([Buffer.from(withoutPayload), field99]);
    expect(() => decodeEnvelope(newer, id)).toThrow(UnknownEventTypeError);
    expect(() => decodeEnvelope(newer, id)).toThrow('Unknown event type "ActionArchived"');
    // Claiming a known type without its payload is still invalid.
    const lying = Buffer.concat([
      Buffer.from(encodeEnvelope({ ...known, payload: { case: undefined } })),
      field99,
    ]);
    expect(() => decodeEnvelope(lying, id)).toThrow(InvalidEventError);
  });
});
