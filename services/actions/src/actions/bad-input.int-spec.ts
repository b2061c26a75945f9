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
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';

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

/** Any bytes, any headers: what the malformed-input run sent. */
function send(
  base: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000);

describe('actions API: malformed input gets a 4xx and changes nothing (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  const recommendationId = randomUUID();
  let assignedId: string;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_bad_input');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.2')`,
      [recommendationId],
    );
    const module = await Test.createTestingModule({
      controllers: [ActionsController],
      providers: [
        ActionsService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    // Authentication is tested elsewhere: every request here is the coordinator's.
    app.use((request: { principal?: Principal }, _response: unknown, next: () => void) => {
      request.principal = COORDINATOR;
      next();
    });
    applyHttpHardening(app);
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    const created = await send(
      base,
      'POST',
      '/actions',
      JSON.stringify({
        recommendationId,
        title: 'Submit the ratification bill',
        institution: 'Ministry of Justice',
        dueDate: day(20).toISOString(),
      }),
    );
    expect(created.status).toBe(201);
    assignedId = created.body.id;
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Every row an action request could touch: actions, progress and the outbox. */
  async function snapshot(): Promise<string> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM actions) AS actions,
              (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY id), '')) FROM actions a) AS action_rows,
              (SELECT count(*) FROM progress_updates) AS progress,
              (SELECT count(*) FROM outbox) AS events`,
    );
    return JSON.stringify(row);
  }

  /** Sends the request and expects `status`, with nothing stored. */
  async function refused(
    status: number,
    method: string,
    path: string,
    body?: Buffer | string,
    headers?: Record<string, string>,
  ): Promise<Answer> {
    const before = await snapshot();
    const answer = await send(base, method, path, body, headers);
    expect({ path, status: answer.status }).toEqual({ path, status });
    expect(answer.body).toMatchObject({ statusCode: status });
    expect(await snapshot()).toBe(before);
    return answer;
  }

  const create = (fields: Record<string, unknown>) =>
    JSON.stringify({
      recommendationId,
      title: 'Draft the law',
      institution: 'Ministry of Justice',
      dueDate: day(10).toISOString(),
      ...fields,
    });

  it('413 for a body over the limit (1 MiB)', async () => {
    const answer = await refused(413, 'POST', '/actions', create({ description: 'x'.repeat(1_100_000) }));
    expect(answer.body.message).toBe('The request body is larger than the limit of 1048576 bytes');
  });

  it('415 for an unsupported charset or content encoding', async () => {
    await refused(415, 'POST', '/actions', create({}), {
      'content-type': 'application/json; charset=latin1',
    });
    await refused(415, 'POST', '/actions', create({}), {
      'content-type': 'application/json',
      'content-encoding': 'br',
    });
  });

  it('400 for a body that is not valid gzip', async () => {
    await refused(400, 'POST', '/actions', Buffer.from(create({})), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    const valid = await send(base, 'POST', '/actions', gzipSync(create({ title: 'Sent compressed' })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(valid.status).toBe(201);
  });

  it('400 for JSON nested 40,000 deep', async () => {
    const body = `{"recommendationId":"${recommendationId}","title":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
    const answer = await refused(400, 'POST', '/actions', body);
    expect(answer.body.message).toBe('The JSON body is nested deeper than 32 levels');
  });

  it('400 for NUL or an unpaired surrogate in any string of a body, query or path', async () => {
    await refused(400, 'POST', '/actions', create({ title: 'Draft\u0000the law' }));
    await refused(
      400,
      'POST',
      '/actions',
      create({ description: 'about \ud800' }).replace('\ud800', '\\ud800'),
    );
    await refused(
      400,
      'POST',
      `/actions/${assignedId}/progress`,
      '{"status":"in_progress","note":"a\\u0000"}',
    );
    await refused(
      400,
      'PUT',
      `/actions/${assignedId}/due-date`,
      JSON.stringify({ dueDate: day(30), reason: '\u0000' }),
    );
    const query = await refused(400, 'GET', '/actions?institution=Ministry%00of%20Justice');
    expect(query.body.errors).toEqual([
      { field: 'institution', messages: ['institution must not contain NUL characters'] },
    ]);
  });

  it('400 for blank titles and institutions, or ones with control characters', async () => {
    for (const fields of [
      { title: '   ' },
      { title: 'Two\nlines' },
      { institution: '\t' },
      { institution: 'Ministry\u001b[31m of Justice' },
    ]) {
      await refused(400, 'POST', '/actions', create(fields));
    }
    await refused(
      400,
      'PUT',
      `/actions/${assignedId}/assignment`,
      JSON.stringify({ institution: ' ', dueDate: day(5) }),
    );
  });

  it('400 for numbers beyond their range, or not safe integers', async () => {
    for (const query of [
      'offset=1e20',
      'offset=1000001',
      'limit=9007199254740993',
      'limit=501',
      'offset=-1',
      'limit=0x10',
    ]) {
      await refused(400, 'GET', `/actions?${query}`);
    }
    expect((await send(base, 'GET', '/actions?limit=500&offset=1000000')).status).toBe(200);
  });

  it.each([
    ['+275760-09-13'],
    ['-271821-04-20'],
    ['1944-12-31'],
    ['2026-02-30'],
    [true],
    [0],
    [-1],
    ['1'],
    ['2126-01-01'],
  ])('400 for the due date %j, on creation, assignment and due-date change', async (dueDate) => {
    await refused(400, 'POST', '/actions', create({ dueDate }));
    await refused(
      400,
      'PUT',
      `/actions/${assignedId}/assignment`,
      JSON.stringify({ institution: 'Ministry of Health', dueDate }),
    );
    const answer = await refused(400, 'PUT', `/actions/${assignedId}/due-date`, JSON.stringify({ dueDate }));
    expect(answer.body.errors).toEqual([
      { field: 'dueDate', messages: [expect.stringMatching(/^dueDate must be /)] },
    ]);
  });

  it('422 for a due date in the past; today is accepted', async () => {
    const past = day(-3).toISOString();
    for (const [method, path, body] of [
      ['POST', '/actions', create({ dueDate: past })],
      [
        'PUT',
        `/actions/${assignedId}/assignment`,
        JSON.stringify({ institution: 'Ministry of Health', dueDate: past }),
      ],
      ['PUT', `/actions/${assignedId}/due-date`, JSON.stringify({ dueDate: past })],
    ]) {
      const answer = await refused(422, method, path, body);
      expect(answer.body.message).toBe('dueDate must be in the future (today is accepted)');
    }
    const today = new Date().toISOString().slice(0, 10);
    const moved = await send(
      base,
      'PUT',
      `/actions/${assignedId}/due-date`,
      JSON.stringify({ dueDate: today }),
    );
    expect(moved).toMatchObject({ status: 200, body: { dueAt: `${today}T00:00:00.000Z` } });
  });
});
