import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decodeEnvelope, ImplementationStatus, type EventEnvelope } from '@nmirf/contracts';
import {
  applyHttpConventions,
  applyHttpHardening,
  BLOB_STORE,
  CONFIG,
  EventOutbox,
  LocalBlobStore,
  migrate,
  runWithContext,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsService } from './assessments.service';

jest.setTimeout(60_000);

const OMBUDSMAN = 'Human Rights Ombudsman';
const COALITION = 'Civil Society Coalition';

const principal = (subject: string, roles: string[], institutions: string[]): Principal => ({
  subject,
  name: subject,
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});
/** Who the request is from, chosen by the test's `x-as` header; authentication is tested end to end. */
const CALLERS: Record<string, Principal | undefined> = {
  anonymous: undefined,
  ombudsman: principal('nhri-1', ['nhri'], [OMBUDSMAN]),
  // A colleague, with the claim spelt as another identity provider might: organisations ignore case.
  'ombudsman.colleague': principal('nhri-2', ['nhri'], ['human rights ombudsman']),
  cso: principal('cso-1', ['civil_society'], [COALITION]),
  'cso.two': principal('cso-2', ['civil_society'], [COALITION, 'Roma Rights Network']),
  coordinator: principal('coordinator-1', ['coordinator'], ['NMIRF Secretariat']),
  'focal.justice': principal('focal-justice-1', ['focal_point'], ['Ministry of Justice']),
  admin: principal('admin-1', ['admin'], []),
};
const GOVERNMENT = ['coordinator', 'focal.justice', 'admin'];

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** Small enough that a test goes past it cheaply. */
const MAX_FILE_BYTES = 64 * 1024;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const content = (narrative: string, status = 'in_progress') => ({
  status,
  narrative,
  links: [{ url: 'https://www.varuh-rs.si/en/annual-report-2025', title: 'Annual report 2025' }],
});

