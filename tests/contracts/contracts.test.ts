import {
  buildEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  EventEnvelopeSchema,
  Events,
  InvalidEventError,
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

  it('rejects a type that lies about its payload, an unknown version, and a key that is not the aggregate', () => {
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
    expect(() => decodeEnvelope(encodeEnvelope({ ...good, schemaVersion: 2 }))).toThrow(
      'unsupported schema_version 2',
    );
    expect(() => decodeEnvelope(encodeEnvelope(good), 'another-key')).toThrow('message key differs');
    expect(() => decodeEnvelope(encodeEnvelope({ ...good, eventId: 'not-a-uuid' }))).toThrow(
      'event_id is not a UUID',
    );
  });
});
