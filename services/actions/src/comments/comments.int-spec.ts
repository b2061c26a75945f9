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
import { entities, migrations, SCHEMA } from '../database';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

jest.setTimeout(60_000);

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const HEALTH = 'Ministry of Health';

const principal = (subject: string, roles: string[], institutions: string[]): Principal => ({
  subject,
  name: `${subject} (display name)`,
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
  // Spelt as another identity provider might: institutions compare ignoring case.
  'focal.interior': principal('focal-interior-1', ['focal_point'], ['ministry of interior']),
  'focal.health': principal('focal-health-1', ['focal_point'], [HEALTH]),
  nhri: principal('nhri-1', ['nhri'], ['Human Rights Ombudsman']),
};

describe('comments on actions (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_comments');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    // The directory says who works for whom: that is who may be mentioned.
    await dataSource.query(`UPDATE institutions SET focal_point_ids = $2, validator_ids = $3 WHERE id = $1`, [
      JUSTICE,
      ['focal-justice-1'],
      ['validator-justice-1'],
    ]);
    await dataSource.query(`UPDATE institutions SET focal_point_ids = $2 WHERE id = $1`, [
      INTERIOR,
      ['focal-interior-1'],
    ]);
    await dataSource.query(`UPDATE institutions SET focal_point_ids = $2 WHERE id = $1`, [
      HEALTH,
      ['focal-health-1'],
    ]);
    const module = await Test.createTestingModule({
      controllers: [CommentsController],
      providers: [
        CommentsService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.use(
      (request: { principal?: Principal; headers: Record<string, string> }, _: unknown, next: () => void) => {
        const caller = CALLERS[request.headers['x-as']];
        request.principal = caller;
        // As the platform's guard does: the actor of the audit trail is the token's subject.
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

  async function send(method: string, path: string, as: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-as': as, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    // The shape is what the assertions check.
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as any,
      headers: response.headers,
    };
  }

  /** An action led by Justice and supported by Interior. */
  async function action(): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO actions (id, recommendation_id, title, lead_institution_id, due_at, status)
       VALUES ($1, $2, 'Train judges on the Convention', $3, now() + interval '90 days', 'in_progress')`,
      [id, randomUUID(), JUSTICE],
    );
    await dataSource.query(
      `INSERT INTO action_supporting_institutions (action_id, institution_id) VALUES ($1, $2)`,
      [id, INTERIOR],
    );
    return id;
  }

  async function events(actionId: string) {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE message_key = $1 ORDER BY seq`,
      [actionId],
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }

  it('keeps a thread between the coordinator and the institutions, oldest first, paged, with one event per comment', async () => {
    const id = await action();
    const first = await send('POST', `/actions/${id}/comments`, 'coordinator', {
      text: 'Please send the attendance lists.\nBy Friday if possible.',
      mentions: [
        { kind: 'user', id: 'focal-interior-1' },
        { kind: 'institution', id: 'ministry of justice' },
      ],
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/actions/${id}/comments/${first.body.id}`);
    expect(first.body).toMatchObject({
      actionId: id,
      authorId: 'coordinator-1',
      authorRole: 'coordinator',
      authorInstitutionId: null,
      deleted: false,
      mentions: [
        { kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR },
        { kind: 'institution', userId: null, institutionId: JUSTICE },
      ],
    });
    const second = await send('POST', `/actions/${id}/comments`, 'focal.interior', {
      text: 'Sent; see the progress report.',
      mentions: [{ kind: 'coordinator' }],
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ authorRole: 'institution', authorInstitutionId: INTERIOR });
    expect(
      (await send('POST', `/actions/${id}/comments`, 'validator.justice', { text: 'Noted.' })).status,
    ).toBe(201);

    const all = await send('GET', `/actions/${id}/comments`, 'focal.justice');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((item: { authorId: string }) => item.authorId)).toEqual([
      'coordinator-1',
      'focal-interior-1',
      'validator-justice-1',
    ]);
    const page = await send('GET', `/actions/${id}/comments?limit=1&offset=1`, 'coordinator');
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([second.body.id]);

    const posted = (await events(id)).map((event) => event.payload);
    expect(posted).toHaveLength(3);
    expect(posted[0]).toEqual({
      case: 'commentPosted',
      value: expect.objectContaining({
        commentId: first.body.id,
        actionId: id,
        actionTitle: 'Train judges on the Convention',
        authorId: 'coordinator-1',
        authorRole: 'coordinator',
        leadInstitutionId: JUSTICE,
        supportingInstitutionIds: [INTERIOR],
        excerpt: 'Please send the attendance lists. By Friday if possible.',
        mentions: [
          expect.objectContaining({ kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR }),
          expect.objectContaining({ kind: 'institution', userId: '', institutionId: JUSTICE }),
        ],
      }),
    });
    expect(posted[1]).toMatchObject({
      value: { authorInstitutionId: INTERIOR, mentions: [expect.objectContaining({ kind: 'coordinator' })] },
    });
  });

  it('answers 404 to a focal point of another ministry, and keeps NHRI out', async () => {
    const id = await action();
    await send('POST', `/actions/${id}/comments`, 'coordinator', { text: 'Internal note.' });
    const read = await send('GET', `/actions/${id}/comments`, 'focal.health');
    expect(read.status).toBe(404);
    const write = await send('POST', `/actions/${id}/comments`, 'focal.health', { text: 'Hello?' });
    expect(write.status).toBe(404);
    expect((await send('GET', `/actions/${id}/comments`, 'nhri')).status).toBe(404);
    expect((await send('GET', `/actions/${randomUUID()}/comments`, 'coordinator')).status).toBe(404);
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM action_comments WHERE action_id = $1`,
      [id],
    );
    expect(count).toBe(1);
  });

  it('refuses with 422, naming it, a mention of someone who cannot see the action, and stores nothing', async () => {
    const id = await action();
    const refused = await send('POST', `/actions/${id}/comments`, 'focal.justice', {
      text: 'Can Health help?',
      mentions: [
        { kind: 'user', id: 'validator-justice-1' },
        { kind: 'user', id: 'focal-health-1' },
        { kind: 'institution', id: HEALTH },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'mentions.1',
      'mentions.2',
    ]);
    expect(refused.body.errors[0].messages[0]).toContain('focal-health-1');
    expect((await send('GET', `/actions/${id}/comments`, 'coordinator')).body.total).toBe(0);
    expect(await events(id)).toEqual([]);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const id = await action();
    const cases: unknown[] = [
      {},
      { text: '   ' },
      { text: 'bell \u0007' },
      { text: 'x'.repeat(4_001) },
      { text: 'ok', mentions: 'focal-justice-1' },
      { text: 'ok', mentions: [{ kind: 'everyone' }] },
      { text: 'ok', mentions: [{ kind: 'user' }] },
      { text: 'ok', mentions: [{ kind: 'coordinator', id: 'coordinator-1' }] },
      { text: 'ok', mentions: Array.from({ length: 21 }, () => ({ kind: 'coordinator' })) },
      { text: 'ok', extra: true },
    ];
    for (const body of cases)
      expect([body, (await send('POST', `/actions/${id}/comments`, 'coordinator', body)).status]).toEqual([
        body,
        400,
      ]);
    const nul = await fetch(`${base}/actions/${id}/comments`, {
      method: 'POST',
      headers: { 'x-as': 'coordinator', 'content-type': 'application/json' },
      body: '{"text":"a\\u0000b"}',
    });
    expect(nul.status).toBe(400);
    expect((await send('GET', `/actions/not-a-uuid/comments`, 'coordinator')).status).toBe(400);
    expect((await send('GET', `/actions/${id}/comments?limit=0`, 'coordinator')).status).toBe(400);
    expect((await send('GET', `/actions/${id}/comments`, 'coordinator')).body.total).toBe(0);
  });

  it('lets the author correct a comment for fifteen minutes, and nobody else', async () => {
    const id = await action();
    const posted = await send('POST', `/actions/${id}/comments`, 'focal.justice', {
      text: 'Tranining done.',
    });
    const path = `/actions/${id}/comments/${posted.body.id}`;
    expect((await send('PATCH', path, 'coordinator', { text: 'Training done.' })).status).toBe(403);
    const edited = await send('PATCH', path, 'focal.justice', { text: 'Training done.' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: 'Training done.', editedAt: expect.any(String) });
    // Posted long ago: the window has closed.
    await dataSource.query(
      `UPDATE action_comments SET created_at = now() - interval '16 minutes' WHERE id = $1`,
      [posted.body.id],
    );
    expect((await send('PATCH', path, 'focal.justice', { text: 'Training done!' })).status).toBe(409);
    expect(
      (await send('PATCH', `/actions/${id}/comments/${randomUUID()}`, 'focal.justice', { text: 'x' })).status,
    ).toBe(404);
    expect((await send('PATCH', path, 'focal.health', { text: 'x' })).status).toBe(404);
  });

  it('deletes softly: the thread shows the place, the text stays for the audit trail', async () => {
    const id = await action();
    const posted = await send('POST', `/actions/${id}/comments`, 'focal.interior', {
      text: 'Wrong thread, sorry.',
      mentions: [{ kind: 'institution', id: JUSTICE }],
    });
    const path = `/actions/${id}/comments/${posted.body.id}`;
    expect((await send('DELETE', path, 'focal.justice')).status).toBe(403);
    expect((await send('DELETE', path, 'focal.health')).status).toBe(404);
    expect((await send('DELETE', path, 'focal.interior')).status).toBe(204);
    expect((await send('DELETE', path, 'focal.interior')).status).toBe(204);
    expect((await send('PATCH', path, 'focal.interior', { text: 'Again.' })).status).toBe(409);
    const thread = await send('GET', `/actions/${id}/comments`, 'coordinator');
    expect(thread.body).toMatchObject({ total: 1 });
    expect(thread.body.items[0]).toMatchObject({
      id: posted.body.id,
      text: null,
      mentions: [],
      deleted: true,
      deletedBy: 'focal-interior-1',
      deletedAt: expect.any(String),
    });
    const [row] = await dataSource.query(`SELECT body FROM action_comments WHERE id = $1`, [posted.body.id]);
    expect(row.body).toBe('Wrong thread, sorry.');
    // The coordinator moderates any comment.
    const other = await send('POST', `/actions/${id}/comments`, 'focal.justice', { text: 'Off topic.' });
    expect((await send('DELETE', `/actions/${id}/comments/${other.body.id}`, 'coordinator')).status).toBe(
      204,
    );
    const audited: Array<{ actor_id: string; action: string }> = await dataSource.query(
      `SELECT actor_id, action FROM audit_record WHERE entity = 'action_comments' AND entity_id = $1 ORDER BY seq`,
      [posted.body.id],
    );
    expect(audited).toEqual([
      { actor_id: 'focal-interior-1', action: 'insert' },
      { actor_id: 'focal-interior-1', action: 'update' },
    ]);
  });
});
