import { decodeEnvelope } from '@nmirf/contracts';
import { http } from '@nmirf/testing';
import { ANONYMOUS, startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';

jest.setTimeout(60_000);

describe('publishing recommendations for anonymous readers', () => {
  let app: RecommendationsApp;
  const ids: Record<string, string> = {};
  const anonymous = (path: string) => http('GET', `${app.base}${path}`, undefined, ANONYMOUS);
  const publishedFlags = async () =>
    Object.fromEntries(
      (
        (await app.dataSource.query(`SELECT id, published FROM recommendations`)) as {
          id: string;
          published: boolean;
        }[]
      ).map((row) => [row.id, row.published]),
    );

  beforeAll(async () => {
    app = await startRecommendationsApp();
    for (const [key, documentSymbol, paragraph] of [
      ['a1', 'A/HRC/43/15', '143.1'],
      ['a2', 'A/HRC/43/15', '143.2'],
      ['c1', 'CAT/C/SVN/CO/4', '12'],
    ]) {
      const created = await http('POST', `${app.base}/recommendations`, {
        body: documentSymbol.startsWith('CAT') ? 'CAT' : 'UPR',
        documentSymbol,
        paragraph,
        text: `Strengthen the independence of the ombudsperson (${key})`,
        stateUnderReview: 'SVN',
      });
      expect(created.status).toBe(201);
      expect(created.body.published).toBe(false);
      ids[key] = created.body.id;
    }
  });
  afterAll(() => app?.close());

  it('shows anonymous readers nothing until the coordinator publishes; signed-in users see everything', async () => {
    const list = await anonymous('/recommendations?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(0);
    expect(list.body.facets.body).toEqual([]);
    expect((await anonymous(`/recommendations/${ids.a1}`)).status).toBe(404);
    const csv = await anonymous('/recommendations/export');
    expect(String(csv.body).trim().split('\n')).toHaveLength(1); // the header only
    // Asking for unpublished ones does not help an anonymous reader.
    expect((await anonymous('/recommendations?published=false')).body.total).toBe(0);

    const signedIn = await http('GET', `${app.base}/recommendations?limit=100`);
    expect(signedIn.body.total).toBe(3);
    expect((await http('GET', `${app.base}/recommendations?published=false`)).body.total).toBe(3);
  });

  it('publishes one, which then appears in list, facets, export and by id', async () => {
    const put = await http('PUT', `${app.base}/recommendations/${ids.a1}/publication`, { published: true });
    expect(put.status).toBe(200);
    expect(put.body.published).toBe(true);
    const list = await anonymous('/recommendations?limit=100');
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([ids.a1]);
    expect(list.body.facets.body).toEqual([{ value: 'UPR', count: 1 }]);
    expect(list.body.facets.implementationStatus).toEqual([{ value: 'not_started', count: 1 }]);
    expect((await anonymous(`/recommendations/${ids.a1}`)).status).toBe(200);
    expect((await anonymous(`/recommendations/${ids.a2}`)).status).toBe(404);
    const csv = String((await anonymous('/recommendations/export')).body);
    expect(csv).toContain(ids.a1);
    expect(csv).not.toContain(ids.a2);
    expect(csv).not.toContain(ids.c1);
  });

  it('publishes by filter in one transaction with one audit record', async () => {
    const before = await app.count(`SELECT 1 FROM audit_record WHERE entity = 'recommendations'`);
    const bulk = await http('POST', `${app.base}/recommendations/publication`, {
      published: true,
      documentSymbol: ['A/HRC/43/15'],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ published: true, matched: 2, changed: 1 });
    const records: { action: string; new_values: { changedIds: string[] } }[] = await app.dataSource.query(
      `SELECT action, new_values FROM audit_record WHERE entity = 'recommendations' ORDER BY seq`,
    );
    expect(records.length - before).toBe(1);
    expect(records.at(-1)?.action).toBe('publication.published');
    expect(records.at(-1)?.new_values.changedIds).toEqual([ids.a2]);
    expect(await publishedFlags()).toEqual({ [ids.a1]: true, [ids.a2]: true, [ids.c1]: false });
    expect((await anonymous('/recommendations')).body.total).toBe(2);
    // One RecommendationUpdated per change, carrying the flag, for reporting's public dashboards.
    const rows: { payload: Buffer; message_key: string }[] = await app.dataSource.query(
      `SELECT payload, message_key FROM outbox WHERE event_type = 'RecommendationUpdated' ORDER BY seq`,
    );
    const updates = rows
      .map((row) => decodeEnvelope(row.payload, row.message_key).payload)
      .flatMap((payload) => (payload.case === 'recommendationUpdated' ? [payload.value] : []))
      .map(({ recommendationId, changedFields, published, version }) => ({
        recommendationId,
        changedFields,
        published,
        version,
      }));
    expect(updates).toEqual([
      { recommendationId: ids.a1, changedFields: ['published'], published: true, version: 1 },
      { recommendationId: ids.a2, changedFields: ['published'], published: true, version: 1 },
    ]);
  });

  it('unpublishes listed ids; an unknown id changes nothing (404)', async () => {
    const unknown = await http('POST', `${app.base}/recommendations/publication`, {
      published: false,
      ids: [ids.a1, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(404);
    expect((await publishedFlags())[ids.a1]).toBe(true);
    const bulk = await http('POST', `${app.base}/recommendations/publication`, {
      published: false,
      ids: [ids.a1, ids.c1],
    });
    expect(bulk.body).toMatchObject({ matched: 2, changed: 1 });
    expect((await anonymous('/recommendations')).body.items.map((item: { id: string }) => item.id)).toEqual([
      ids.a2,
    ]);
  });

  it('changes the whole catalogue only when asked with all, never by an omission', async () => {
    const publication = (body: unknown) => http('POST', `${app.base}/recommendations/publication`, body);
    expect((await publication({ published: true })).body).toMatchObject({ matched: 0, changed: 0 });
    expect((await anonymous('/recommendations')).body.total).toBe(1);
    expect((await publication({ published: true, all: true })).body).toMatchObject({
      matched: 3,
      changed: 2,
    });
    expect((await anonymous('/recommendations')).body.total).toBe(3);
    expect((await publication({ published: false, all: true })).body).toMatchObject({
      matched: 3,
      changed: 3,
    });
    expect((await anonymous('/recommendations')).body.total).toBe(0);
  });

  it('refuses bad bulk requests with 400 and changes nothing', async () => {
    const before = await publishedFlags();
    for (const body of [
      {},
      { ids: [ids.a1] },
      { published: 'yes', ids: [ids.a1] },
      { published: null, ids: [ids.a1] },
      { published: true, all: 'yes' },
      { published: true, ids: [] },
      { published: true, ids: ['not-a-uuid'] },
      { published: true, ids: {} },
      { published: true, cycle: ['three'] },
      { published: true, state: ['Atlantis'] },
      { published: true, documentSymbol: 'A/HRC/43/15' },
      { published: true, documentSymbol: [' \u00a0'] },
      { published: true, body: ['UPR', '\ufeff '] },
      { published: true, documentSymbol: ['A/HRC/43/15'], sneaky: 1 },
      { published: true, filter: {} },
    ]) {
      const response = await http('POST', `${app.base}/recommendations/publication`, body);
      expect([response.status, body]).toEqual([400, body]);
    }
    expect((await http('PUT', `${app.base}/recommendations/${ids.a1}/publication`, {})).status).toBe(400);
    expect(await publishedFlags()).toEqual(before);
  });
});
