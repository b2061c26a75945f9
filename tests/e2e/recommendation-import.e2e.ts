import { decodeEnvelope } from '@nmirf/contracts';
import {
  awaitImport,
  http,
  observeTopics,
  repoRoot,
  Stack,
  testKafka,
  waitFor,
  withAuthorization,
} from '@nmirf/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssignedAction } from './helpers';

const SEED = join(repoRoot, 'infra', 'seed', 'slovenia');

describe('importing real UN files, through Kafka to the other services', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'import' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function upload(name: string): Promise<{ rowsRead: number } & Record<string, unknown>> {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(SEED, name))]), name);
    const response = await fetch(`${stack.url('recommendations')}/imports`, {
      method: 'POST',
      body: form,
      headers: await withAuthorization(),
    });
    expect(response.status).toBe(202);
    const queued = (await response.json()) as { id: string };
    expect(response.headers.get('location')).toBe(`/imports/${queued.id}`);
    // The worker runs it.
    return awaitImport(stack.url('recommendations'), queued.id);
  }

  it('publishes one event per real change, and the actions service can plan for what was imported', async () => {
    const kafka = testKafka(stack.env.KAFKA_BROKERS);
    const observed = await observeTopics(kafka, [stack.topic('nmirf.recommendations.recommendation.v1')]);
    const events = () => observed.messages.map((message) => decodeEnvelope(message.value, message.key));
    const count = (type: string) => events().filter((envelope) => envelope.type === type).length;
    try {
      const cycle2 = await upload('slovenia-upr20-cycle2-A_HRC_28_15.docx');
      expect(cycle2).toMatchObject({ status: 'applied', created: 163 });
      const uhri = await upload('uhri-export-sample-slovenia-c2c3.xlsx');
      expect(uhri).toMatchObject({ status: 'applied', created: 215, updated: 163, rejected: 0 });
      await waitFor('the import events on Kafka', () =>
        count('RecommendationCreated') === 378 && count('RecommendationUpdated') === 163 ? true : undefined,
      );
      // Each event is keyed by its recommendation, so one recommendation's events stay in order.
      expect(
        events().every(
          (envelope) =>
            envelope.aggregateId ===
            (envelope.payload.value as { recommendationId: string }).recommendationId,
        ),
      ).toBe(true);

      const again = await upload('uhri-export-sample-slovenia-c2c3.xlsx');
      expect(again).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 378 });
      // The three files' rows, parsed and written, in the import metrics of the worker that ran them.
      const metrics = await (await fetch(stack.process('recommendations-worker').metricsUrl)).text();
      const rows = cycle2.rowsRead + uhri.rowsRead + again.rowsRead;
      for (const phase of ['parse', 'write'])
        expect(metrics).toMatch(
          new RegExp(`^nmirf_import_rows_total\\{phase="${phase}"[^}]*\\} ${rows}$`, 'm'),
        );

      // A position edit after the re-import is the very next event: the re-import published nothing.
      const found = await http(
        'GET',
        `${stack.url('recommendations')}/recommendations?documentSymbol=A/HRC/43/15&q=enforced%20disappearance&facets=false`,
      );
      const cped = found.body.items.find((item: { paragraph: string }) => item.paragraph === '121.1');
      expect(cped).toBeDefined();
      const edited = await http(
        'PUT',
        `${stack.url('recommendations')}/recommendations/${cped.id}/position`,
        {
          position: 'supported',
          justification: 'Ratification bill adopted by the Government.',
        },
      );
      expect(edited.status).toBe(200);
      const positionEvent = await waitFor('the position event', () =>
        count('RecommendationUpdated') === 164 ? events().at(-1) : undefined,
      );
      expect(positionEvent).toMatchObject({ type: 'RecommendationUpdated', aggregateId: cped.id });
      expect(events()).toHaveLength(378 + 164);

      const action = await createAssignedAction(
        stack,
        cped.id,
        new Date(Date.now() + 30 * 86_400_000),
        'Ratify CPED',
      );
      expect(action.status).toBeDefined();
    } finally {
      await observed.stop();
    }
  });
});
