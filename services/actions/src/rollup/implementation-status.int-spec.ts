import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decodeEnvelope, ImplementationStatus as Contract, type EventEnvelope } from '@nmirf/contracts';
import {
  applyHttpConventions,
  applyHttpHardening,
  EventOutbox,
  migrate,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActionsController } from '../actions/actions.controller';
import { ActionsService } from '../actions/actions.service';
import { entities, migrations, SCHEMA } from '../database';
import { ImplementationStatusController } from './implementation-status.controller';
import { ImplementationStatusService } from './implementation-status.service';

jest.setTimeout(60_000);

const COORDINATOR: Principal = {
  subject: 'coordinator-1',
  name: 'Test Coordinator',
  kind: 'user',
  roles: new Set(['coordinator']),
  institutions: ['NMIRF Secretariat'],
  scopes: new Set(),
};

interface Answer {
  status: number;
  body: any;
}

type StatusEvent = {
  key: string;
  topic: string;
  sequence: bigint;
  status: Contract;
  previousStatus: Contract;
  derivedStatus: Contract;
  overridden: boolean;
  justification: string;
};

describe('implementation status roll-up and overrides (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_rollup');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 6 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    const module = await Test.createTestingModule({
      controllers: [ActionsController, ImplementationStatusController],
      providers: [
        ActionsService,
        ImplementationStatusService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    // Authentication and roles are tested end to end (tests/e2e/authorization.e2e.ts).
    app.use((request: { principal?: Principal }, _: unknown, next: () => void) => {
      request.principal = COORDINATOR;
      next();
    });
    applyHttpHardening(app);
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  async function send(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function knownRecommendation(): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', $2)`,
      [id, `121.${Math.floor(Math.random() * 1000)}`],
    );
    return id;
  }

  async function newAction(recommendationId: string): Promise<string> {
    // Assigned: under the workflow, only an assigned action can move forward.
    const created = await send('POST', '/actions', {
      recommendationId,
      title: 'Draft the bill',
      institution: 'Ministry of Justice',
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function progress(actionId: string, status: string): Promise<void> {
    const answer = await send('POST', `/actions/${actionId}/progress`, { status, note: '' });
    expect(answer.status).toBe(201);
  }

  /** The roll-up's events about one recommendation, oldest first. */
  async function statusEvents(recommendationId: string): Promise<StatusEvent[]> {
    const rows: Array<{ payload: Buffer; message_key: string; topic: string }> = await dataSource.query(
      `SELECT payload, message_key, topic FROM outbox
        WHERE event_type = 'RecommendationImplementationStatusChanged' AND message_key = $1 ORDER BY seq`,
      [recommendationId],
    );
    return rows.map((row) => {
      const envelope: EventEnvelope = decodeEnvelope(row.payload, row.message_key);
      if (envelope.payload.case !== 'recommendationImplementationStatusChanged')
        throw new Error(`unexpected ${envelope.type}`);
      const { recommendationId: id, $typeName, ...payload } = envelope.payload.value;
      expect([id, $typeName]).toEqual([
        recommendationId,
        'nmirf.events.v1.RecommendationImplementationStatusChanged',
      ]);
      return { key: row.message_key, topic: row.topic, sequence: envelope.aggregateSequence, ...payload };
    });
  }

  const change = (status: Contract, previousStatus: Contract, derivedStatus = status) =>
    expect.objectContaining({ status, previousStatus, derivedStatus, overridden: false, justification: '' });

  async function tableCounts(): Promise<string> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM outbox) AS events,
              (SELECT count(*) FROM implementation_overrides) AS overrides,
              (SELECT count(*) FROM implementation_override_history) AS history,
              (SELECT count(*) FROM implementation_status) AS statuses`,
    );
    return JSON.stringify(row);
  }

  it('rolls the actions up as they move, publishing each change of status on its own topic', async () => {
    const rec = await knownRecommendation();
    const first = await newAction(rec);
    expect(await statusEvents(rec)).toEqual([]);
    await progress(first, 'in_progress');
    await progress(first, 'blocked');
    await progress(first, 'completed');
    const second = await newAction(rec);
    await progress(second, 'cancelled');

    const events = await statusEvents(rec);
    expect(events).toEqual([
      change(Contract.IN_PROGRESS, Contract.NOT_STARTED),
      change(Contract.IMPLEMENTED, Contract.IN_PROGRESS),
      change(Contract.PARTIALLY_IMPLEMENTED, Contract.IMPLEMENTED),
      change(Contract.IMPLEMENTED, Contract.PARTIALLY_IMPLEMENTED),
    ]);
    expect(events.map((event) => [event.topic, event.key, event.sequence])).toEqual(
      [1n, 2n, 3n, 4n].map((sequence) => ['nmirf.actions.implementation.v1', rec, sequence]),
    );
    expect(await send('GET', `/recommendations/${rec}/implementation-status`)).toEqual({
      status: 200,
      body: {
        recommendationId: rec,
        derived: 'implemented',
        override: null,
        effective: 'implemented',
        history: [],
      },
    });
  });

  it('lets the coordinator override the status with a justification, kept after the override is removed', async () => {
    const rec = await knownRecommendation();
    const action = await newAction(rec);
    await progress(action, 'in_progress');

    const why = 'The Criminal Code amendment of 2025 repealed the provision.\nConfirmed by the Ministry.';
    const overridden = await send('PUT', `/recommendations/${rec}/implementation-status`, {
      status: 'no_longer_applicable',
      justification: why,
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({
      derived: 'in_progress',
      effective: 'no_longer_applicable',
      override: { status: 'no_longer_applicable', justification: why, decidedBy: 'coordinator-1' },
      history: [
        { change: 'set', status: 'no_longer_applicable', justification: why, decidedBy: 'coordinator-1' },
      ],
    });

    // Under the override, the actions keep moving without changing the status in force.
    await progress(action, 'completed');
    const under = await send('GET', `/recommendations/${rec}/implementation-status`);
    expect(under.body).toMatchObject({ derived: 'implemented', effective: 'no_longer_applicable' });

    const removed = await send('DELETE', `/recommendations/${rec}/implementation-status`, {
      justification: 'A new action plan was adopted: follow the actions again.',
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ derived: 'implemented', effective: 'implemented', override: null });
    expect(removed.body.history.map((entry: { change: string; status: string }) => entry)).toEqual([
      expect.objectContaining({ change: 'set', status: 'no_longer_applicable', justification: why }),
      expect.objectContaining({
        change: 'removed',
        status: 'no_longer_applicable',
        justification: 'A new action plan was adopted: follow the actions again.',
      }),
    ]);

    expect(await statusEvents(rec)).toEqual([
      change(Contract.IN_PROGRESS, Contract.NOT_STARTED),
      expect.objectContaining({
        status: Contract.NO_LONGER_APPLICABLE,
        previousStatus: Contract.IN_PROGRESS,
        derivedStatus: Contract.IN_PROGRESS,
        overridden: true,
        justification: why,
      }),
      change(Contract.IMPLEMENTED, Contract.NO_LONGER_APPLICABLE),
    ]);

    // Nothing to remove any more; and the history cannot be rewritten.
    const again = await send('DELETE', `/recommendations/${rec}/implementation-status`, {
      justification: 'x',
    });
    expect(again.status).toBe(409);
    await expect(
      dataSource.query(`UPDATE implementation_override_history SET justification = 'edited'`),
    ).rejects.toThrow('append-only');
    await expect(dataSource.query(`DELETE FROM implementation_override_history`)).rejects.toThrow(
      'append-only',
    );
  });

  it('rolls concurrent completions up one after the other', async () => {
    const rec = await knownRecommendation();
    const actions = await Promise.all([newAction(rec), newAction(rec), newAction(rec)]);
    for (const action of actions) await progress(action, 'in_progress');
    await Promise.all(actions.map((action) => progress(action, 'completed')));
    const events = await statusEvents(rec);
    expect(events.at(-1)).toMatchObject({ status: Contract.IMPLEMENTED });
    const [recorded] = await dataSource.query(
      `SELECT derived, effective FROM implementation_status WHERE recommendation_id = $1`,
      [rec],
    );
    expect(recorded).toEqual({ derived: 'implemented', effective: 'implemented' });
  });

  it('answers 404 for a recommendation this service does not know, and 400 for bad input, writing nothing', async () => {
    const rec = await knownRecommendation();
    const before = await tableCounts();
    const unknown = randomUUID();
    const path = (id: string) => `/recommendations/${id}/implementation-status`;
    const good = { status: 'implemented', justification: 'Confirmed by the Ombudsman.' };
    expect((await send('GET', path(unknown))).status).toBe(404);
    expect((await send('PUT', path(unknown), good)).status).toBe(404);
    expect((await send('DELETE', path(unknown), { justification: 'x' })).status).toBe(404);
    for (const body of [
      {},
      { status: 'implemented' },
      { status: 'implemented', justification: '   \n\t ' },
      { status: 'implemented', justification: 42 },
      { status: 'implemented', justification: 'x'.repeat(5_001) },
      { status: 'done', justification: 'A reason' },
      { status: null, justification: 'A reason' },
      { ...good, extra: true },
    ]) {
      const answer = await send('PUT', path(rec), body);
      expect([JSON.stringify(body).slice(0, 60), answer.status]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
      ]);
    }
    expect((await send('DELETE', path(rec), {})).status).toBe(400);
    expect((await send('DELETE', path(rec), { justification: '' })).status).toBe(400);
    expect((await send('PUT', path('not-a-uuid'), good)).status).toBe(400);
    expect((await send('GET', path('not-a-uuid'))).status).toBe(400);
    expect(await tableCounts()).toBe(before);
  });
});
