import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decodeEnvelope } from '@nmirf/contracts';
import {
  applyHttpConventions,
  applyHttpHardening,
  EventOutbox,
  migrate,
  runWithContext,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { appendActionSnapshot } from '../actions/action-snapshot';
import { entities, migrations, SCHEMA } from '../database';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';

jest.setTimeout(60_000);

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';

const principal = (subject: string, roles: string[], institutions: string[]): Principal => ({
  subject,
  name: subject,
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});
/** Who the request is from, chosen by the test's `x-as` header; authentication is tested end to end. */
const CALLERS: Record<string, Principal> = {
  coordinator: principal('coordinator-1', ['coordinator'], ['NMIRF Secretariat']),
  'focal.justice': principal('focal-justice-1', ['focal_point'], [JUSTICE]),
  'validator.justice': principal('validator-justice-1', ['institution_validator'], [JUSTICE]),
  'focal.interior': principal('focal-interior-1', ['focal_point'], [INTERIOR]),
  'focal.health': principal('focal-health-1', ['focal_point'], ['Ministry of Health']),
};

const definition = (change: Record<string, unknown> = {}) => ({
  name: 'Judges trained on the Convention',
  type: 'process',
  unit: 'per cent of judges',
  baseline: { value: 10, date: '2026-01-01' },
  target: { value: 80, date: '2027-12-31' },
  frequency: 'quarterly',
  dataSource: 'Judicial Training Centre records',
  disaggregation: ['sex', 'court level'],
  sdgIndicator: '16.3.1',
  ...change,
});

describe('indicators and measurements (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  const recommendationId = randomUUID();
  const actionId = randomUUID();

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_indicators');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.2')`,
      [recommendationId],
    );
    // Led by Justice, supported by Interior, serving the recommendation.
    await dataSource.query(
      `INSERT INTO actions (id, recommendation_id, title, lead_institution_id, due_at, status)
       VALUES ($1, $2, 'Train judges on the Convention', $3, now() + interval '90 days', 'in_progress')`,
      [actionId, recommendationId, JUSTICE],
    );
    await dataSource.query(`INSERT INTO action_supporting_institutions VALUES ($1, $2)`, [
      actionId,
      INTERIOR,
    ]);
    await dataSource.query(`INSERT INTO action_recommendations VALUES ($1, $2)`, [
      actionId,
      recommendationId,
    ]);
    const module = await Test.createTestingModule({
      controllers: [IndicatorsController],
      providers: [
        IndicatorsService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.use(
      (request: { principal?: Principal; headers: Record<string, string> }, _: unknown, next: () => void) => {
        const caller = CALLERS[request.headers['x-as']];
        request.principal = caller;
        const correlationId = randomUUID();
        runWithContext(
          {
            correlationId,
            causationId: correlationId,
            actor: caller && { kind: 'user', id: caller.subject, institution: caller.institutions[0] },
          },
          next,
        );
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
    options: { body?: unknown; headers?: Record<string, string>; as: string },
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        'x-as': options.as,
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  async function defineForAction(body = definition()): Promise<string> {
    const answer = await send('POST', `/actions/${actionId}/indicators`, { as: 'coordinator', body });
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  const reportOf = async (institution: string) => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO progress_reports (id, action_id, institution_id, status, narrative, percentage, created_by, updated_by)
       VALUES ($1, $2, $3, 'draft', 'Sessions held.', 40, 'someone', 'someone')`,
      [id, actionId, institution],
    );
    return id;
  };

  it('keeps an action’s indicator as defined, for the coordinator and the action’s institutions', async () => {
    const created = await send('POST', `/actions/${actionId}/indicators`, {
      as: 'coordinator',
      body: definition({ baseline: { value: 12.5, date: '2026-01-01' } }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/indicators/${created.body.id}`);
    expect(created.body).toMatchObject({
      actionId,
      recommendationId: null,
      type: 'process',
      baseline: { value: 12.5, date: '2026-01-01' },
      target: { value: 80, date: '2027-12-31' },
      frequency: 'quarterly',
      disaggregation: ['sex', 'court level'],
      sdgIndicator: '16.3.1',
      nextReportingDate: '2026-04-01',
      measurements: [],
    });
    for (const as of ['focal.justice', 'validator.justice', 'focal.interior']) {
      const read = await send('GET', `/indicators/${created.body.id}`, { as });
      expect(read.status).toBe(200);
      expect(read.body.name).toBe('Judges trained on the Convention');
    }
    const listed = await send('GET', `/actions/${actionId}/indicators`, { as: 'focal.interior' });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    expect((await send('GET', `/indicators/${created.body.id}`, { as: 'focal.health' })).status).toBe(404);
    expect((await send('GET', `/actions/${actionId}/indicators`, { as: 'focal.health' })).status).toBe(404);
    expect((await send('GET', `/actions/${randomUUID()}/indicators`, { as: 'coordinator' })).status).toBe(
      404,
    );
  });

  it('takes measurements from the action’s focal points and the coordinator, moving the next reporting date', async () => {
    const id = await defineForAction();
    const path = `/indicators/${id}/measurements`;
    const byLead = await send('POST', path, {
      as: 'focal.justice',
      body: { value: 25, date: '2026-03-31', note: 'First quarter' },
    });
    expect(byLead.status).toBe(201);
    expect(byLead.body.nextReportingDate).toBe('2026-06-30');
    expect(byLead.body.measurements).toEqual([
      expect.objectContaining({
        value: 25,
        date: '2026-03-31',
        reportedBy: 'focal-justice-1',
        institutionId: JUSTICE,
      }),
    ]);
    const bySupporting = await send('POST', path, {
      as: 'focal.interior',
      body: { value: 30, date: '2026-05-15' },
    });
    expect(bySupporting.body.measurements.at(-1)).toMatchObject({ institutionId: INTERIOR, note: '' });
    const byCoordinator = await send('POST', path, {
      as: 'coordinator',
      body: { value: 31, date: '2026-05-20' },
    });
    expect(byCoordinator.body.measurements.at(-1)).toMatchObject({ institutionId: null });
    expect(byCoordinator.body.nextReportingDate).toBe('2026-08-20');
    // A validator reads, but does not report; another institution does not even see it.
    expect(
      (await send('POST', path, { as: 'validator.justice', body: { value: 1, date: '2026-05-01' } })).status,
    ).toBe(403);
    expect(
      (await send('POST', path, { as: 'focal.health', body: { value: 1, date: '2026-05-01' } })).status,
    ).toBe(404);
    const rows = await dataSource.query(
      `SELECT count(*)::int AS n FROM indicator_measurements WHERE indicator_id = $1`,
      [id],
    );
    expect(rows[0].n).toBe(3);
  });

  it('takes a measurement within a progress report of the reporter’s own institution on the action', async () => {
    const id = await defineForAction();
    const path = `/indicators/${id}/measurements`;
    const own = await reportOf(JUSTICE);
    const within = await send('POST', path, {
      as: 'focal.justice',
      body: { value: 40, date: '2026-04-30', progressReportId: own },
    });
    expect(within.status).toBe(201);
    expect(within.body.measurements[0].progressReportId).toBe(own);
    const others = await reportOf(INTERIOR);
    for (const progressReportId of [others, randomUUID()])
      expect(
        (
          await send('POST', path, {
            as: 'focal.justice',
            body: { value: 41, date: '2026-04-30', progressReportId },
          })
        ).status,
      ).toBe(422);
  });

  it('refuses bad measurements and definitions with 4xx, writing nothing', async () => {
    const id = await defineForAction();
    const path = `/indicators/${id}/measurements`;
    for (const body of [
      { value: '25', date: '2026-03-31' },
      { value: 25, date: '2026-02-30' },
      { value: 25 },
      { value: 25, date: '2026-03-31', note: 'a\u0000b' },
      { value: 25, date: '2026-03-31', progressReportId: 'report-1' },
    ])
      expect((await send('POST', path, { as: 'focal.justice', body })).status).toBe(400);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await send('POST', path, { as: 'focal.justice', body: { value: 25, date: future } })).status,
    ).toBe(422);
    expect((await send('GET', `/indicators/${id}`, { as: 'coordinator' })).body.measurements).toEqual([]);

    const before = await send('GET', `/actions/${actionId}/indicators`, { as: 'coordinator' });
    for (const body of [
      definition({ type: 'impact' }),
      definition({ frequency: 'weekly' }),
      definition({ sdgIndicator: '16.3' }),
      definition({ baseline: { value: 'ten', date: '2026-01-01' } }),
      definition({ disaggregation: ['sex', ''] }),
      definition({ name: undefined }),
    ])
      expect(
        (await send('POST', `/actions/${actionId}/indicators`, { as: 'coordinator', body })).status,
      ).toBe(400);
    const backwards = definition({ target: { value: 80, date: '2025-12-31' } });
    expect(
      (await send('POST', `/actions/${actionId}/indicators`, { as: 'coordinator', body: backwards })).status,
    ).toBe(422);
    const after = await send('GET', `/actions/${actionId}/indicators`, { as: 'coordinator' });
    expect(after.body.total).toBe(before.body.total);
  });

  it('redefines an indicator only with a current If-Match (428, 412)', async () => {
    const id = await defineForAction();
    const path = `/indicators/${id}`;
    const changed = definition({ frequency: 'annual', sdgIndicator: undefined });
    expect((await send('PUT', path, { as: 'coordinator', body: changed })).status).toBe(428);
    const first = await send('PUT', path, {
      as: 'coordinator',
      body: changed,
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      frequency: 'annual',
      sdgIndicator: null,
      version: 2,
      nextReportingDate: '2027-01-01',
    });
    const stale = await send('PUT', path, {
      as: 'coordinator',
      body: definition(),
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await send('GET', path, { as: 'coordinator' })).body.frequency).toBe('annual');
  });

  /** The IndicatorScheduled events of one indicator, oldest first, as notifications would read them. */
  async function scheduledEvents(indicatorId: string) {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE message_key = $1 AND event_type = 'IndicatorScheduled' ORDER BY seq`,
      [indicatorId],
    );
    return rows.map((row) => {
      const envelope = decodeEnvelope(row.payload, row.message_key);
      if (envelope.payload.case !== 'indicatorScheduled') throw new Error('not IndicatorScheduled');
      const { cause, subjectKind, subjectId, institutionIds, nextReportingOn, latestMeasuredOn, name } =
        envelope.payload.value;
      return { cause, name, subjectKind, subjectId, institutionIds, nextReportingOn, latestMeasuredOn };
    });
  }

  it('tells notifications the next reporting day and who reports, with each definition, redefinition and measurement, and nothing on a refused write', async () => {
    const id = await defineForAction();
    const measured = await send('POST', `/indicators/${id}/measurements`, {
      as: 'focal.interior',
      body: { value: 25, date: '2026-03-31' },
    });
    expect(measured.status).toBe(201);
    // A refused measurement (in the future) and a stale redefinition append nothing.
    const future = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (
        await send('POST', `/indicators/${id}/measurements`, {
          as: 'focal.justice',
          body: { value: 1, date: future },
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await send('PUT', `/indicators/${id}`, {
          as: 'coordinator',
          body: definition(),
          headers: { 'if-match': '"9"' },
        })
      ).status,
    ).toBe(412);
    const redefined = await send('PUT', `/indicators/${id}`, {
      as: 'coordinator',
      body: definition({ frequency: 'monthly' }),
      headers: { 'if-match': '"1"' },
    });
    expect(redefined.status).toBe(200);

    const both = [INTERIOR, JUSTICE].sort();
    const common = { name: 'Judges trained on the Convention', subjectKind: 'action', subjectId: actionId };
    expect(await scheduledEvents(id)).toEqual([
      {
        ...common,
        cause: 'defined',
        institutionIds: both,
        nextReportingOn: '2026-04-01',
        latestMeasuredOn: '',
      },
      {
        ...common,
        cause: 'measured',
        institutionIds: both,
        nextReportingOn: '2026-06-30',
        latestMeasuredOn: '2026-03-31',
      },
      {
        ...common,
        cause: 'redefined',
        institutionIds: both,
        nextReportingOn: '2026-04-30',
        latestMeasuredOn: '2026-03-31',
      },
    ]);

    // A recommendation's indicator is reported by the leads of the actions serving it (not their supporters).
    const otherRecommendation = randomUUID();
    const otherAction = randomUUID();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.3')`,
      [otherRecommendation],
    );
    await dataSource.query(
      `INSERT INTO actions (id, recommendation_id, title, lead_institution_id, due_at, status)
       VALUES ($1, $2, 'Publish court statistics', $3, now() + interval '90 days', 'in_progress')`,
      [otherAction, otherRecommendation, JUSTICE],
    );
    await dataSource.query(`INSERT INTO action_supporting_institutions VALUES ($1, $2)`, [
      otherAction,
      INTERIOR,
    ]);
    await dataSource.query(`INSERT INTO action_recommendations VALUES ($1, $2)`, [
      otherAction,
      otherRecommendation,
    ]);
    const ofRecommendation = await send('POST', `/recommendations/${otherRecommendation}/indicators`, {
      as: 'coordinator',
      body: definition({ frequency: 'annual' }),
    });
    expect(await scheduledEvents(ofRecommendation.body.id)).toEqual([
      {
        ...common,
        subjectKind: 'recommendation',
        subjectId: otherRecommendation,
        cause: 'defined',
        institutionIds: [JUSTICE],
        nextReportingOn: '2027-01-01',
        latestMeasuredOn: '',
      },
    ]);
  });

  it('gives reporting the whole definition and every measurement with each announcement', async () => {
    const id = await defineForAction();
    for (const [value, date] of [
      [40, '2026-06-30'],
      [25, '2026-03-31'],
    ] as const)
      expect(
        (await send('POST', `/indicators/${id}/measurements`, { as: 'focal.justice', body: { value, date } }))
          .status,
      ).toBe(201);
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE message_key = $1 AND event_type = 'IndicatorScheduled' ORDER BY seq`,
      [id],
    );
    const contents = rows.map((row) => {
      const envelope = decodeEnvelope(row.payload, row.message_key);
      return envelope.payload.case === 'indicatorScheduled' ? envelope.payload.value.content : undefined;
    });
    expect(contents[0]).toMatchObject({ type: 'process', unit: 'per cent of judges', measurements: [] });
    // Oldest day first, whatever order they were reported in.
    expect(contents.at(-1)).toMatchObject({
      type: 'process',
      unit: 'per cent of judges',
      baseline: { value: 10, date: '2026-01-01' },
      target: { value: 80, date: '2027-12-31' },
      sdgIndicator: '16.3.1',
      version: 1,
      measurements: [
        { value: 25, measuredOn: '2026-03-31', progressReportId: '' },
        { value: 40, measuredOn: '2026-06-30', progressReportId: '' },
      ],
    });
  });

  it('announces an indicator again when its action gets a lead or a supporting institution, and only then', async () => {
    const proposed = randomUUID();
    await dataSource.query(
      `INSERT INTO actions (id, recommendation_id, title, due_at, status)
       VALUES ($1, $2, 'Draft a witness protection bill', now() + interval '90 days', 'proposed')`,
      [proposed, recommendationId],
    );
    const defined = await send('POST', `/actions/${proposed}/indicators`, {
      as: 'coordinator',
      body: definition(),
    });
    expect(defined.status).toBe(201);
    const id = defined.body.id as string;
    const outbox = new EventOutbox('actions', '', `outbox_${SCHEMA}`);
    const actionWritten = () =>
      dataSource.transaction((manager) => appendActionSnapshot(manager, outbox, proposed));

    // Assigned: lead and supporting institution written, then the action's snapshot, as every write does.
    await dataSource.query(`UPDATE actions SET lead_institution_id = $2, status = 'assigned' WHERE id = $1`, [
      proposed,
      JUSTICE,
    ]);
    await dataSource.query(`INSERT INTO action_supporting_institutions VALUES ($1, $2)`, [
      proposed,
      INTERIOR,
    ]);
    await actionWritten();
    // Another write that changes no institution announces nothing.
    await actionWritten();
    // An indicator never announced (defined before reminders existed) is announced at the next write.
    await dataSource.query(`UPDATE indicators SET reminded_institutions = NULL WHERE id = $1`, [id]);
    await actionWritten();

    expect(
      (await scheduledEvents(id)).map(({ cause, institutionIds }) => ({ cause, institutionIds })),
    ).toEqual([
      { cause: 'defined', institutionIds: [] },
      { cause: 'reassigned', institutionIds: [INTERIOR, JUSTICE].sort() },
      { cause: 'reassigned', institutionIds: [INTERIOR, JUSTICE].sort() },
    ]);
  });

  it('keeps indicators of a recommendation, for the institutions of the actions serving it', async () => {
    const created = await send('POST', `/recommendations/${recommendationId}/indicators`, {
      as: 'coordinator',
      body: definition({
        name: 'Cases of enforced disappearance investigated',
        type: 'outcome',
        unit: 'cases',
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ recommendationId, actionId: null, type: 'outcome' });
    const listed = await send('GET', `/recommendations/${recommendationId}/indicators`, {
      as: 'focal.interior',
    });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    expect(
      (await send('GET', `/recommendations/${recommendationId}/indicators`, { as: 'focal.health' })).status,
    ).toBe(404);
    const measured = await send('POST', `/indicators/${created.body.id}/measurements`, {
      as: 'focal.justice',
      body: { value: 3, date: '2026-02-01' },
    });
    expect(measured.status).toBe(201);
    expect(
      (
        await send('POST', `/recommendations/${randomUUID()}/indicators`, {
          as: 'coordinator',
          body: definition(),
        })
      ).status,
    ).toBe(404);
  });
});
