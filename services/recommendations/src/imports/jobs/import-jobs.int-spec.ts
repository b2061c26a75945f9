import { csvLine } from '@nmirf/platform';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startRecommendationsApp, type RecommendationsApp } from '../../testing/recommendations-app';
import { TEMPLATE_COLUMNS } from '../mapping/template-mapper';

const STATES = ['Slovenia', 'Croatia', 'Austria', 'Italy', 'Hungary', 'Slovakia', 'Czechia', 'Poland'];

/** A national plan in the template: `count` commitments from paragraph `first` on. */
function nationalPlan(count: number, { first = 1, text = 'Train police officers' } = {}) {
  const rows = Array.from({ length: count }, (_, i) => [
    'national_plan',
    'NAP-2024',
    'National Human Rights Action Plan 2024-2028',
    `7.${first + i}`,
    `${text}, measure ${first + i}, in region ${(first + i) % 13}.`,
    'commitment',
    // Several States: link detection compares a State's records with each other.
    STATES[(first + i) % STATES.length],
    '',
    '',
    '',
    'Human rights education, trainings & awareness raising',
    '',
    '16.3',
    '2024-01-15',
    'en',
    '',
  ]);
  return {
    name: 'plan.csv',
    bytes: Buffer.from([TEMPLATE_COLUMNS, ...rows].map((row) => csvLine(row)).join('')),
  };
}

/** The JSON of an answer; each test asserts its shape. */
const json = async (response: Response): Promise<any> => response.json();

async function post(app: RecommendationsApp, path: string) {
  const response = await fetch(`${app.base}${path}`, { method: 'POST' });
  return { status: response.status, location: response.headers.get('location'), body: await json(response) };
}

jest.setTimeout(60_000);

