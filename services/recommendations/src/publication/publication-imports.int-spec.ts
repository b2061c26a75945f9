import { decodeEnvelope } from '@nmirf/contracts';
import { http } from '@nmirf/testing';
import {
  MATRIX_CYCLE3,
  startRecommendationsApp,
  UHRI_SAMPLE,
  type RecommendationsApp,
} from '../testing/recommendations-app';

jest.setTimeout(120_000);

describe('imports and publication', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it('imports unpublished, and a later import keeps the coordinator’s publication and says so in its events', async () => {
    expect((await app.upload(MATRIX_CYCLE3)).body.status).toBe('applied');
    expect(await app.count(`SELECT 1 FROM recommendations WHERE published`)).toBe(0);
    const bulk = await http('POST', `${app.base}/recommendations/publication`, {
      published: true,
      documentSymbol: ['A/HRC/43/15'],
    });
    expect(bulk.status).toBe(200);
    const cycle3 = bulk.body.changed as number;
    expect(cycle3).toBeGreaterThan(100);
    const [{ seq }] = await app.dataSource.query(`SELECT coalesce(max(seq), 0)::int AS seq FROM outbox`);

    // The UHRI export carries cycle 3 again (and cycle 2): it updates the matrix's recommendations.
    expect((await app.upload(UHRI_SAMPLE)).body.status).toBe('applied');
    expect(await app.count(`SELECT 1 FROM recommendations WHERE published`)).toBe(cycle3);
    expect(await app.count(`SELECT 1 FROM recommendations WHERE NOT published`)).toBeGreaterThan(0);
    const rows: { payload: Buffer; message_key: string }[] = await app.dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE seq > $1 ORDER BY seq`,
      [seq],
    );
    const published = new Set(
      (await app.dataSource.query(`SELECT id FROM recommendations WHERE published`)).map(
        (row: { id: string }) => row.id,
      ),
    );
    const events = rows.map((row) => decodeEnvelope(row.payload, row.message_key).payload);
    const updated = events.flatMap((event) => (event.case === 'recommendationUpdated' ? [event.value] : []));
    expect(updated.length).toBeGreaterThan(0);
    for (const event of updated)
      expect({ id: event.recommendationId, published: event.published }).toEqual({
        id: event.recommendationId,
        published: published.has(event.recommendationId),
      });
    expect(updated.some((event) => event.published)).toBe(true);
    for (const event of events)
      if (event.case === 'recommendationCreated') expect(event.value.published).toBe(false);
  });
});
