import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ActionStatus, decodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
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
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { ProgressReportsController } from './progress-reports.controller';
import { ProgressReportsService } from './progress-reports.service';
import { ReportPublicationService } from './report-publication';

jest.setTimeout(60_000);

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const HEALTH = 'Ministry of Health';

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
  // Spelt as another identity provider might: institutions compare ignoring case.
  'focal.interior': principal('focal-interior-1', ['focal_point'], ['ministry of interior']),
  'validator.interior': principal('validator-interior-1', ['institution_validator'], [INTERIOR]),
  'focal.health': principal('focal-health-1', ['focal_point'], [HEALTH]),
  'validator.health': principal('validator-health-1', ['institution_validator'], [HEALTH]),
};

/** Small enough that a test goes past it cheaply. */
const MAX_FILE_BYTES = 64 * 1024;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
/** A Windows program's headers (MZ stub pointing at the PE signature). */
function windowsProgram(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\x00\x00', 0x80, 'latin1');
  return bytes;
}
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Answer {
  status: number;
  body: any;
  headers: Headers;
  bytes: Buffer;
}

describe('progress reports (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;
  let evidenceDir: string;
  const recommendationId = randomUUID();

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_progress_reports');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 4 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.2')`,
      [recommendationId],
    );
    evidenceDir = await mkdtemp(join(tmpdir(), 'progress-evidence-'));
    const module = await Test.createTestingModule({
      controllers: [ProgressReportsController],
      providers: [
        ProgressReportsService,
        ReportPublicationService,
        { provide: DataSource, useValue: dataSource },
        { provide: BLOB_STORE, useValue: await LocalBlobStore.open(evidenceDir) },
        { provide: CONFIG, useValue: { EVIDENCE_MAX_BYTES: MAX_FILE_BYTES } },
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
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  async function send(
    method: string,
    path: string,
    options: { body?: unknown; raw?: Buffer; headers?: Record<string, string>; as: string },
  ): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.raw !== undefined ? { 'content-type': 'application/octet-stream' } : {}),
        'x-as': options.as,
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : options.raw,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    let body: unknown = bytes.toString('utf8');
    try {
      body = JSON.parse(body as string);
    } catch {
      // not JSON (a file)
    }
    return { status: response.status, body, headers: response.headers, bytes };
  }

  /** An action in progress, led by Justice and supported by Interior. */
  async function actionInProgress(
    status = 'in_progress',
    recommendation = recommendationId,
  ): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO actions (id, recommendation_id, title, lead_institution_id, due_at, status)
       VALUES ($1, $2, 'Train judges on the Convention', $3, now() + interval '90 days', $4)`,
      [id, recommendation, JUSTICE, status],
    );
    await dataSource.query(
      `INSERT INTO action_supporting_institutions (action_id, institution_id) VALUES ($1, $2)`,
      [id, INTERIOR],
    );
    await dataSource.query(
      `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ($1, $2)`,
      [id, recommendation],
    );
    return id;
  }

  const draft = (
    narrative = 'Two training sessions held for 40 judges.',
    percentage = 30,
    final = false,
  ) => ({
    narrative,
    percentage,
    final,
  });

  async function createReport(actionId: string, as = 'focal.justice', body = draft()): Promise<string> {
    const answer = await send('POST', `/actions/${actionId}/progress-reports`, { as, body });
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  async function envelopes(aggregateId: string): Promise<EventEnvelope[]> {
    const rows: Array<{ payload: Buffer; message_key: string }> = await dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE message_key = $1 ORDER BY seq`,
      [aggregateId],
    );
    return rows.map((row) => decodeEnvelope(row.payload, row.message_key));
  }

  async function transitions(reportId: string): Promise<string[]> {
    return (await envelopes(reportId)).map((event) => {
      if (event.payload.case !== 'progressReportTransitioned') throw new Error(event.type);
      return `${event.payload.value.transition} ${event.payload.value.status}`;
    });
  }

  const actionStatus = async (id: string) =>
    (await dataSource.query(`SELECT status, version FROM actions WHERE id = $1`, [id]))[0];

  it('walks a final report from draft through a return by each reviewer to acceptance, completing the action', async () => {
    // The only action of its recommendation, so that completing it moves the roll-up.
    const servedId = randomUUID();
    await dataSource.query(
      `INSERT INTO known_recommendations (id, document_symbol, paragraph) VALUES ($1, 'A/HRC/43/15', '121.3')`,
      [servedId],
    );
    const actionId = await actionInProgress('in_progress', servedId);
    const created = await send('POST', `/actions/${actionId}/progress-reports`, {
      as: 'focal.justice',
      body: draft('Curriculum approved; training starts in March.', 20),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/progress-reports/${created.body.id}`);
    expect(created.body).toMatchObject({ actionId, institutionId: JUSTICE, status: 'draft', percentage: 20 });
    const id = created.body.id;

    const edited = await send('PUT', `/progress-reports/${id}`, {
      as: 'focal.justice',
      headers: { 'if-match': '"1"' },
      body: draft('All 120 judges trained; evaluation attached.', 100, true),
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ final: true, percentage: 100, version: 2 });

    const step = (path: string, as: string, body?: unknown) =>
      send('POST', `/progress-reports/${id}/${path}`, { as, body });
    expect((await step('submit', 'focal.justice')).body.status).toBe('submitted');
    const returned = await step('return', 'validator.justice', { comments: 'Attach the attendance lists.' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ status: 'returned_by_validator', submittedBy: 'focal-justice-1' });
    expect((await step('submit', 'focal.justice')).status).toBe(200);
    const approved = await step('approve', 'validator.justice');
    expect(approved.body).toMatchObject({
      status: 'approved_by_validator',
      approvedBy: 'validator-justice-1',
    });
    const reviewed = await step('return', 'coordinator', { comments: 'Say how many were women.' });
    expect(reviewed.body.status).toBe('returned_by_coordinator');
    // Submitted again, it needs a fresh approval.
    expect((await step('submit', 'focal.justice')).body.approvedBy).toBeNull();
    expect((await step('approve', 'validator.justice')).status).toBe(200);
    expect((await actionStatus(actionId)).status).toBe('in_progress');
    const accepted = await step('accept', 'coordinator');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted_by_coordinator', acceptedBy: 'coordinator-1' });
    expect(Date.parse(accepted.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
    expect(accepted.body.returns).toEqual([
      expect.objectContaining({
        stage: 'validator',
        comments: 'Attach the attendance lists.',
        returnedBy: 'validator-justice-1',
      }),
      expect.objectContaining({
        stage: 'coordinator',
        comments: 'Say how many were women.',
        returnedBy: 'coordinator-1',
      }),
    ]);
    expect(await actionStatus(actionId)).toEqual({ status: 'completed', version: 2 });
    // The action's own record of it, as its commands leave one, and the recommendation's roll-up.
    const actionEvents = (await envelopes(actionId)).map((event) => event.payload);
    expect(actionEvents).toEqual([
      expect.objectContaining({
        case: 'actionTransitioned',
        value: expect.objectContaining({
          command: 'acceptReport',
          toStatus: ActionStatus.COMPLETED,
          version: 2,
        }),
      }),
      expect.objectContaining({
        case: 'actionProgressReported',
        value: expect.objectContaining({ institutionId: JUSTICE, status: ActionStatus.COMPLETED, note: '' }),
      }),
      // Last, the whole action as the transaction leaves it.
      expect.objectContaining({
        case: 'actionChanged',
        value: expect.objectContaining({
          actionId,
          leadInstitutionId: JUSTICE,
          status: ActionStatus.COMPLETED,
          version: 2,
        }),
      }),
    ]);
    const rollup = (await envelopes(servedId)).at(-1)?.payload;
    expect(rollup?.case).toBe('recommendationImplementationStatusChanged');

    expect(await transitions(id)).toEqual([
      'progress_report.drafted.v1 draft',
      'progress_report.submitted.v1 submitted',
      'progress_report.returned_by_validator.v1 returned_by_validator',
      'progress_report.submitted.v1 submitted',
      'progress_report.approved.v1 approved_by_validator',
      'progress_report.returned_by_coordinator.v1 returned_by_coordinator',
      'progress_report.submitted.v1 submitted',
      'progress_report.approved.v1 approved_by_validator',
      'progress_report.accepted.v1 accepted_by_coordinator',
    ]);
    // The platform's row triggers name who took each step.
    const audited: Array<{ actor_id: string }> = await dataSource.query(
      `SELECT DISTINCT actor_id FROM audit_record WHERE entity = 'progress_reports' AND entity_id = $1`,
      [id],
    );
    expect(audited.map((row) => row.actor_id).sort()).toEqual([
      'coordinator-1',
      'focal-justice-1',
      'validator-justice-1',
    ]);
    // Closed, and so is the action: nothing moves any more.
    expect((await step('submit', 'focal.justice')).status).toBe(409);
  });

  it('refuses steps out of turn and by the wrong party, with the workflow’s codes', async () => {
    const actionId = await actionInProgress();
    const id = await createReport(actionId);
    const approveDraft = await send('POST', `/progress-reports/${id}/approve`, { as: 'validator.justice' });
    expect(approveDraft.status).toBe(409);
    expect(approveDraft.body.errors[0].code).toBe('invalid_transition');
    await send('POST', `/progress-reports/${id}/submit`, { as: 'focal.justice' });
    // The lead's validator sees a supporting institution's report, but does not review it.
    const supporting = await createReport(actionId, 'focal.interior', draft('Module written.', 50));
    await send('POST', `/progress-reports/${supporting}/submit`, { as: 'focal.interior' });
    const leadValidator = await send('POST', `/progress-reports/${supporting}/approve`, {
      as: 'validator.justice',
    });
    expect(leadValidator.status).toBe(403);
    expect(leadValidator.body.errors[0].code).toBe('forbidden');
    expect(
      (await send('POST', `/progress-reports/${supporting}/approve`, { as: 'validator.interior' })).status,
    ).toBe(200);
    const blank = await send('POST', `/progress-reports/${id}/return`, {
      as: 'validator.justice',
      body: { comments: '   ' },
    });
    expect(blank.status).toBe(400);
    const early = await send('POST', `/progress-reports/${id}/accept`, { as: 'coordinator' });
    expect(early.status).toBe(409);
  });

  it('lets a supporting institution report, but not say the action is done', async () => {
    const actionId = await actionInProgress();
    const final = await send('POST', `/actions/${actionId}/progress-reports`, {
      as: 'focal.interior',
      body: draft('Police academy module written.', 100, true),
    });
    expect(final.status).toBe(409);
    expect(final.body.errors[0].code).toBe('final_by_lead_only');
    const id = await createReport(actionId, 'focal.interior', draft('Police academy module written.', 60));
    expect((await send('GET', `/progress-reports/${id}`, { as: 'focal.interior' })).body.institutionId).toBe(
      INTERIOR,
    );
    // The lead's people see it; the coordinator too.
    expect((await send('GET', `/progress-reports/${id}`, { as: 'validator.justice' })).status).toBe(200);
    const listed = await send('GET', `/actions/${actionId}/progress-reports`, { as: 'coordinator' });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('needs If-Match to rewrite a report (428) and refuses a stale one (412)', async () => {
    const actionId = await actionInProgress();
    const id = await createReport(actionId);
    const path = `/progress-reports/${id}`;
    expect((await send('PUT', path, { as: 'focal.justice', body: draft('Again.') })).status).toBe(428);
    const first = await send('PUT', path, {
      as: 'focal.justice',
      headers: { 'if-match': '"1"' },
      body: draft('Three sessions held.'),
    });
    expect(first.status).toBe(200);
    const stale = await send('PUT', path, {
      as: 'focal.justice',
      headers: { 'if-match': '"1"' },
      body: draft('Four sessions held.'),
    });
    expect(stale.status).toBe(412);
    const staleStep = await send('POST', `${path}/submit`, {
      as: 'focal.justice',
      headers: { 'if-match': '"1"' },
    });
    expect(staleStep.status).toBe(412);
    expect((await send('GET', path, { as: 'focal.justice' })).body).toMatchObject({
      narrative: 'Three sessions held.',
      status: 'draft',
      version: 2,
    });
  });

  it('answers 404 to another institution, for the report, its action’s list and its files', async () => {
    const actionId = await actionInProgress();
    const id = await createReport(actionId);
    for (const as of ['focal.health', 'validator.health']) {
      expect((await send('GET', `/progress-reports/${id}`, { as })).status).toBe(404);
      expect((await send('GET', `/actions/${actionId}/progress-reports`, { as })).status).toBe(404);
    }
    expect((await send('POST', `/progress-reports/${id}/submit`, { as: 'focal.health' })).status).toBe(404);
    // A supporting institution sees its own reports, not the lead's; the lead's people see all.
    const supporting = await createReport(actionId, 'focal.interior', draft('Module written.', 50));
    expect((await send('GET', `/progress-reports/${id}`, { as: 'validator.interior' })).status).toBe(404);
    const listedForSupporting = await send('GET', `/actions/${actionId}/progress-reports`, {
      as: 'focal.interior',
    });
    expect(listedForSupporting.body.items.map((item: { id: string }) => item.id)).toEqual([supporting]);
    const listedForLead = await send('GET', `/actions/${actionId}/progress-reports`, { as: 'focal.justice' });
    expect(listedForLead.body.total).toBe(2);
    expect((await send('GET', `/progress-reports/${supporting}`, { as: 'validator.justice' })).status).toBe(
      200,
    );
  });

  it('lists submitted reports across actions for the reporting institutions’ people, the coordinator all', async () => {
    // Earlier tests left reports too: each look is at the reports made here.
    const first = await actionInProgress();
    const second = await actionInProgress();
    const justiceFirst = await createReport(first);
    const interiorFirst = await createReport(first, 'focal.interior', draft('Module written.', 50));
    const justiceSecond = await createReport(second, 'focal.justice', draft('Manual printed.', 60));
    const stillDraft = await createReport(second);
    for (const [id, as] of [
      [justiceSecond, 'focal.justice'],
      [justiceFirst, 'focal.justice'],
      [interiorFirst, 'focal.interior'],
    ])
      expect((await send('POST', `/progress-reports/${id}/submit`, { as })).status).toBe(200);
    const mine = [justiceFirst, interiorFirst, justiceSecond, stillDraft];
    const listed = async (as: string, query = '?status=submitted&limit=500') => {
      const answer = await send('GET', `/progress-reports${query}`, { as });
      expect(answer.status).toBe(200);
      return answer.body as { items: { id: string; actionTitle: string; status: string }[]; total: number };
    };
    const ids = (page: { items: { id: string }[] }) =>
      page.items.map((item) => item.id).filter((id) => mine.includes(id));

    // Oldest submission first; the validator sees its own institution's, not the supporting one's.
    expect(ids(await listed('validator.justice'))).toEqual([justiceSecond, justiceFirst]);
    const justice = await listed('validator.justice');
    expect(justice.items.every((item) => item.status === 'submitted')).toBe(true);
    expect(justice.items.find((item) => item.id === justiceFirst)?.actionTitle).toBe(
      'Train judges on the Convention',
    );
    // Spelt in another case by the identity provider, the institution is still the same.
    expect(ids(await listed('focal.interior'))).toEqual([interiorFirst]);
    expect(ids(await listed('coordinator'))).toEqual([justiceSecond, justiceFirst, interiorFirst]);
    expect(ids(await listed('focal.justice', '?status=draft&limit=500'))).toEqual([stillDraft]);
    // A validator of another ministry sees none of these.
    expect(ids(await listed('validator.health'))).toEqual([]);
    expect(ids(await listed('validator.health', '?limit=500'))).toEqual([]);

    // Paged: the total counts every match, a page holds at most `limit`.
    const all = await listed('coordinator');
    const pageOne = await listed('coordinator', '?status=submitted&limit=1');
    const pageTwo = await listed('coordinator', '?status=submitted&limit=1&offset=1');
    expect(pageOne.items).toHaveLength(1);
    expect(pageOne.total).toBe(all.total);
    expect(pageTwo.items[0].id).toBe(all.items[1].id);
    expect((await listed('coordinator', `?status=submitted&offset=${all.total}`)).total).toBe(all.total);

    // A mistake is a 400.
    expect((await send('GET', '/progress-reports?status=lost', { as: 'coordinator' })).status).toBe(400);
    expect((await send('GET', '/progress-reports?limit=0', { as: 'coordinator' })).status).toBe(400);
  });

  it('refuses bad input with 400, writing nothing', async () => {
    const actionId = await actionInProgress();
    for (const body of [
      draft(' '),
      draft('ok', 101),
      draft('ok', 12.5),
      { narrative: 'ok' },
      { ...draft(), final: 'yes' },
      draft('x'.repeat(20_001)),
    ]) {
      const answer = await send('POST', `/actions/${actionId}/progress-reports`, {
        as: 'focal.justice',
        body,
      });
      expect(answer.status).toBe(400);
    }
    expect(
      (await send('GET', `/actions/${actionId}/progress-reports`, { as: 'coordinator' })).body.total,
    ).toBe(0);
    expect((await send('GET', `/progress-reports/not-a-uuid`, { as: 'coordinator' })).status).toBe(400);
  });

  it('moves no report while the action is not in progress', async () => {
    const actionId = await actionInProgress('blocked');
    const answer = await send('POST', `/actions/${actionId}/progress-reports`, {
      as: 'focal.justice',
      body: draft(),
    });
    expect(answer.status).toBe(409);
  });

  describe('evidence files', () => {
    const upload = (id: string, bytes: Buffer, name: string, as = 'focal.justice') =>
      send('POST', `/progress-reports/${id}/evidence?name=${encodeURIComponent(name)}`, { as, raw: bytes });
    const stored = async () => (await readdir(evidenceDir)).filter((name) => !name.startsWith('.'));

    it('stores a PDF and serves it as an attachment to those who may see the report', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      const answer = await upload(id, PDF, 'attendance lists.pdf');
      expect(answer.status).toBe(201);
      expect(answer.body.files).toEqual([
        expect.objectContaining({
          sha256: sha256(PDF),
          name: 'attendance lists.pdf',
          mediaType: 'application/pdf',
          size: PDF.length,
        }),
      ]);
      for (const as of ['focal.justice', 'validator.justice', 'coordinator']) {
        const download = await send('GET', `/progress-reports/${id}/evidence/${sha256(PDF)}`, { as });
        expect(download.status).toBe(200);
        expect(download.bytes.equals(PDF)).toBe(true);
        expect(download.headers.get('content-type')).toBe('application/pdf');
        expect(download.headers.get('x-content-type-options')).toBe('nosniff');
        expect(download.headers.get('content-disposition')).toMatch(
          /^attachment; filename="attendance lists.pdf"/,
        );
      }
    });

    it('tells reporting the narrative and the evidence once submitted, never a draft’s', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      expect((await upload(id, PDF, 'attendance lists.pdf')).status).toBe(201);
      expect((await send('POST', `/progress-reports/${id}/submit`, { as: 'focal.justice' })).status).toBe(
        200,
      );
      const contents = (await envelopes(id)).map((event) =>
        event.payload.case === 'progressReportTransitioned' ? event.payload.value.content : null,
      );
      expect(contents).toHaveLength(2);
      expect(contents[0]).toBeUndefined();
      expect(contents[1]).toMatchObject({
        narrative: 'Two training sessions held for 40 judges.',
        files: [
          {
            sha256: sha256(PDF),
            name: 'attendance lists.pdf',
            mediaType: 'application/pdf',
            size: BigInt(PDF.length),
          },
        ],
      });
    });

    it('refuses the download to another institution (404)', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      expect((await upload(id, PDF, 'evidence.pdf')).status).toBe(201);
      for (const as of ['focal.health', 'validator.health']) {
        const download = await send('GET', `/progress-reports/${id}/evidence/${sha256(PDF)}`, { as });
        expect(download.status).toBe(404);
        expect(download.bytes.includes(PDF)).toBe(false);
      }
    });

    it('refuses a file past the limit (413), storing nothing', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      const before = await stored();
      const big = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES)]);
      expect((await upload(id, big, 'big.pdf')).status).toBe(413);
      expect(await stored()).toEqual(before);
      expect((await send('GET', `/progress-reports/${id}`, { as: 'focal.justice' })).body.files).toEqual([]);
    });

    it('refuses a program disguised as a PDF (415), storing nothing', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      const before = await stored();
      const answer = await upload(id, windowsProgram(), 'report.pdf');
      expect(answer.status).toBe(415);
      expect(answer.body.errors[0].detected).toBe('executable');
      expect(await stored()).toEqual(before);
    });

    it('lets only the reporting institution’s focal points attach, while the report is theirs', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      // The lead's focal point sees the supporting institution's report, but does not write it.
      const supporting = await createReport(actionId, 'focal.interior', draft('Module written.', 50));
      expect((await upload(supporting, PDF, 'evidence.pdf', 'focal.justice')).status).toBe(403);
      expect((await upload(id, PDF, 'evidence.pdf', 'focal.interior')).status).toBe(404);
      await send('POST', `/progress-reports/${id}/submit`, { as: 'focal.justice' });
      expect((await upload(id, PDF, 'evidence.pdf')).status).toBe(409);
    });
  });

  describe('publication for anonymous readers', () => {
    /** An accepted (not final) report of an action in a plan, published or not. */
    async function acceptedReport(planPublished: boolean): Promise<{ actionId: string; id: string }> {
      const planId = randomUUID();
      await dataSource.query(
        `INSERT INTO plans (id, state, title, kind, period_start, period_end, published)
         VALUES ($1, 'SVN', 'UPR cycle 4', 'upr_cycle', '2025-01-01', '2029-12-31', $2)`,
        [planId, planPublished],
      );
      const actionId = await actionInProgress();
      await dataSource.query(`UPDATE actions SET plan_id = $2 WHERE id = $1`, [actionId, planId]);
      const id = await createReport(actionId);
      for (const [path, as] of [
        ['submit', 'focal.justice'],
        ['approve', 'validator.justice'],
        ['accept', 'coordinator'],
      ])
        expect((await send('POST', `/progress-reports/${id}/${path}`, { as })).status).toBe(200);
      return { actionId, id };
    }
    const publish = (id: string, as = 'coordinator', body: unknown = {}) =>
      send('POST', `/progress-reports/${id}/publish`, { as, body });

    it('refuses to publish a report the coordinator has not accepted (409), writing nothing', async () => {
      const actionId = await actionInProgress();
      const id = await createReport(actionId);
      const refused = await publish(id);
      expect(refused.status).toBe(409);
      expect(refused.body.errors[0].code).toBe('not_accepted');
      await send('POST', `/progress-reports/${id}/submit`, { as: 'focal.justice' });
      expect((await publish(id)).status).toBe(409);
      expect((await publish(randomUUID())).status).toBe(404);
      const rows = await dataSource.query(`SELECT 1 FROM progress_report_publications WHERE report_id = $1`, [
        id,
      ]);
      expect(rows).toHaveLength(0);
    });

    it('shows anonymous readers a published report of a published plan’s action, in public form only', async () => {
      const { actionId, id } = await acceptedReport(true);
      const other = await createReport(actionId, 'focal.justice', draft('Still a draft.', 40));
      const anonymous = (path: string) => send('GET', path, { as: 'nobody' });
      expect((await anonymous(`/progress-reports/${id}`)).status).toBe(404);
      expect((await anonymous(`/actions/${actionId}/progress-reports`)).body).toEqual({
        items: [],
        total: 0,
      });

      const published = await publish(id, 'coordinator', { summary: 'Judges trained in 2026.' });
      expect(published.status).toBe(200);
      expect(published.body.publication).toMatchObject({
        summary: 'Judges trained in 2026.',
        publishedBy: 'coordinator-1',
      });
      const read = await anonymous(`/progress-reports/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, actionId, narrative: 'Judges trained in 2026.', percentage: 30 });
      // No people, internal returns or evidence files for anonymous readers.
      for (const hidden of ['createdBy', 'acceptedBy', 'returns', 'files', 'status'])
        expect(read.body).not.toHaveProperty(hidden);
      const listed = await anonymous(`/actions/${actionId}/progress-reports`);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
      expect((await anonymous(`/progress-reports/${other}`)).status).toBe(404);
      // Another institution's focal point, signed in, sees the public form too; the lead's people, everything.
      expect((await send('GET', `/progress-reports/${id}`, { as: 'focal.health' })).body).toEqual(read.body);
      const lead = await send('GET', `/actions/${actionId}/progress-reports`, { as: 'focal.justice' });
      expect(lead.body.items.map((item: { id: string }) => item.id)).toEqual([id, other]);
      expect(lead.body.items[0].publication.summary).toBe('Judges trained in 2026.');

      const unpublished = await send('POST', `/progress-reports/${id}/unpublish`, { as: 'coordinator' });
      expect(unpublished.status).toBe(200);
      expect(unpublished.body.publication).toBeNull();
      expect((await anonymous(`/progress-reports/${id}`)).status).toBe(404);
    });

    it('keeps a published report hidden while its plan is not published', async () => {
      const { actionId, id } = await acceptedReport(false);
      expect((await publish(id)).status).toBe(200);
      expect((await send('GET', `/progress-reports/${id}`, { as: 'nobody' })).status).toBe(404);
      expect((await send('GET', `/actions/${actionId}/progress-reports`, { as: 'nobody' })).status).toBe(404);
      await dataSource.query(
        `UPDATE plans SET published = true WHERE id = (SELECT plan_id FROM actions WHERE id = $1)`,
        [actionId],
      );
      const read = await send('GET', `/progress-reports/${id}`, { as: 'nobody' });
      expect(read.status).toBe(200);
      expect(read.body.narrative).toBe('Two training sessions held for 40 judges.');
    });

    it('refuses a blank summary with 400', async () => {
      const { id } = await acceptedReport(true);
      for (const body of [{ summary: ' ' }, { summary: 5 }, { summary: 'ok', extra: true }])
        expect((await publish(id, 'coordinator', body)).status).toBe(400);
      const rows = await dataSource.query(`SELECT 1 FROM progress_report_publications WHERE report_id = $1`, [
        id,
      ]);
      expect(rows).toHaveLength(0);
    });
  });
});