describe('imports as jobs', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  beforeEach(async () => {
    await app.linksSettled();
    await app.dataSource.query(`TRUNCATE recommendations, imports CASCADE`);
    await app.dataSource.query(`DELETE FROM outbox`);
  });

  describe('applying a preview', () => {
    it('applies the plan of a dry run without a second upload, and shows no ids that will not exist', async () => {
      const preview = await app.upload(nationalPlan(3), { dryRun: 'true' });
      expect(preview.body).toMatchObject({ status: 'previewed', phase: 'done', created: 3, rowsApplied: 0 });
      expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
      const rows = await app.get(`/imports/${preview.body.id}/rows`);
      expect(rows.items.map((row: { outcome: string; recommendationId: string | null }) => row)).toEqual(
        Array.from({ length: 3 }, () =>
          expect.objectContaining({ outcome: 'created', recommendationId: null }),
        ),
      );

      const applying = await post(app, `/imports/${preview.body.id}/apply`);
      expect(applying.status).toBe(202);
      expect(applying.location).toBe(`/imports/${applying.body.id}`);
      expect(applying.body).toMatchObject({ previewOf: preview.body.id, dryRun: false });
      await app.linksSettled();
      const applied = await app.get(`/imports/${applying.body.id}`);
      expect(applied).toMatchObject({
        status: 'applied',
        created: 3,
        rowsApplied: 3,
        sha256: preview.body.sha256,
      });
      expect(await app.count('SELECT 1 FROM recommendations')).toBe(3);
      expect((await app.events()).filter((event) => event.type === 'RecommendationCreated')).toHaveLength(3);
      // Audited: who asked for the preview to be applied, and as which import.
      expect(
        await app.count(
          `SELECT 1 FROM audit_record WHERE entity = 'imports' AND entity_id = $1 AND action = 'import.preview_applied'`,
          [preview.body.id],
        ),
      ).toBe(1);

      const again = await post(app, `/imports/${preview.body.id}/apply`);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already/);
    });

    it('answers 409 when the catalogue changed after the preview, and queues nothing', async () => {
      const preview = await app.upload(nationalPlan(2), { dryRun: 'true' });
      expect(preview.body.status).toBe('previewed');
      const other = await app.upload(nationalPlan(1, { first: 50 }));
      expect(other.body.status).toBe('applied');

      const refused = await post(app, `/imports/${preview.body.id}/apply`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/catalogue changed/);
      expect(await app.count('SELECT 1 FROM imports WHERE preview_of = $1', [preview.body.id])).toBe(0);
      expect(await app.count('SELECT 1 FROM recommendations')).toBe(1);
    });

    it('applies a preview after an import refused as a whole, which moved nothing', async () => {
      const preview = await app.upload(nationalPlan(2), { dryRun: 'true' });
      const plan = nationalPlan(2, { first: 60 });
      // The second row's type is unknown: the whole file is refused, nothing written.
      const broken = {
        ...plan,
        bytes: Buffer.from(plan.bytes.toString().replace(/commitment(?![\s\S]*commitment)/, 'promise')),
      };
      const refused = await app.upload(broken);
      expect(refused.body).toMatchObject({ status: 'rejected', created: 1, rejected: 1 });

      const applying = await post(app, `/imports/${preview.body.id}/apply`);
      expect(applying.status).toBe(202);
      await app.linksSettled();
      expect(await app.get(`/imports/${applying.body.id}`)).toMatchObject({ status: 'applied', created: 2 });
    });

    it('refuses in the worker too when the catalogue changes between the request and the job', async () => {
      const preview = await app.upload(nationalPlan(2), { dryRun: 'true' });
      app.jobs.held = true;
      const applying = await post(app, `/imports/${preview.body.id}/apply`);
      expect(applying.status).toBe(202);
      // An edit of the catalogue lands before the worker takes the job.
      await app.dataSource.transaction((manager) =>
        manager.query(`INSERT INTO recommendations (id, body, document_symbol, paragraph, text, version)
          VALUES (gen_random_uuid(), 'UPR', 'A/HRC/1/1', '1', 'x', 1)`),
      );
      app.jobs.release();
      await app.linksSettled();
      const ended = await app.get(`/imports/${applying.body.id}`);
      expect(ended).toMatchObject({
        status: 'failed',
        phase: 'failed',
        error: { code: 'catalogue_changed' },
      });
      expect(await app.count(`SELECT 1 FROM recommendations WHERE document_symbol LIKE 'National%'`)).toBe(0);
    });

    it('answers 409 for an import that is not a preview and 404 for an unknown one', async () => {
      const applied = await app.upload(nationalPlan(1));
      const refused = await post(app, `/imports/${applied.body.id}/apply`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/not a preview/);
      expect((await post(app, `/imports/00000000-0000-4000-8000-000000000000/apply`)).status).toBe(404);
    });
  });

  describe('progress', () => {
    it('shows the import queued, then its phase and rows applied while the job runs', async () => {
      app.jobs.held = true;
      const form = new FormData();
      const file = nationalPlan(6_000);
      form.append('file', new Blob([file.bytes]), file.name);
      const response = await fetch(`${app.base}/imports`, { method: 'POST', body: form });
      expect(response.status).toBe(202);
      const queued = await json(response);
      expect(queued).toMatchObject({ status: 'queued', phase: 'queued', rowsRead: 0, rowsApplied: 0 });
      expect(await app.get(`/imports/${queued.id}`)).toMatchObject({ status: 'queued', phase: 'queued' });

      const seen: { phase: string; rowsApplied: number }[] = [];
      app.jobs.release();
      for (;;) {
        const current = await app.get(`/imports/${queued.id}`);
        seen.push({ phase: current.phase, rowsApplied: current.rowsApplied });
        if (current.status === 'applied') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const applying = seen.filter((step) => step.phase === 'applying');
      expect(applying.length).toBeGreaterThan(0);
      expect(applying.some((step) => step.rowsApplied > 0 && step.rowsApplied < 6_000)).toBe(true);
      // Phases only move forward.
      const order = ['queued', 'reading', 'planning', 'applying', 'linking', 'done'];
      const indices = seen.map((step) => order.indexOf(step.phase));
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      await app.linksSettled();
      expect(await app.get(`/imports/${queued.id}`)).toMatchObject({
        phase: 'done',
        linksStatus: 'done',
        rowsApplied: 6_000,
      });
    });
  });

  it('audits the import as the person who uploaded it, not as the worker', async () => {
    const { body } = await app.upload(nationalPlan(2));
    expect(body.status).toBe('applied');
    const [{ actor }] = await app.dataSource.query(`SELECT actor FROM imports WHERE id = $1`, [body.id]);
    expect(actor).toEqual(expect.any(String));
    const applied = await app.dataSource.query(
      `SELECT actor_kind, actor_id FROM audit_record WHERE action = 'import.applied' AND entity_id = $1`,
      [body.id],
    );
    expect(applied).toEqual([{ actor_kind: 'user', actor_id: actor }]);
  });

  describe('a job run again', () => {
    it('does nothing for an import already applied: no second change, no second event', async () => {
      const first = await app.upload(nationalPlan(5));
      await app.linksSettled();
      const events = (await app.events()).length;
      await app.jobs.runImport?.run(first.body.id);
      expect(await app.get(`/imports/${first.body.id}`)).toMatchObject({
        status: 'applied',
        created: 5,
        attempts: 1,
      });
      expect((await app.events()).length).toBe(events);
    });

    it('runs an interrupted import again from the start, with a clean row report', async () => {
      app.jobs.held = true;
      const form = new FormData();
      const file = nationalPlan(3);
      form.append('file', new Blob([file.bytes]), file.name);
      const queued = await json(await fetch(`${app.base}/imports`, { method: 'POST', body: form }));
      // What a worker killed mid-import leaves: the import running, its first rows reported.
      await app.dataSource.query(
        `UPDATE imports SET status = 'running', phase = 'applying', attempts = 1, rows_read = 2, rows_applied = 2 WHERE id = $1`,
        [queued.id],
      );
      await app.dataSource.query(
        `INSERT INTO import_rows (import_id, row_number, outcome) VALUES ($1, 2, 'created'), ($1, 3, 'created')`,
        [queued.id],
      );
      app.jobs.release();
      await app.linksSettled();
      expect(await app.get(`/imports/${queued.id}`)).toMatchObject({
        status: 'applied',
        attempts: 2,
        rowsRead: 3,
        created: 3,
      });
      expect(await app.count('SELECT 1 FROM import_rows WHERE import_id = $1', [queued.id])).toBe(3);
      expect((await app.events()).filter((event) => event.type === 'RecommendationCreated')).toHaveLength(3);
    });

    it('fails an import whose file is gone from storage, saying to upload it again', async () => {
      app.jobs.held = true;
      const form = new FormData();
      const file = nationalPlan(2);
      form.append('file', new Blob([file.bytes]), file.name);
      const queued = await json(await fetch(`${app.base}/imports`, { method: 'POST', body: form }));
      await rm(join(app.importStorageDir, queued.sha256.slice(0, 2), queued.sha256));
      app.jobs.release();
      await app.linksSettled();
      expect(await app.get(`/imports/${queued.id}`)).toMatchObject({
        status: 'failed',
        phase: 'failed',
        error: { code: 'file_missing', message: expect.stringMatching(/Upload it again/) },
      });
    });

    it('gives up on an import that stopped the worker too often, applying nothing', async () => {
      app.jobs.held = true;
      const form = new FormData();
      const file = nationalPlan(2);
      form.append('file', new Blob([file.bytes]), file.name);
      const queued = await json(await fetch(`${app.base}/imports`, { method: 'POST', body: form }));
      await app.dataSource.query(`UPDATE imports SET status = 'running', attempts = 3 WHERE id = $1`, [
        queued.id,
      ]);
      app.jobs.release();
      await app.linksSettled();
      expect(await app.get(`/imports/${queued.id}`)).toMatchObject({
        status: 'failed',
        error: { code: 'gave_up' },
      });
      expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
    });
  });
});
