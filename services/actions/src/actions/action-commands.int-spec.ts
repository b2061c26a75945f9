import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ActionStatus, decodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
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
import { entities, migrations, SCHEMA } from '../database';
import { ActionCommandsController } from './action-commands.controller';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';

jest.setTimeout(60_000);

const principal = (subject: string, roles: Principal['roles'], institutions: string[]): Principal => ({
  subject,
  name: subject,
  kind: 'user',
  roles,
  institutions,
  scopes: new Set(),
});
/** Who the request is from, chosen by the test's `x-as` header; authentication is tested end to end. */
const CALLERS: Record<string, Principal> = {
  coordinator: principal('coordinator-1', new Set(['coordinator']), ['NMIRF Secretariat']),
  'focal.justice': principal('focal-justice-1', new Set(['focal_point']), ['ministry of justice']),
  'focal.justice.2': principal('focal-justice-2', new Set(['focal_point']), ['Ministry of Justice']),
  'focal.interior': principal('focal-interior-1', new Set(['focal_point']), ['Ministry of Interior']),
  'focal.health': principal('focal-health-1', new Set(['focal_point']), ['Ministry of Health']),
};

interface Answer {
  status: number;
  body: any;
  etag: string | null;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();

describe('action workflow commands over HTTP (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  const recommendationId = randomUUID();

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_workflow_commands');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.7')`,
      [recommendationId],
    );
    const module = await Test.createTestingModule({
      controllers: [ActionsController, ActionCommandsController],
      providers: [
        ActionsService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.use(
      (request: { principal?: Principal; headers: Record<string, string> }, _: unknown, next: () => void) => {
        request.principal = CALLERS[request.headers['x-as'] ?? 'coordinator'];
        next();
      },
    );
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

  async function send(
    method: string,
    path: string,
    options: { body?: unknown; as?: string; ifMatch?: string } = {},
  ): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.as ? { 'x-as': options.as } : {}),
        ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      etag: response.headers.get('etag'),
    };
  }

  async function eventsSince(count: number): Promise<EventEnvelope[]> {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox ORDER BY seq OFFSET $1`,
      [count],
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }
  const eventCount = async () => Number((await dataSource.query(`SELECT count(*) FROM outbox`))[0].count);

  /** Every row a command could touch, as one comparable string. */
  async function snapshot(): Promise<string> {
    const [row] = await dataSource.query(
      `SELECT (SELECT md5(string_agg(a::text, '|' ORDER BY id)) FROM actions a) AS actions,
              (SELECT count(*) FROM action_supporting_institutions) AS supporting,
              (SELECT count(*) FROM outbox) AS events`,
    );
    return JSON.stringify(row);
  }

  async function assignedAction(
    supportingInstitutions: string[] = [],
  ): Promise<{ id: string; etag: string }> {
    const created = await send('POST', '/actions', {
      body: { recommendationId, title: 'Draft the bill' },
    });
    expect(created.body.status).toBe('proposed');
    const assigned = await send('POST', `/actions/${created.body.id}/assign`, {
      body: { institution: 'Ministry of Justice', supportingInstitutions, dueDate: day(30) },
      ifMatch: `"${created.body.version}"`,
    });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned' } });
    return { id: created.body.id, etag: assigned.etag as string };
  }

  /** Sends a command with the current ETag and expects `status`; without a change when refused. */
  async function command(
    id: string,
    name: string,
    status: number,
    options: { body?: unknown; as?: string } = {},
  ): Promise<Answer> {
    const current = await send('GET', `/actions/${id}`);
    const before = await snapshot();
    const answer = await send('POST', `/actions/${id}/${name}`, {
      ...options,
      ifMatch: `"${current.body.version}"`,
    });
    expect({ name, status: answer.status, body: answer.body }).toMatchObject({ name, status });
    if (status >= 400) expect(await snapshot()).toBe(before);
    return answer;
  }

  it('walks an action through the workflow, one versioned event per step, the ETag moving on', async () => {
    const { id, etag } = await assignedAction(['Ministry of Interior']);
    expect(etag).toBe('"2"');
    const since = await eventCount();
    const acknowledged = await command(id, 'acknowledge', 200, { as: 'focal.justice' });
    expect(acknowledged).toMatchObject({
      etag: '"3"',
      body: { status: 'acknowledged', version: 3, supportingInstitutions: ['Ministry of Interior'] },
    });
    await command(id, 'start', 200, { as: 'focal.justice' });
    await command(id, 'block', 200, { as: 'focal.justice', body: { reason: 'Awaiting the budget' } });
    await command(id, 'unblock', 200);
    await command(id, 'complete', 200);
    await command(id, 'reopen', 200, { body: { reason: 'The validation found a gap' } });
    const cancelled = await command(id, 'cancel', 200, { body: { reason: 'Superseded by the new plan' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 9 });

    const events = await eventsSince(since);
    const steps = events.flatMap((event) =>
      event.payload.case === 'actionTransitioned' ? [event.payload.value] : [],
    );
    expect(
      steps.map(({ command, fromStatus, toStatus, reason, version }) => ({
        command,
        fromStatus,
        toStatus,
        reason,
        version,
      })),
    ).toEqual([
      {
        command: 'acknowledge',
        fromStatus: ActionStatus.ASSIGNED,
        toStatus: ActionStatus.ACKNOWLEDGED,
        reason: '',
        version: 3,
      },
      {
        command: 'start',
        fromStatus: ActionStatus.ACKNOWLEDGED,
        toStatus: ActionStatus.IN_PROGRESS,
        reason: '',
        version: 4,
      },
      {
        command: 'block',
        fromStatus: ActionStatus.IN_PROGRESS,
        toStatus: ActionStatus.BLOCKED,
        reason: 'Awaiting the budget',
        version: 5,
      },
      {
        command: 'unblock',
        fromStatus: ActionStatus.BLOCKED,
        toStatus: ActionStatus.IN_PROGRESS,
        reason: '',
        version: 6,
      },
      {
        command: 'complete',
        fromStatus: ActionStatus.IN_PROGRESS,
        toStatus: ActionStatus.COMPLETED,
        reason: '',
        version: 7,
      },
      {
        command: 'reopen',
        fromStatus: ActionStatus.COMPLETED,
        toStatus: ActionStatus.IN_PROGRESS,
        reason: 'The validation found a gap',
        version: 8,
      },
      {
        command: 'cancel',
        fromStatus: ActionStatus.IN_PROGRESS,
        toStatus: ActionStatus.CANCELLED,
        reason: 'Superseded by the new plan',
        version: 9,
      },
    ]);
    expect(steps[0]).toMatchObject({
      leadInstitutionId: 'Ministry of Justice',
      supportingInstitutionIds: ['Ministry of Interior'],
    });
    // Deadlines and counts follow ActionProgressReported, one per step here.
    const reported = events.filter((event) => event.payload.case === 'actionProgressReported');
    expect(reported).toHaveLength(7);
    expect(
      events.every(
        (event) => event.aggregateId === id || event.type === 'RecommendationImplementationStatusChanged',
      ),
    ).toBe(true);
  });

  it('428 without If-Match, 412 on a stale one, and nothing changes', async () => {
    const { id, etag } = await assignedAction();
    const before = await snapshot();
    const missing = await send('POST', `/actions/${id}/acknowledge`, { as: 'focal.justice' });
    expect(missing.status).toBe(428);
    const stale = await send('POST', `/actions/${id}/acknowledge`, { as: 'focal.justice', ifMatch: '"1"' });
    expect(stale.status).toBe(412);
    const weak = await send('POST', `/actions/${id}/acknowledge`, {
      as: 'focal.justice',
      ifMatch: `W/${etag}`,
    });
    expect(weak.status).toBe(412);
    expect(await snapshot()).toBe(before);
    const fresh = await send('POST', `/actions/${id}/acknowledge`, { as: 'focal.justice', ifMatch: etag });
    expect(fresh).toMatchObject({ status: 200, etag: '"3"' });
    // The read it was based on is stale now: a second writer with the same ETag is refused.
    const second = await send('POST', `/actions/${id}/decline`, {
      as: 'focal.justice',
      ifMatch: etag,
      body: { reason: 'Not ours' },
    });
    expect(second.status).toBe(412);
    const read = await send('GET', `/actions/${id}`);
    expect(read.body).toMatchObject({ status: 'acknowledged', version: 3 });
  });

  it('two focal points of the ministry act on the same version at once: one wins, the other gets 412', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { id, etag } = await assignedAction();
      const events = await eventCount();
      const [acknowledged, declined] = await Promise.all([
        send('POST', `/actions/${id}/acknowledge`, { as: 'focal.justice', ifMatch: etag }),
        send('POST', `/actions/${id}/decline`, {
          as: 'focal.justice.2',
          ifMatch: etag,
          body: { reason: 'Belongs to the Ministry of Interior' },
        }),
      ]);
      expect([acknowledged.status, declined.status].sort()).toEqual([200, 412]);
      const winner = acknowledged.status === 200 ? 'acknowledged' : 'declined';
      const read = await send('GET', `/actions/${id}`);
      expect(read.body).toMatchObject({ status: winner, version: 3 });
      const transitions = (await eventsSince(events)).filter(
        (event) => event.payload.case === 'actionTransitioned',
      );
      expect(transitions).toHaveLength(1);
    }
  });

  it('maps the workflow’s refusals: 404 for another institution, 403, 400 and 409', async () => {
    const { id } = await assignedAction(['Ministry of Interior']);
    // Not a party: another institution's action does not exist for it.
    await command(id, 'acknowledge', 404, { as: 'focal.health' });
    await command(id, 'decline', 404, { as: 'focal.health', body: { reason: 'Not ours' } });
    // A supporting institution sees the action but does not take it on; nor does the coordinator.
    await command(id, 'acknowledge', 403, { as: 'focal.interior' });
    await command(id, 'acknowledge', 403);
    await command(id, 'complete', 403, { as: 'focal.justice' });
    // Reasons must say something; an assignment must name distinct institutions.
    await command(id, 'decline', 400, { as: 'focal.justice', body: { reason: '   ' } });
    await command(id, 'assign', 400, {
      body: { institution: 'Ministry of Justice', supportingInstitutions: ['ministry of justice'] },
    });
    await command(id, 'assign', 422, { body: { institution: 'Ministry of Magic' } });
    // The status does not allow it, or nothing would change.
    await command(id, 'start', 409, { as: 'focal.justice' });
    await command(id, 'reopen', 409, { body: { reason: 'Try again' } });
    await command(id, 'assign', 409, {
      body: { institution: 'Ministry of Justice', supportingInstitutions: ['Ministry of Interior'] },
    });
    // Declined goes back to the coordinator, who reassigns it.
    await command(id, 'decline', 200, { as: 'focal.justice', body: { reason: 'Outside our mandate' } });
    const reassigned = await command(id, 'assign', 200, { body: { institution: 'Ministry of Health' } });
    expect(reassigned.body).toMatchObject({ status: 'assigned', institution: 'Ministry of Health' });
    expect(reassigned.body.supportingInstitutions).toEqual([]);
    await command(id, 'acknowledge', 404, { as: 'focal.justice' });
    await command(id, 'acknowledge', 200, { as: 'focal.health' });
  });

  it('a first assignment needs a due date: 422 without one', async () => {
    const created = await send('POST', '/actions', { body: { recommendationId, title: 'Draft the decree' } });
    await command(created.body.id, 'assign', 422, { body: { institution: 'Ministry of Justice' } });
  });

  it('keeps POST /progress: statuses reached through the workflow’s steps, for whom it allows', async () => {
    const { id } = await assignedAction();
    const since = await eventCount();
    const progress = (status: string, as?: string, note = '') =>
      send('POST', `/actions/${id}/progress`, { body: { status, note }, as });
    expect((await progress('in_progress', 'focal.health')).status).toBe(404);
    expect((await progress('in_progress', 'focal.justice', 'Working group set up')).status).toBe(201);
    // Only the coordinator declares the work done.
    expect((await progress('completed', 'focal.justice')).status).toBe(403);
    expect((await progress('blocked', 'focal.justice')).status).toBe(201);
    expect((await progress('completed')).status).toBe(201);
    expect((await progress('completed')).status).toBe(409);
    const read = await send('GET', `/actions/${id}`);
    expect(read.body).toMatchObject({ status: 'completed' });
    const commands = (await eventsSince(since)).flatMap((event) =>
      event.payload.case === 'actionTransitioned' ? [event.payload.value.command] : [],
    );
    expect(commands).toEqual(['acknowledge', 'start', 'block', 'unblock', 'complete']);
    const history = await send('GET', `/actions/${id}/progress`);
    expect(history.body.map((update: { status: string }) => update.status)).toEqual([
      'in_progress',
      'blocked',
      'completed',
    ]);
  });
});
