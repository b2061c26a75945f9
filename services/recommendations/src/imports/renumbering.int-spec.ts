import { startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';
import { uhriRow, uhriWorkbook } from '../testing/uhri-rows';

jest.setTimeout(120_000);

const FIRST = '0786354d-b83e-5c8a-8f93-8099f9106146';
const SECOND = '9b2e6f1c-0d4a-5b7e-8c3f-1a2b3c4d5e6f';

describe('a re-import that renumbers a paragraph', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it('moves a recommendation to 115.4 and creates the new 115.3 of the same file', async () => {
    const first = await app.upload(await uhriWorkbook([uhriRow()]));
    expect(first.body).toMatchObject({ status: 'applied', created: 1 });

    // OHCHR corrected the numbering: the annotation was 115.4 all along, and 115.3 is another one.
    const corrected = await app.upload(
      await uhriWorkbook([
        uhriRow({ Text: '115.4 Ratify the Optional Protocol to the CRC on a communications procedure;' }),
        uhriRow({
          Text: '115.3 Ratify the International Convention on the Protection of the Rights of All Migrant Workers (Egypt);',
          'OHCHR Annotation Id': SECOND,
          'UPR Reccomending States': '- Egypt',
        }),
      ]),
    );
    expect(corrected.status).toBe(202);
    expect(corrected.body).toMatchObject({ status: 'applied', created: 1, updated: 1, rejected: 0 });
    expect(
      await app.dataSource.query(
        `SELECT paragraph, annotation_id::text FROM recommendations ORDER BY paragraph`,
      ),
    ).toEqual([
      { paragraph: '115.3', annotation_id: SECOND },
      { paragraph: '115.4', annotation_id: FIRST },
    ]);
  });
});
