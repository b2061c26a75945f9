import { decodeEnvelope } from '@nmirf/contracts';
import { csvLine } from '@nmirf/platform';
import {
  awaitImport,
  http,
  observeTopics,
  sleep,
  Stack,
  testKafka,
  waitFor,
  withAuthorization,
} from '@nmirf/testing';
import { readFile } from 'node:fs/promises';
import { Client } from 'pg';

jest.setTimeout(600_000);

/** Long enough that the worker is still applying it when it is killed, short enough for CI. */
const ROWS = 15_000;

/** A national plan in the template's columns: one commitment per row, each its own paragraph and text. */
async function nationalPlan(stack: Stack): Promise<Buffer> {
  const template = await fetch(`${stack.url('recommendations')}/imports/template?format=csv`);
  const [header] = (await template.text()).split(/\r?\n/);
  const lines = [`${header}\r\n`];
  for (let i = 1; i <= ROWS; i += 1) {
    const chapter = Math.ceil(i / 100);
    lines.push(
      csvLine([
        'national_plan',
        'NAP-2024',
        'National Human Rights Action Plan 2024-2028',
        `${chapter}.${i - (chapter - 1) * 100}`,
        `Measure ${i}: train the staff of regional office ${i % 97} on complaint number ${i * 7} by ${2025 + (i % 4)}.`,
        'commitment',
        'Slovenia',
        '',
        '',
        '',
        'Human rights education, trainings & awareness raising',
        '',
        '16.3',
        '2024-01-15',
        'en',
        '',
      ]),
    );
  }
  return Buffer.from(lines.join(''));
}

describe('the recommendations worker killed in the middle of an import', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'import-crash' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const count = async (sql: string): Promise<number> => Number((await db.query(sql)).rows[0].n);

  it('finishes the import once after a kill -9 and restart: every record, every event, once', async () => {
    const kafka = testKafka(stack.env.KAFKA_BROKERS);
    const observed = await observeTopics(kafka, [stack.topic('nmirf.recommendations.recommendation.v1')]);
    try {
      const form = new FormData();
      form.append('file', new Blob([await nationalPlan(stack)]), 'national-plan.csv');
      const response = await fetch(`${stack.url('recommendations')}/imports`, {
        method: 'POST',
        body: form,
        headers: await withAuthorization(),
      });
      expect(response.status).toBe(202);
      const queued = (await response.json()) as { id: string; status: string; phase: string };
      // Queued, unless the worker took the job before the answer was written.
      expect(['queued', 'running']).toContain(queued.status);
      expect(response.headers.get('location')).toBe(`/imports/${queued.id}`);

      // Progress shows while the job runs: kill the worker once it is applying.
      const progress = await waitFor(
        'the import to be applying rows',
        async () => {
          const { body } = await http('GET', `${stack.url('recommendations')}/imports/${queued.id}`);
          return body.phase === 'applying' && body.rowsApplied > 0 ? body : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 50 },
      );
      expect(progress).toMatchObject({ status: 'running' });
      expect(progress.rowsApplied).toBeLessThan(ROWS);
      expect(progress.rowsRead).toBeGreaterThanOrEqual(progress.rowsApplied);
      const worker = stack.process('recommendations-worker');
      expect(await worker.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });

      // Half an import is never applied: the interrupted run's rows died with its transaction.
      expect(await count(`SELECT count(*) AS n FROM recommendations.recommendations`)).toBe(0);
      const { body: interrupted } = await http('GET', `${stack.url('recommendations')}/imports/${queued.id}`);
      expect(interrupted).toMatchObject({ status: 'running', created: expect.any(Number) });
      await sleep(1_000);
      const starts = async () =>
        (await readFile(worker.logFile, 'utf8')).split('\n').filter((line) => line.includes('worker started'))
          .length;
      const startsBefore = await starts();
      worker.start();
      await waitFor('the worker to start again', async () => (await starts()) > startsBefore, {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      // The job's lock lapses and the new worker's stall check hands the import back: within about
      // 2 × IMPORT_LOCK_MS (5 s here) of the worker being up. BullMQ's defaults take 30 s or more.
      const up = performance.now();
      await waitFor(
        'the import to run a second time',
        async () =>
          (await http('GET', `${stack.url('recommendations')}/imports/${queued.id}`)).body.attempts === 2,
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      console.log(
        `the import ran again ${((performance.now() - up) / 1000).toFixed(1)} s after the worker was up`,
      );

      const done = await awaitImport(stack.url('recommendations'), queued.id, { timeoutMs: 300_000 });
      expect(done).toMatchObject({
        status: 'applied',
        phase: expect.stringMatching(/^(linking|done)$/),
        rowsRead: ROWS,
        rowsApplied: ROWS,
        created: ROWS,
        updated: 0,
        rejected: 0,
        error: null,
      });
      expect(done.attempts).toBe(2);

      expect(await count(`SELECT count(*) AS n FROM recommendations.recommendations`)).toBe(ROWS);
      expect(
        await count(
          `SELECT count(DISTINCT paragraph) AS n FROM recommendations.recommendations WHERE document_symbol = 'National Human Rights Action Plan 2024-2028'`,
        ),
      ).toBe(ROWS);
      // The row report is the finished run's, once per row.
      expect(
        await count(
          `SELECT count(*) AS n FROM recommendations.import_rows WHERE import_id = '${queued.id}' AND outcome = 'created'`,
        ),
      ).toBe(ROWS);
      // One event per record in the outbox, and each reaches Kafka.
      expect(
        await count(
          `SELECT count(*) AS n FROM recommendations.outbox WHERE event_type = 'RecommendationCreated'`,
        ),
      ).toBe(ROWS);
      expect(
        await count(
          `SELECT count(DISTINCT message_key) AS n FROM recommendations.outbox WHERE event_type = 'RecommendationCreated'`,
        ),
      ).toBe(ROWS);
      const published = await waitFor(
        'every creation event on Kafka',
        () => {
          const ids = new Set(
            observed.messages
              .map((message) => decodeEnvelope(message.value, message.key))
              .filter((envelope) => envelope.type === 'RecommendationCreated')
              .map((envelope) => envelope.aggregateId),
          );
          return ids.size >= ROWS ? ids : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 1_000 },
      );
      expect(published.size).toBe(ROWS);
    } finally {
      await observed.stop();
    }
  });
});
