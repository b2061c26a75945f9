import { http } from '@nmirf/testing';
import { startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';

jest.setTimeout(60_000);

describe('recommendations API: malformed input gets a 4xx and changes nothing; States by name or code', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
    for (const paragraph of ['1', '2', '3']) {
      const created = await http('POST', `${app.base}/recommendations`, {
        body: 'UPR',
        documentSymbol: 'A/HRC/43/15',
        paragraph,
        text: `Ratify the Convention, paragraph ${paragraph}`,
        stateUnderReview: 'SVN',
        uprSession: 34,
      });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  async function snapshot(): Promise<string> {
    const [row] = await app.dataSource.query(
      `SELECT (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY id), '')) FROM recommendations r) AS rows,
              (SELECT count(*) FROM outbox) AS events`,
    );
    return JSON.stringify(row);
  }

  async function refused(status: number, method: string, path: string, body?: unknown) {
    const before = await snapshot();
    const answer = await http(method, `${app.base}${path}`, body);
    expect({ path, status: answer.status }).toEqual({ path, status });
    expect(await snapshot()).toBe(before);
    return answer;
  }

  const recommendation = (fields: Record<string, unknown>) => ({
    body: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph: '99',
    text: 'Adopt a law',
    ...fields,
  });

  it('accepts a State under review and recommending States by ISO alpha-3 code or name', async () => {
    const created = await http(
      'POST',
      `${app.base}/recommendations`,
      recommendation({ paragraph: '10', stateUnderReview: 'svn', recommendingStates: ['FRA', 'ukraine'] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      stateUnderReview: 'SVN',
      recommendingStates: ['France', 'Ukraine'],
    });
    const byName = await http(
      'POST',
      `${app.base}/recommendations`,
      recommendation({ paragraph: '11', stateUnderReview: 'Slovenia' }),
    );
    expect(byName.body).toMatchObject({ stateUnderReview: 'SVN' });

    const filtered = await http('GET', `${app.base}/recommendations?state=Slovenia&recommendingState=FRA`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.map((item: { paragraph: string }) => item.paragraph)).toEqual(['10']);
    expect((await http('GET', `${app.base}/links?state=slovenia`)).status).toBe(200);
    expect((await http('GET', `${app.base}/clusters/suggestions?basis=theme&state=svn`)).status).toBe(200);
    expect((await http('POST', `${app.base}/links/detect`, { state: 'Slovenia' })).status).toBe(200);

    const unknown = await refused(400, 'GET', '/recommendations?state=XYZ');
    expect(unknown.body.errors).toEqual([
      {
        field: 'state',
        messages: [
          'state must be a UN Member or observer State: its name or ISO 3166 alpha-3 code, such as SVN',
        ],
      },
    ]);
  });

  it('takes the State under review of an upload by name or code, and refuses an unknown one', async () => {
    const csv = {
      name: 'template.csv',
      bytes: Buffer.from(
        'mechanism,body,document_symbol,paragraph,text\nregional,IACHR,OEA/1,1,Adopt a law\n',
      ),
    };
    const before = await snapshot();
    const unknown = await app.upload(csv, { stateUnderReview: 'XYZ', dryRun: 'true' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((error: { field: string }) => error.field)).toEqual(['stateUnderReview']);
    expect(await app.upload(csv, { stateUnderReview: 'slovenia', dryRun: 'true' })).toMatchObject({
      status: 202,
      body: { status: 'previewed' },
    });
    expect(await snapshot()).toBe(before);
  });

  it('400 for NUL or an unpaired surrogate in any string, blank names, and nothing is stored', async () => {
    await refused(400, 'POST', '/recommendations', recommendation({ text: 'Adopt\u0000a law' }));
    await refused(
      400,
      'POST',
      '/recommendations',
      recommendation({ recommendingStates: ['France', '\ud800'] }),
    );
    await refused(400, 'POST', '/recommendations', recommendation({ documentSymbol: '  ' }));
    await refused(
      400,
      'POST',
      '/recommendations',
      recommendation({ recommendingStates: ['France\nUkraine'] }),
    );
    await refused(400, 'POST', '/clusters', { name: '\t' });
    await refused(400, 'GET', '/recommendations?q=%00');
  });

  it('400 for numbers beyond their column, or not safe integers', async () => {
    for (const query of [
      'cycle=1e20',
      'cycle=32768',
      'session=9007199254740993',
      'session=34,1e20',
      'offset=1e20',
      'limit=100000',
    ]) {
      const answer = await refused(400, 'GET', `/recommendations?${query}`);
      expect(answer.body.errors).toHaveLength(1);
    }
    await refused(400, 'POST', '/recommendations', recommendation({ uprSession: 1e20 }));
    await refused(
      400,
      'POST',
      '/recommendations',
      JSON.stringify(recommendation({})).replace(/}$/, ',"uprSession":9007199254740993}'),
    );
    const found = await http('GET', `${app.base}/recommendations?session=34&cycle=3,4&offset=0`);
    expect(found).toMatchObject({ status: 200, body: { total: 3 } });
  });

  it('400 for publication dates that are not strict ISO dates inside the window', async () => {
    for (const date of ['%2B275760-09-13', '-271821-04-20', '1900-01-01', '2026-02-30', '1', 'true']) {
      await refused(400, 'GET', `/recommendations?publishedFrom=${date}`);
      await refused(400, 'GET', `/recommendations/export?publishedTo=${date}`);
    }
    const ranged = await http(
      'GET',
      `${app.base}/recommendations?publishedFrom=2015-01-01&publishedTo=2030-12-31`,
    );
    expect(ranged.status).toBe(200);
  });

  it('exports every match, or `limit` of them from `offset`', async () => {
    const lines = async (query: string) => {
      const response = await fetch(`${app.base}/recommendations/export?documentSymbol=A/HRC/43/15&${query}`);
      expect(response.status).toBe(200);
      return (await response.text()).trim().split('\r\n').length - 1;
    };
    const all = await lines('');
    expect(all).toBeGreaterThanOrEqual(3);
    expect(await lines('limit=2')).toBe(2);
    expect(await lines(`offset=${all - 1}`)).toBe(1);
    await refused(400, 'GET', '/recommendations/export?limit=100001');
    await refused(400, 'GET', '/recommendations/export?offset=1e20');
  });
});
