import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
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
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { ActionsController } from '../actions/actions.controller';
import { ActionsService } from '../actions/actions.service';
import { entities, migrations, SCHEMA } from '../database';
import { CSV_MAX_BYTES } from './institution-csv';
import { InstitutionsController } from './institutions.controller';
import { InstitutionsService } from './institutions.service';

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
  // The claim as another identity provider might spell it: ids compare case-insensitively.
  'focal.justice': principal('focal-justice-1', new Set(['focal_point']), ['ministry of justice']),
  'focal.health': principal('focal-health-1', new Set(['focal_point']), ['Ministry of Health']),
};

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();

describe('institutions directory API and actions by institution id (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  const recommendationId = randomUUID();

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_institutions');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.2')`,
      [recommendationId],
    );
    const module = await Test.createTestingModule({
      controllers: [InstitutionsController, ActionsController],
      providers: [
        InstitutionsService,
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
    options: {
      body?: unknown;
      raw?: RequestInit['body'];
      headers?: Record<string, string>;
      as?: string;
    } = {},
  ): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.as ? { 'x-as': options.as } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : options.raw,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body, headers: response.headers };
  }

  /** Rows of the directory, and the events written, as one comparable string. */
  async function snapshot(): Promise<string> {
    const [row] = await dataSource.query(
      `SELECT (SELECT md5(string_agg(i::text, '|' ORDER BY id)) FROM institutions i) AS institutions,
              (SELECT count(*) FROM outbox) AS events`,
    );
    return JSON.stringify(row);
  }

  async function eventsSince(count: number): Promise<EventEnvelope[]> {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox ORDER BY seq OFFSET $1`,
      [count],
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }
  const eventCount = async () => Number((await dataSource.query(`SELECT count(*) FROM outbox`))[0].count);

  const justice = {
    kind: 'ministry',
    names: { en: 'Ministry of Justice' },
  };

  describe('reading', () => {
    it('starts with the demo realm’s institutions, named in the six languages', async () => {
      const answer = await send('GET', '/institutions?limit=100');
      expect(answer.status).toBe(200);
      const ids = answer.body.items.map((item: { id: string }) => item.id);
      for (const id of [
        'NMIRF Secretariat',
        'Ministry of Justice',
        'Ministry of Interior',
        'Ministry of Education',
        'Ministry of Labour, Family, Social Affairs and Equal Opportunities',
      ])
        expect(ids).toContain(id);
      for (const item of answer.body.items)
        expect(Object.keys(item.names).sort()).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
    });

    it('shows anonymous callers the names only, and signed-in users who works there', async () => {
      const anonymous = await send('GET', '/institutions/Ministry%20of%20Justice', { as: 'anonymous' });
      expect(anonymous.status).toBe(200);
      expect(Object.keys(anonymous.body).sort()).toEqual([
        'acronym',
        'active',
        'id',
        'kind',
        'names',
        'parentId',
      ]);
      const signedIn = await send('GET', '/institutions/ministry%20of%20justice', { as: 'focal.justice' });
      expect(signedIn.body).toMatchObject({ id: 'Ministry of Justice', focalPointIds: [], version: 1 });
      expect(signedIn.headers.get('etag')).toBe('"1"');
      expect((await send('GET', '/institutions/Ministry%20of%20Magic')).status).toBe(404);
      expect((await send('GET', '/institutions/bad%2Fid')).status).toBe(400);
    });

    it('searches names in every language and the acronym, filters and pages', async () => {
      const french = await send('GET', `/institutions?q=${encodeURIComponent('ministère de la santé')}`);
      expect(french.body.items.map((item: { id: string }) => item.id)).toEqual(['Ministry of Health']);
      const arabic = await send('GET', `/institutions?q=${encodeURIComponent('وزارة العدل')}`);
      expect(arabic.body.items.map((item: { id: string }) => item.id)).toEqual(['Ministry of Justice']);
      expect((await send('GET', '/institutions?q=nmirf')).body.total).toBe(1);
      expect((await send('GET', '/institutions?q=%25')).body.total).toBe(0);
      const nhri = await send('GET', '/institutions?kind=nhri');
      expect(nhri.body.items.map((item: { id: string }) => item.id)).toEqual(['Human Rights Ombudsman']);
      const ministries = await send('GET', '/institutions?kind=ministry');
      const page = await send('GET', '/institutions?kind=ministry&limit=2&offset=2');
      expect(page.body.total).toBe(ministries.body.total);
      expect(page.body.items).toEqual(ministries.body.items.slice(2, 4));
      expect((await send('GET', '/institutions?kind=department')).status).toBe(400);
      expect((await send('GET', '/institutions?active=maybe')).status).toBe(400);
    });
  });

  describe('writing', () => {
    it('creates an institution in one transaction with its event, and refuses a duplicate in any case', async () => {
      const before = await eventCount();
      const created = await send('POST', '/institutions', {
        body: {
          id: 'Prison Administration',
          kind: 'agency',
          parentId: 'ministry of justice',
          names: { en: 'Prison Administration', fr: 'Administration pénitentiaire' },
          acronym: 'URSIKS',
          focalPointIds: ['user-7', 'user-7', 'user-8'],
        },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/institutions/Prison%20Administration');
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toMatchObject({
        id: 'Prison Administration',
        parentId: 'Ministry of Justice',
        focalPointIds: ['user-7', 'user-8'],
        validatorIds: [],
        active: true,
        needsReview: false,
      });
      const [event] = await eventsSince(before);
      expect(event).toMatchObject({ type: 'InstitutionChanged', aggregateId: 'Prison Administration' });
      expect(event.payload.value).toMatchObject({
        institutionId: 'Prison Administration',
        parentId: 'Ministry of Justice',
        names: { en: 'Prison Administration', fr: 'Administration pénitentiaire', ar: '' },
        active: true,
      });

      const twin = await send('POST', '/institutions', { body: { ...justice, id: 'PRISON ADMINISTRATION' } });
      expect(twin).toMatchObject({
        status: 409,
        body: { message: 'Institution Prison Administration already exists' },
      });
    });

    it('refuses bad input with 400 and an unknown parent with 422, storing nothing', async () => {
      const before = await snapshot();
      for (const body of [
        { ...justice, id: 'bad/id' },
        { ...justice, id: 'Court', kind: 'department' },
        { ...justice, id: 'Court', names: { en: '  ' } },
        { ...justice, id: 'Court', names: { fr: 'Cour' } },
        { ...justice, id: 'Court', names: { en: 'Court', de: 'Gericht' } },
        { ...justice, id: 'Court', names: 'Court' },
        { ...justice, id: 'Court', validatorIds: ['a b'] },
        { ...justice, id: 'Court', acronym: 'Line\nbreak' },
      ]) {
        const answer = await send('POST', '/institutions', { body });
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      }
      const orphan = await send('POST', '/institutions', {
        body: { ...justice, id: 'Court', parentId: 'Nowhere' },
      });
      expect(orphan).toMatchObject({
        status: 422,
        body: { message: 'parentId Nowhere is not in the directory' },
      });
      expect(await snapshot()).toBe(before);
    });

    it('updates with If-Match: 412 on a stale version, 422 for a parent loop', async () => {
      const read = await send('GET', '/institutions/Prison%20Administration');
      const etag = read.headers.get('etag') as string;
      const fields = {
        kind: 'agency',
        parentId: 'Ministry of Justice',
        names: { en: 'Prison Administration' },
      };
      const updated = await send('PUT', '/institutions/prison%20administration', {
        body: { ...fields, names: { en: 'Prison Administration', es: 'Administración Penitenciaria' } },
        headers: { 'if-match': etag },
      });
      expect(updated.status).toBe(200);
      expect(updated.headers.get('etag')).toBe('"2"');
      expect(updated.body).toMatchObject({ id: 'Prison Administration', version: 2, focalPointIds: [] });

      const before = await snapshot();
      const stale = await send('PUT', '/institutions/Prison%20Administration', {
        body: { ...fields, acronym: 'PA' },
        headers: { 'if-match': etag },
      });
      expect(stale).toMatchObject({ status: 412, body: { message: expect.stringMatching(/version 2/) } });
      const loop = await send('PUT', '/institutions/Ministry%20of%20Justice', {
        body: { ...justice, parentId: 'Prison Administration' },
      });
      expect(loop).toMatchObject({
        status: 422,
        body: {
          message:
            'parentId would make the parents loop: Ministry of Justice → Prison Administration → Ministry of Justice',
        },
      });
      expect(await snapshot()).toBe(before);

      // The same fields again change nothing: no new version, no event.
      const events = await eventCount();
      const again = await send('PUT', '/institutions/Prison%20Administration', {
        body: { ...fields, names: { en: 'Prison Administration', es: 'Administración Penitenciaria' } },
        headers: { 'if-match': '"2"' },
      });
      expect(again.headers.get('etag')).toBe('"2"');
      expect(await eventCount()).toBe(events);
    });

    it('deactivates instead of deleting; an inactive or unknown institution takes no assignment', async () => {
      const deactivated = await send('DELETE', '/institutions/Prison%20Administration', {
        headers: { 'if-match': '"2"' },
      });
      expect(deactivated).toMatchObject({ status: 200, body: { active: false, version: 3 } });
      expect((await send('GET', '/institutions/Prison%20Administration')).status).toBe(200);
      expect((await send('GET', '/institutions?active=false')).body.items).toEqual([
        expect.objectContaining({ id: 'Prison Administration' }),
      ]);

      const before = await eventCount();
      for (const [institution, message] of [
        ['Prison Administration', 'Institution Prison Administration is inactive'],
        [
          'Ministry of Magic',
          expect.stringMatching(/^Institution Ministry of Magic is not in the directory/),
        ],
      ]) {
        const answer = await send('POST', '/actions', {
          body: { recommendationId, title: 'Inspect the prisons', institution, dueDate: day(30) },
        });
        expect(answer).toMatchObject({ status: 422, body: { message } });
      }
      expect(await eventCount()).toBe(before);
      expect(Number((await dataSource.query(`SELECT count(*) FROM actions`))[0].count)).toBe(0);
    });
  });

  describe('actions refer to institutions by id', () => {
    let actionId: string;

    it('stores the canonical id and sends its English name and id in the events', async () => {
      const before = await eventCount();
      const created = await send('POST', '/actions', {
        body: {
          recommendationId,
          title: 'Draft the bill',
          institution: 'MINISTRY OF JUSTICE',
          dueDate: day(20),
        },
      });
      expect(created).toMatchObject({ status: 201, body: { institution: 'Ministry of Justice' } });
      actionId = created.body.id;
      const moved = await send('PUT', `/actions/${actionId}/assignment`, {
        body: { institution: 'Ministry of Health', dueDate: day(25) },
      });
      expect(moved).toMatchObject({ status: 200, body: { institution: 'Ministry of Health' } });
      const assigned = (await eventsSince(before)).filter((event) => event.type === 'ActionAssigned');
      expect(assigned.map((event) => event.payload.value)).toEqual([
        expect.objectContaining({
          institution: 'Ministry of Justice',
          institutionId: 'Ministry of Justice',
          previousInstitution: '',
          previousInstitutionId: '',
        }),
        expect.objectContaining({
          institution: 'Ministry of Health',
          institutionId: 'Ministry of Health',
          previousInstitution: 'Ministry of Justice',
          previousInstitutionId: 'Ministry of Justice',
        }),
      ]);
      const [row] = await dataSource.query(`SELECT lead_institution_id FROM actions WHERE id = $1`, [
        actionId,
      ]);
      expect(row.lead_institution_id).toBe('Ministry of Health');
    });

    it('lets a focal point see only its institution’s actions, comparing the claim with the id', async () => {
      const ownId = (
        await send('POST', '/actions', {
          body: {
            recommendationId,
            title: 'Train judges',
            institution: 'Ministry of Justice',
            dueDate: day(20),
          },
        })
      ).body.id;
      const mine = await send('GET', '/actions', { as: 'focal.justice' });
      expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([ownId]);
      expect((await send('GET', `/actions/${ownId}`, { as: 'focal.justice' })).status).toBe(200);
      expect((await send('GET', `/actions/${actionId}`, { as: 'focal.justice' })).status).toBe(404);
      expect((await send('GET', `/actions/${actionId}`, { as: 'focal.health' })).status).toBe(200);
      const filtered = await send('GET', '/actions?institution=ministry%20of%20health', {
        as: 'coordinator',
      });
      expect(filtered.body.items.map((item: { id: string }) => item.id)).toEqual([actionId]);
      const other = await send('GET', '/actions?institution=Ministry%20of%20Health', { as: 'focal.justice' });
      expect(other.body).toEqual({ items: [], total: 0 });
      const progress = await send('POST', `/actions/${ownId}/progress`, {
        body: { status: 'in_progress' },
        as: 'focal.justice',
      });
      expect(progress.status).toBe(201);
    });
  });

  describe('CSV import', () => {
    const header = 'id,kind,parent_id,name_en,name_fr,acronym,focal_point_ids';

    async function importCsv(text: string | Buffer, headers: Record<string, string> = {}) {
      return send('POST', '/institutions/import', {
        raw: typeof text === 'string' ? text : new Uint8Array(text),
        headers: { 'content-type': 'text/csv; charset=utf-8', ...headers },
      });
    }

    it('creates and updates from a file uploaded as multipart, children listed before their parents', async () => {
      const before = await eventCount();
      const text = [
        `\ufeff${header}`,
        'Regional Court Ljubljana,judiciary,supreme court,Regional Court Ljubljana,,,',
        'Supreme Court,judiciary,Judicial Council,Supreme Court,Cour suprême,,judge-1;judge-2',
        'Judicial Council,judiciary,,Judicial Council,Conseil de la magistrature,,',
        'National Assembly,parliament,,National Assembly,Assemblée nationale,DZ,',
        'Ministry of Justice,ministry,,Ministry of Justice,Ministère de la Justice,MoJ,focal-justice-1',
      ].join('\r\n');
      const form = new FormData();
      form.append('file', new Blob([text], { type: 'text/csv' }), 'institutions.csv');
      const answer = await send('POST', '/institutions/import', { raw: form });
      expect(answer).toMatchObject({ status: 200, body: { created: 4, updated: 1, unchanged: 0 } });
      const court = await send('GET', '/institutions/Regional%20Court%20Ljubljana');
      expect(court.body).toMatchObject({ parentId: 'Supreme Court', kind: 'judiciary' });
      const ministry = (await send('GET', '/institutions/Ministry%20of%20Justice')).body;
      // Left out of the file: the names in other languages stay.
      expect(ministry).toMatchObject({
        acronym: 'MoJ',
        focalPointIds: ['focal-justice-1'],
        names: { en: 'Ministry of Justice', fr: 'Ministère de la Justice', ar: 'وزارة العدل' },
      });
      const events = await eventsSince(before);
      expect(events.map((event) => event.aggregateId).sort()).toEqual([
        'Judicial Council',
        'Ministry of Justice',
        'National Assembly',
        'Regional Court Ljubljana',
        'Supreme Court',
      ]);

      const again = await importCsv(gzipSync(text), { 'content-encoding': 'gzip' });
      expect(again).toMatchObject({ status: 200, body: { created: 0, updated: 0, unchanged: 5 } });
      expect(await eventCount()).toBe(before + 5);
    });

    it('applies nothing when any row is wrong, and names every error with its line', async () => {
      const before = await snapshot();
      const answer = await importCsv(
        [
          header,
          'Constitutional Court,judiciary,,Constitutional Court,,,',
          'Ombudsman Office,nhri,,   ,,,',
          'Audit Court,judiciary,Court of Nowhere,Audit Court,,,',
          'Judicial Council,judiciary,Regional Court Ljubljana,Judicial Council,,,',
          'Constitutional Court,judiciary,,Duplicate,,,',
        ].join('\n'),
      );
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ message: 'Nothing was imported: 2 lines have errors' });
      expect(answer.body.errors).toEqual([
        { line: 3, field: 'name_en', messages: [expect.stringMatching(/^name_en is required/)] },
        { line: 6, field: 'id', messages: ['id Constitutional Court is already on line 2'] },
      ]);
      expect(await snapshot()).toBe(before);

      // Once each row is fine by itself, the rows are checked against the directory and each other.
      const related = await importCsv(
        [
          header,
          'Constitutional Court,judiciary,,Constitutional Court,,,',
          'Audit Court,judiciary,Court of Nowhere,Audit Court,,,',
          'Judicial Council,judiciary,Regional Court Ljubljana,Judicial Council,,,',
        ].join('\n'),
      );
      expect(related.status).toBe(422);
      expect(related.body.errors).toEqual([
        {
          line: 3,
          field: 'parent_id',
          messages: ['parent_id Court of Nowhere is neither in the directory nor in the file'],
        },
        {
          line: 4,
          field: 'parent_id',
          messages: [
            'The parents loop: Judicial Council → Regional Court Ljubljana → Supreme Court → Judicial Council',
          ],
        },
      ]);
      expect(await snapshot()).toBe(before);
    });

    it('refuses what is not a UTF-8 CSV file, or is too large, with a 4xx', async () => {
      const before = await snapshot();
      const latin1 = await importCsv(Buffer.from(`${header}\nMinist\xe8re,ministry,,x,,,\n`, 'latin1'));
      expect(latin1).toMatchObject({
        status: 422,
        body: { errors: [{ line: 1, messages: [expect.stringMatching(/not UTF-8/)] }] },
      });
      expect((await importCsv(header, { 'content-type': 'text/csv; charset=latin1' })).status).toBe(415);
      expect((await send('POST', '/institutions/import', { body: { id: 'x' } })).status).toBe(415);
      expect((await importCsv(Buffer.alloc(CSV_MAX_BYTES + 1, 'a'))).status).toBe(413);
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(CSV_MAX_BYTES + 1, 'a')]), 'big.csv');
      expect((await send('POST', '/institutions/import', { raw: form })).status).toBe(413);
      expect((await importCsv(Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400);
      expect(await snapshot()).toBe(before);
    });
  });
});
