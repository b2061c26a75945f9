import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  applyHttpConventions,
  applyHttpHardening,
  EventOutbox,
  migrate,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { ActionStatus, decodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ActionsController } from '../actions/actions.controller';
import { ActionsService } from '../actions/actions.service';
import { entities, migrations, SCHEMA } from '../database';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

jest.setTimeout(60_000);

const principal = (subject: string, roles: Principal['roles'], institutions: string[]): Principal => ({
  subject,
  name: subject,
  kind: 'user',
  roles,
  institutions,
  scopes: new Set(),
});
/** Who the request is from (`x-as`); `anonymous` sends no principal. */
const CALLERS: Record<string, Principal | undefined> = {
  anonymous: undefined,
  coordinator: principal('coordinator-1', new Set(['coordinator']), ['NMIRF Secretariat']),
  'focal.justice': principal('focal-justice-1', new Set(['focal_point']), ['Ministry of Justice']),
  'focal.health': principal('focal-health-1', new Set(['focal_point']), ['Ministry of Health']),
};

interface Answer {
  status: number;
  body: any;
  etag: string | null;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();

describe('plans and the richer action (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  const recommendations = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_plans');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    for (const [index, id] of recommendations.entries())
      await dataSource.query(
        `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', $2)`,
        [id, `121.${index + 30}`],
      );
    const module = await Test.createTestingModule({
      controllers: [ActionsController, PlansController],
      providers: [
        ActionsService,
        PlansService,
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

  const plan = (fields: Record<string, unknown> = {}) => ({
    state: 'SVN',
    title: 'UPR fourth cycle implementation plan',
    kind: 'upr_cycle',
    periodStart: '2025-01-01',
    periodEnd: '2029-12-31',
    ...fields,
  });

  async function action(institution: string): Promise<Answer> {
    const created = await send('POST', '/actions', {
      body: {
        recommendationId: recommendations[0],
        title: `Work of ${institution}`,
        institution,
        dueDate: day(30),
      },
    });
    expect(created.status).toBe(201);
    return created;
  }

  it('never shows an unpublished plan to anonymous readers, in the list or by id', async () => {
    const draft = await send('POST', '/plans', {
      body: plan({ title: 'Draft national action plan', kind: 'national_action_plan' }),
    });
    expect(draft).toMatchObject({
      status: 201,
      etag: '"1"',
      body: { published: false, periodStart: '2025-01-01' },
    });
    const published = await send('POST', '/plans', { body: plan({ published: true }) });
    expect(published.status).toBe(201);

    const anonymousList = await send('GET', '/plans', { as: 'anonymous' });
    expect(anonymousList.status).toBe(200);
    const anonymousIds = anonymousList.body.items.map((item: { id: string }) => item.id);
    expect(anonymousIds).toContain(published.body.id);
    expect(anonymousIds).not.toContain(draft.body.id);
    expect(anonymousList.body.items.every((item: { published: boolean }) => item.published)).toBe(true);
    expect((await send('GET', `/plans/${draft.body.id}`, { as: 'anonymous' })).status).toBe(404);
    expect((await send('GET', `/plans/${published.body.id}`, { as: 'anonymous' })).status).toBe(200);

    // Signed-in users read both; publishing it (If-Match) makes it public, unpublishing hides it again.
    const signedIn = await send('GET', '/plans', { as: 'focal.justice' });
    expect(signedIn.body.items.map((item: { id: string }) => item.id)).toEqual(
      expect.arrayContaining([draft.body.id, published.body.id]),
    );
    const body = plan({ title: 'Draft national action plan', kind: 'national_action_plan', published: true });
    expect((await send('PUT', `/plans/${draft.body.id}`, { body })).status).toBe(428);
    expect((await send('PUT', `/plans/${draft.body.id}`, { body, ifMatch: '"7"' })).status).toBe(412);
    const shown = await send('PUT', `/plans/${draft.body.id}`, { body, ifMatch: draft.etag as string });
    expect(shown).toMatchObject({ status: 200, etag: '"2"', body: { published: true } });
    expect((await send('GET', `/plans/${draft.body.id}`, { as: 'anonymous' })).status).toBe(200);
    const hidden = await send('PUT', `/plans/${draft.body.id}`, {
      body: { ...body, published: false },
      ifMatch: '"2"',
    });
    expect(hidden.status).toBe(200);
    expect((await send('GET', `/plans/${draft.body.id}`, { as: 'anonymous' })).status).toBe(404);
    const again = await send('GET', '/plans', { as: 'anonymous' });
    expect(again.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.body.id);
  });

  it('refuses a bad state code, kind or period', async () => {
    expect((await send('POST', '/plans', { body: plan({ state: 'svn' }) })).status).toBe(400);
    expect((await send('POST', '/plans', { body: plan({ kind: 'wishlist' }) })).status).toBe(400);
    expect((await send('POST', '/plans', { body: plan({ periodEnd: '2024-12-31' }) })).status).toBe(422);
  });

  it('lists a plan’s actions: all when published, one’s own institution’s when not', async () => {
    const draft = await send('POST', '/plans', { body: plan() });
    const justice = await action('Ministry of Justice');
    const health = await action('Ministry of Health');
    for (const one of [justice, health]) {
      const patched = await send('PATCH', `/actions/${one.body.id}`, {
        body: { planId: draft.body.id },
        ifMatch: `"${one.body.version}"`,
      });
      expect(patched).toMatchObject({ status: 200, body: { planId: draft.body.id } });
    }
    const forCoordinator = await send('GET', `/plans/${draft.body.id}`);
    expect(forCoordinator.body.actions.map((one: { id: string }) => one.id)).toEqual([
      justice.body.id,
      health.body.id,
    ]);
    const forJustice = await send('GET', `/plans/${draft.body.id}`, { as: 'focal.justice' });
    expect(forJustice.body.actions.map((one: { id: string }) => one.id)).toEqual([justice.body.id]);
    expect((await send('GET', `/plans/${draft.body.id}`, { as: 'anonymous' })).status).toBe(404);
    const removed = await send('DELETE', `/plans/${draft.body.id}`, { ifMatch: '"1"' });
    expect(removed.status).toBe(204);
    const left = await send('GET', `/actions/${justice.body.id}`);
    expect(left.body.planId).toBeNull();
  });

  it('PATCH /actions/{id} sets the details with If-Match, validating SDG targets and recommendations', async () => {
    const created = await action('Ministry of Justice');
    const id = created.body.id;
    const details = {
      startDate: '2026-01-15',
      milestones: [{ title: 'Bill sent to the Government', dueDate: '2027-03-01', done: false }],
      budgetLine: 'MoJ 2027 / 1305-27-0012',
      recommendationIds: [recommendations[1], recommendations[0]],
      sdgTargets: ['16.3', '16.a', '16.3'],
    };
    expect((await send('PATCH', `/actions/${id}`, { body: details })).status).toBe(428);
    expect((await send('PATCH', `/actions/${id}`, { body: details, ifMatch: '"1"' })).status).toBe(412);
    const current = await send('GET', `/actions/${id}`);
    for (const bad of [
      { sdgTargets: ['16'] },
      { sdgTargets: ['18.1'] },
      { sdgTargets: ['16.3.1'] },
      { milestones: [{ title: ' ', dueDate: '2027-03-01', done: false }] },
      { milestones: [{ title: 'Bill', dueDate: '2027-02-30', done: false }] },
      { recommendationIds: [] },
    ])
      expect({
        bad,
        status: (await send('PATCH', `/actions/${id}`, { body: bad, ifMatch: current.etag as string }))
          .status,
      }).toEqual({ bad, status: 400 });
    const unknown = await send('PATCH', `/actions/${id}`, {
      body: { recommendationIds: [randomUUID()] },
      ifMatch: current.etag as string,
    });
    expect(unknown.status).toBe(422);
    const patched = await send('PATCH', `/actions/${id}`, { body: details, ifMatch: current.etag as string });
    expect(patched).toMatchObject({
      status: 200,
      body: {
        startDate: '2026-01-15',
        milestones: details.milestones,
        budgetLine: details.budgetLine,
        sdgTargets: ['16.3', '16.a'],
        recommendationId: recommendations[1],
        recommendationIds: [recommendations[1], recommendations[0]],
      },
    });
    expect(patched.etag).toBe(`"${Number(JSON.parse(current.etag as string)) + 1}"`);
    // The action now counts for both recommendations.
    const listed = await send('GET', `/actions?recommendationId=${recommendations[1]}`);
    expect(listed.body.items.map((one: { id: string }) => one.id)).toContain(id);
  });

  /** The events the outbox holds about one aggregate, oldest first. */
  async function eventsOf(aggregateId: string): Promise<EventEnvelope[]> {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE message_key = $1 ORDER BY seq`,
      [aggregateId],
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }

  it('every write of an action ends with ActionChanged, the whole action; every plan write with PlanChanged', async () => {
    const draft = await send('POST', '/plans', { body: plan({ title: 'Snapshot plan' }) });
    const created = await action('Ministry of Justice');
    const afterCreate = await eventsOf(created.body.id);
    expect(afterCreate.at(-1)?.payload.case).toBe('actionChanged');
    const patched = await send('PATCH', `/actions/${created.body.id}`, {
      body: { planId: draft.body.id, sdgTargets: ['16.3'], recommendationIds: recommendations },
      ifMatch: `"${created.body.version}"`,
    });
    expect(patched.status).toBe(200);
    const events = await eventsOf(created.body.id);
    const last = events.at(-1);
    expect(last?.payload.case).toBe('actionChanged');
    expect(last?.payload.value).toMatchObject({
      actionId: created.body.id,
      planId: draft.body.id,
      leadInstitutionId: created.body.institution,
      recommendationIds: recommendations,
      sdgTargets: ['16.3'],
      status: ActionStatus.ASSIGNED,
      version: patched.body.version,
    });
    // One snapshot per write: creation with its assignment, then the PATCH.
    expect(events.filter((event) => event.payload.case === 'actionChanged')).toHaveLength(2);

    const published = await send('PUT', `/plans/${draft.body.id}`, {
      body: plan({ title: 'Snapshot plan', published: true }),
      ifMatch: draft.etag as string,
    });
    expect(published.status).toBe(200);
    expect((await send('DELETE', `/plans/${draft.body.id}`, { ifMatch: '"2"' })).status).toBe(204);
    const planEvents = await eventsOf(draft.body.id);
    expect(
      planEvents.map((event) => [event.type, (event.payload.value as { published: boolean }).published]),
    ).toEqual([
      ['PlanChanged', false],
      ['PlanChanged', true],
      ['PlanChanged', true],
    ]);
    expect(planEvents.at(-1)?.payload.value).toMatchObject({ deleted: true, version: 2 });
  });
});