describe('independent assessments (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  let evidenceDir: string;
  const recommendationId = randomUUID();

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_assessments');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.2')`,
      [recommendationId],
    );
    evidenceDir = await mkdtemp(join(tmpdir(), 'assessment-evidence-'));
    const module = await Test.createTestingModule({
      controllers: [AssessmentsController],
      providers: [
        AssessmentsService,
        { provide: DataSource, useValue: dataSource },
        { provide: BLOB_STORE, useValue: await LocalBlobStore.open(evidenceDir) },
        { provide: CONFIG, useValue: { EVIDENCE_MAX_BYTES: MAX_FILE_BYTES } },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    app.use(
      (request: { principal?: Principal; headers: Record<string, string> }, _: unknown, next: () => void) => {
        const caller = CALLERS[request.headers['x-as'] ?? 'anonymous'];
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
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  async function send(
    method: string,
    path: string,
    options: { body?: unknown; raw?: Buffer; headers?: Record<string, string>; as?: string } = {},
  ): Promise<Answer & { bytes: Buffer }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.raw !== undefined ? { 'content-type': 'application/octet-stream' } : {}),
        ...(options.as ? { 'x-as': options.as } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : options.raw,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (204)
    }
    return { status: response.status, body, headers: response.headers, bytes };
  }

  const listPath = (id = recommendationId) => `/recommendations/${id}/assessments?limit=500`;
  const listedIds = async (as: string) => {
    const answer = await send('GET', listPath(), { as });
    expect(answer.status).toBe(200);
    return answer.body.items.map((item: { id: string }) => item.id) as string[];
  };

  async function create(as: string, body: Record<string, unknown>): Promise<{ id: string; etag: string }> {
    const answer = await send('POST', `/recommendations/${recommendationId}/assessments`, { as, body });
    expect(answer.status).toBe(201);
    return { id: answer.body.id, etag: answer.headers.get('etag') as string };
  }

  async function events(): Promise<EventEnvelope[]> {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox ORDER BY seq`,
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }
  const eventsAbout = async (id: string) => (await events()).filter((event) => event.aggregateId === id);

  const version = async (id: string) =>
    Number((await dataSource.query(`SELECT version FROM assessments WHERE id = $1`, [id]))[0].version);

  it('records a draft for the author organisation, visible to it alone', async () => {
    const answer = await send('POST', `/recommendations/${recommendationId}/assessments`, {
      as: 'ombudsman',
      body: content('The bill is drafted but has not reached the National Assembly.'),
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('etag')).toBe('"1"');
    expect(answer.headers.get('location')).toBe(`/assessments/${answer.body.id}`);
    expect(answer.body).toMatchObject({
      recommendationId,
      authorOrganisationId: OMBUDSMAN,
      authorKind: 'nhri',
      authorSubject: 'nhri-1',
      status: 'in_progress',
      published: false,
      publishedAt: null,
      version: 1,
      links: [{ url: 'https://www.varuh-rs.si/en/annual-report-2025', title: 'Annual report 2025' }],
    });
    const id = answer.body.id;

    expect((await send('GET', `/assessments/${id}`, { as: 'ombudsman.colleague' })).status).toBe(200);
    expect(await listedIds('ombudsman.colleague')).toContain(id);
    // Anyone else: it does not exist.
    for (const outsider of ['anonymous', 'cso', ...GOVERNMENT]) {
      expect((await send('GET', `/assessments/${id}`, { as: outsider })).status).toBe(404);
      expect(await listedIds(outsider)).not.toContain(id);
    }
    // The audit trail names the author as the actor of the insert, in the same transaction.
    const [audit] = await dataSource.query(
      `SELECT actor_id, action FROM audit_record WHERE entity = 'assessments' AND entity_id = $1`,
      [id],
    );
    expect(audit).toEqual({ actor_id: 'nhri-1', action: 'insert' });
    expect(await eventsAbout(id)).toEqual([]); // drafts never travel
  });

  it('unpublished assessments never appear to anonymous users', async () => {
    const draft = await create('ombudsman', content('Draft: SECRET-DRAFT-NARRATIVE'));
    const taken = await create('cso', content('Published, then taken back: SECRET-UNPUBLISHED'));
    const gone = await create('cso', content('Published, then withdrawn: SECRET-WITHDRAWN'));
    const shown = await create('cso', content('Published and public', 'partially_implemented'));
    for (const { id } of [taken, gone, shown])
      expect((await send('POST', `/assessments/${id}/publish`, { as: 'cso' })).status).toBe(200);
    expect((await send('POST', `/assessments/${taken.id}/unpublish`, { as: 'cso' })).status).toBe(200);
    expect((await send('DELETE', `/assessments/${gone.id}`, { as: 'cso' })).status).toBe(204);

    const listed = await send('GET', listPath(), {});
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(shown.id);
    for (const hidden of [draft, taken, gone]) {
      expect(ids).not.toContain(hidden.id);
      expect((await send('GET', `/assessments/${hidden.id}`)).status).toBe(404);
    }
    expect(JSON.stringify(listed.body)).not.toMatch(/SECRET-/);
    expect(listed.body.items.every((item: { published: boolean }) => item.published)).toBe(true);
    expect(listed.body.total).toBe(listed.body.items.length);
    // The public view names the organisation, not the people.
    const item = listed.body.items.find((entry: { id: string }) => entry.id === shown.id);
    expect(item).toMatchObject({ authorOrganisationId: COALITION, status: 'partially_implemented' });
    expect(item).not.toHaveProperty('authorSubject');
    expect(item).not.toHaveProperty('publishedBy');
    // Nor do drafts reach other services: only what was published travels.
    const outbox: Array<{ payload: Buffer }> = await dataSource.query(`SELECT payload FROM outbox`);
    const bytes = Buffer.concat(outbox.map((row) => row.payload));
    expect(bytes.includes('SECRET-UNPUBLISHED')).toBe(true); // it was public for a while
    expect(bytes.includes('SECRET-DRAFT-NARRATIVE')).toBe(false);
  });

  it('edits only with If-Match: 428 without it, 412 on a stale read', async () => {
    const { id, etag } = await create('ombudsman', content('First reading'));
    const edit = (headers: Record<string, string>, narrative = 'Second reading') =>
      send('PUT', `/assessments/${id}`, {
        as: 'ombudsman',
        headers,
        body: content(narrative, 'implemented'),
      });

    const missing = await edit({});
    expect(missing.status).toBe(428);
    expect(missing.body.message).toMatch(/If-Match/);
    expect((await edit({ 'if-match': '"7"' })).status).toBe(412);
    expect((await edit({ 'if-match': `W/${etag}` })).status).toBe(412);
    expect(await version(id)).toBe(1);

    const edited = await edit({ 'if-match': etag });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body).toMatchObject({ narrative: 'Second reading', status: 'implemented', version: 2 });
    // A colleague who read version 1 is refused; after reading again, their edit goes through.
    const stale = await send('PUT', `/assessments/${id}`, {
      as: 'ombudsman.colleague',
      headers: { 'if-match': etag },
      body: content('Colleague’s reading'),
    });
    expect(stale.status).toBe(412);
    const fresh = await send('PUT', `/assessments/${id}`, {
      as: 'ombudsman.colleague',
      headers: { 'if-match': '"2"' },
      body: content('Colleague’s reading'),
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ version: 3, updatedBy: 'nhri-2', authorSubject: 'nhri-1' });
    // The same content again changes nothing, not even the version.
    const same = await send('PUT', `/assessments/${id}`, {
      as: 'ombudsman',
      headers: { 'if-match': '"3"' },
      body: content('Colleague’s reading'),
    });
    expect(same.status).toBe(200);
    expect(await version(id)).toBe(3);
  });

  it('never lets a government user change an assessment, though they read it once published', async () => {
    const { id } = await create('ombudsman', content('Independent view'));
    const changes = (as: string, etag: string) => [
      send('PUT', `/assessments/${id}`, { as, headers: { 'if-match': etag }, body: content('Rewritten') }),
      send('POST', `/assessments/${id}/publish`, { as }),
      send('POST', `/assessments/${id}/unpublish`, { as }),
      send('DELETE', `/assessments/${id}`, { as }),
    ];
    // A draft: government users do not learn it exists.
    for (const official of GOVERNMENT)
      for (const answer of await Promise.all(changes(official, '"1"'))) expect(answer.status).toBe(404);

    expect((await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman' })).status).toBe(200);
    for (const official of GOVERNMENT) {
      const read = await send('GET', `/assessments/${id}`, { as: official });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ narrative: 'Independent view', published: true });
      for (const answer of await Promise.all(changes(official, '"2"'))) expect(answer.status).toBe(403);
    }
    // Another organisation is refused too.
    for (const answer of await Promise.all(changes('cso', '"2"'))) expect(answer.status).toBe(403);
    const [row] = await dataSource.query(
      `SELECT narrative, published, withdrawn_at, version FROM assessments WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ narrative: 'Independent view', published: true, withdrawn_at: null, version: 2 });
    // Nor may they write one.
    for (const official of GOVERNMENT) {
      const refused = await send('POST', `/recommendations/${recommendationId}/assessments`, {
        as: official,
        body: content('Government view'),
      });
      expect(refused.status).toBe(403);
    }
  });

  it('publishes by the author organisation’s decision, with the public set as events', async () => {
    const { id } = await create('ombudsman', content('Public from today', 'partially_implemented'));
    const published = await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman.colleague' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ published: true, publishedBy: 'nhri-2', version: 2 });
    expect(published.body.publishedAt).toEqual(expect.any(String));
    expect(await listedIds('anonymous')).toContain(id);
    // Publishing again changes nothing.
    expect((await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman' })).body.version).toBe(2);
    // A stale If-Match is refused here too.
    expect(
      (
        await send('POST', `/assessments/${id}/unpublish`, {
          as: 'ombudsman',
          headers: { 'if-match': '"1"' },
        })
      ).status,
    ).toBe(412);

    const edited = await send('PUT', `/assessments/${id}`, {
      as: 'ombudsman',
      headers: { 'if-match': '"2"' },
      body: content('Public, and corrected', 'implemented'),
    });
    expect(edited.body).toMatchObject({ published: true, version: 3 });
    const unpublished = await send('POST', `/assessments/${id}/unpublish`, { as: 'ombudsman' });
    expect(unpublished.body).toMatchObject({ published: false, publishedAt: null, version: 4 });
    expect(await listedIds('anonymous')).not.toContain(id);
    expect((await send('GET', `/assessments/${id}`)).status).toBe(404);

    const stream = await eventsAbout(id);
    expect(stream.map((event) => [event.type, Number(event.aggregateSequence)])).toEqual([
      ['AssessmentPublished', 1],
      ['AssessmentPublished', 2],
      ['AssessmentUnpublished', 3],
    ]);
    expect(stream[1].payload.value).toMatchObject({
      assessmentId: id,
      recommendationId,
      authorOrganisationId: OMBUDSMAN,
      status: ImplementationStatus.IMPLEMENTED,
      narrative: 'Public, and corrected',
      version: 3,
      links: [{ url: 'https://www.varuh-rs.si/en/annual-report-2025', title: 'Annual report 2025' }],
    });
    expect(stream[2].payload.value).toMatchObject({ assessmentId: id, withdrawn: false });
    expect(stream[0].actor).toMatchObject({ id: 'nhri-2' });
  });

  it('hides a withdrawn assessment from everyone and keeps its row and history', async () => {
    const { id } = await create('ombudsman', content('To be withdrawn'));
    await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman' });
    expect(
      (await send('DELETE', `/assessments/${id}`, { as: 'ombudsman', headers: { 'if-match': '"1"' } }))
        .status,
    ).toBe(412);
    expect((await send('DELETE', `/assessments/${id}`, { as: 'ombudsman' })).status).toBe(204);

    for (const someone of ['anonymous', 'ombudsman', 'ombudsman.colleague', 'cso', ...GOVERNMENT]) {
      expect((await send('GET', `/assessments/${id}`, { as: someone })).status).toBe(404);
      expect(await listedIds(someone)).not.toContain(id);
    }
    // Gone for its authors too: nothing more to change.
    expect((await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman' })).status).toBe(404);
    expect((await send('DELETE', `/assessments/${id}`, { as: 'ombudsman' })).status).toBe(404);

    const [row] = await dataSource.query(
      `SELECT published, withdrawn_by, withdrawn_at IS NOT NULL AS withdrawn FROM assessments WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ published: false, withdrawn_by: 'nhri-1', withdrawn: true });
    const trail = await dataSource.query(
      `SELECT action, actor_id FROM audit_record WHERE entity = 'assessments' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(trail).toEqual([
      { action: 'insert', actor_id: 'nhri-1' },
      { action: 'update', actor_id: 'nhri-1' },
      { action: 'update', actor_id: 'nhri-1' },
    ]);
    const last = (await eventsAbout(id)).at(-1);
    expect(last?.type).toBe('AssessmentUnpublished');
    expect(last?.payload.value).toMatchObject({ withdrawn: true });
  });

  it('asks someone acting for several organisations which one writes, and takes only theirs', async () => {
    const path = `/recommendations/${recommendationId}/assessments`;
    const unnamed = await send('POST', path, { as: 'cso.two', body: content('Which one?') });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors).toEqual([
      { field: 'organisation', messages: [expect.stringMatching(/several/)] },
    ]);
    const notTheirs = await send('POST', path, {
      as: 'cso.two',
      body: { ...content('Not ours'), organisation: OMBUDSMAN },
    });
    expect(notTheirs.status).toBe(403);
    const named = await send('POST', path, {
      as: 'cso.two',
      body: { ...content('Ours'), organisation: 'ROMA RIGHTS NETWORK' },
    });
    expect(named.status).toBe(201);
    expect(named.body.authorOrganisationId).toBe('Roma Rights Network');
    // Its colleague in the coalition does not see the network's draft.
    expect((await send('GET', `/assessments/${named.body.id}`, { as: 'cso' })).status).toBe(404);
  });

  it('keeps evidence files: stored once, typed from content, downloaded by those who may read', async () => {
    const { id } = await create('ombudsman', content('With a report attached'));
    const upload = (as: string, bytes: Buffer, name = 'report 2025 – final.pdf', headers = {}) =>
      send('POST', `/assessments/${id}/files?name=${encodeURIComponent(name)}`, { as, raw: bytes, headers });

    const attached = await upload('ombudsman', PDF);
    expect(attached.status).toBe(201);
    expect(attached.headers.get('etag')).toBe('"2"');
    expect(attached.body.files).toEqual([
      {
        sha256: sha256(PDF),
        name: 'report 2025 – final.pdf',
        mediaType: 'application/pdf',
        size: PDF.length,
        uploadedAt: expect.any(String),
      },
    ]);
    // The same bytes again: nothing changes.
    expect((await upload('ombudsman.colleague', PDF, 'copy.pdf')).body).toMatchObject({
      version: 2,
      files: [{ name: 'report 2025 – final.pdf' }],
    });

    const path = `/assessments/${id}/files/${sha256(PDF)}`;
    const download = await send('GET', path, { as: 'ombudsman.colleague' });
    expect(download.status).toBe(200);
    expect(download.bytes.equals(PDF)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename=.*filename\*=UTF-8''report%202025%20%E2%80%93%20final\.pdf$/,
    );
    // A draft's file is as hidden as the draft.
    for (const outsider of ['anonymous', 'cso', 'coordinator'])
      expect((await send('GET', path, { as: outsider })).status).toBe(404);
    await send('POST', `/assessments/${id}/publish`, { as: 'ombudsman' });
    expect((await send('GET', path)).bytes.equals(PDF)).toBe(true);
    const published = (await eventsAbout(id)).at(-1);
    expect(published?.payload.value).toMatchObject({
      files: [{ sha256: sha256(PDF), name: 'report 2025 – final.pdf', mediaType: 'application/pdf' }],
    });
    // Only the author organisation attaches; the government never does.
    expect((await upload('cso', PDF)).status).toBe(403);
    expect((await upload('coordinator', PDF)).status).toBe(403);
    // A file another assessment shows is not this one's.
    const other = await create('ombudsman', content('Another'));
    expect(
      (await send('GET', `/assessments/${other.id}/files/${sha256(PDF)}`, { as: 'ombudsman' })).status,
    ).toBe(404);

    const removed = await send('DELETE', path, { as: 'ombudsman', headers: { 'if-match': '"3"' } });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ files: [], version: 4 });
    expect((await send('GET', path)).status).toBe(404);
    expect((await send('DELETE', path, { as: 'ombudsman' })).status).toBe(404);
    expect((await eventsAbout(id)).at(-1)?.payload.value).toMatchObject({ files: [], version: 4 });
  });

  it('refuses a file over the limit (413) or of a refused type (415), storing nothing', async () => {
    const { id } = await create('ombudsman', content('Refused files'));
    const upload = (bytes: Buffer, headers: Record<string, string> = {}, name = 'evidence') =>
      send('POST', `/assessments/${id}/files?name=${encodeURIComponent(name)}`, {
        as: 'ombudsman',
        raw: bytes,
        headers,
      });
    const tooLarge = await upload(Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES)]));
    expect(tooLarge.status).toBe(413);
    // Without Content-Length (chunked), the store stops at the limit itself.
    const chunked = await fetch(`${base}/assessments/${id}/files?name=big.pdf`, {
      method: 'POST',
      headers: { 'x-as': 'ombudsman', 'content-type': 'application/octet-stream' },
      body: new Blob([PDF, Buffer.alloc(MAX_FILE_BYTES)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const program = await upload(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), {}, 'report.pdf');
    expect(program.status).toBe(415);
    expect(program.body.errors).toEqual([
      { field: 'file', messages: [expect.stringMatching(/program/)], detected: 'executable' },
    ]);
    const page = await upload(Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'));
    expect(page.status).toBe(415);
    expect(page.body.errors[0].detected).toBe('markup');
    const json = await send('POST', `/assessments/${id}/files?name=evidence`, {
      as: 'ombudsman',
      body: { file: PDF.toString('base64') },
    });
    expect(json.status).toBe(415);
    expect((await upload(PDF, {}, 'a/b.pdf')).status).toBe(400);
    expect((await upload(PDF, {}, ' ')).status).toBe(400);
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM assessment_files WHERE assessment_id = $1`,
      [id],
    );
    expect(count).toBe(0);
    expect(await version(id)).toBe(1);
  });

  it.each([
    ['a blank narrative', { ...content(' \n '), status: 'implemented' }, 'narrative'],
    ['a narrative over the limit', content('a'.repeat(20_001)), 'narrative'],
    ['an unknown status', content('Text', 'done'), 'status'],
    ['an http link', { ...content('Text'), links: [{ url: 'http://example.org/report' }] }, 'links.0.url'],
    ['a script link', { ...content('Text'), links: [{ url: 'javascript:alert(1)' }] }, 'links.0.url'],
    [
      'too many links',
      {
        ...content('Text'),
        links: Array.from({ length: 21 }, (_, i) => ({ url: `https://example.org/${i}` })),
      },
      'links',
    ],
    [
      'a blank link title',
      { ...content('Text'), links: [{ url: 'https://example.org', title: ' ' }] },
      'links.0.title',
    ],
    ['an unknown field', { ...content('Text'), published: true }, 'published'],
  ])('refuses %s with 400 naming the field', async (_, body, field) => {
    const answer = await send('POST', `/recommendations/${recommendationId}/assessments`, {
      as: 'ombudsman',
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('answers 404 for an unknown recommendation or assessment, and 400 for a malformed id', async () => {
    const unknown = randomUUID();
    expect((await send('GET', listPath(unknown))).status).toBe(404);
    const created = await send('POST', `/recommendations/${unknown}/assessments`, {
      as: 'ombudsman',
      body: content('About nothing'),
    });
    expect(created.status).toBe(404);
    expect((await send('GET', `/assessments/${unknown}`, { as: 'ombudsman' })).status).toBe(404);
    expect((await send('GET', `/assessments/not-a-uuid`)).status).toBe(400);
    expect((await send('GET', `/recommendations/not-a-uuid/assessments`)).status).toBe(400);
  });
});
