import { startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';
import { uhriRow, uhriWorkbook } from '../testing/uhri-rows';
import { TEMPLATE_COLUMNS } from './mapping/template-mapper';

jest.setTimeout(120_000);

type TemplateRow = Partial<Record<(typeof TEMPLATE_COLUMNS)[number], string>>;

/** A template CSV; each row is a regional recommendation to Slovenia unless it says otherwise. */
function templateCsv(rows: TemplateRow[], name = 'regional.csv') {
  const base: TemplateRow = {
    mechanism: 'regional',
    body: 'ECRI',
    document_symbol: 'CRI(2022)38',
    text: 'Adopt a national strategy for the inclusion of Roma.',
    state_under_review: 'Slovenia',
  };
  const lines = [
    TEMPLATE_COLUMNS.join(','),
    ...rows.map((row) =>
      TEMPLATE_COLUMNS.map((column) => `"${{ ...base, ...row }[column] ?? ''}"`).join(','),
    ),
  ];
  return { name, bytes: Buffer.from(lines.join('\r\n')) };
}

describe('files as data managers bring them', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it('refuses an import with a summary: counts per reason and the first rows of each', async () => {
    const { status, body } = await app.upload(
      templateCsv([
        { paragraph: '1' },
        { paragraph: '2', text: '' },
        { paragraph: '3', state_under_review: 'Atlantis' },
        { paragraph: '4', text: '' },
        { paragraph: '5', state_under_review: 'Utopia' },
        { paragraph: '6', text: '' },
        { paragraph: '7', text: '' },
      ]),
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'rejected', created: 1, rejected: 6 });
    expect(body.error).toEqual({
      code: 'rows_rejected',
      message: expect.stringMatching(/^6 row\(s\) were rejected, so nothing was applied\..*skipInvalid=true/),
    });
    expect(body.error.message).toContain(`/imports/${body.id}/rows?outcome=rejected`);
    expect(body.summary.message).toBe(
      'Nothing was applied: 6 of 7 rows were rejected. Correct them, or import again with skipInvalid=true to apply the other 1.',
    );
    expect(body.summary.rejections).toEqual([
      {
        reason: 'The text is empty.',
        count: 4,
        examples: [
          { rowNumber: 3, message: 'The text is empty.' },
          { rowNumber: 5, message: 'The text is empty.' },
          { rowNumber: 7, message: 'The text is empty.' },
        ],
      },
      {
        reason: 'Unknown State under review "…": give its name or ISO alpha-3 code (SVN).',
        count: 2,
        examples: [
          {
            rowNumber: 4,
            message: 'Unknown State under review "Atlantis": give its name or ISO alpha-3 code (SVN).',
          },
          {
            rowNumber: 6,
            message: 'Unknown State under review "Utopia": give its name or ISO alpha-3 code (SVN).',
          },
        ],
      },
    ]);
    // The same summary when the import is looked at later.
    expect((await app.get(`/imports/${body.id}`)).summary).toEqual(body.summary);
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
  });

  it('says nothing was applied when skipInvalid found no valid row', async () => {
    const { status, body } = await app.upload(
      templateCsv([
        { paragraph: '1', text: '' },
        { paragraph: '2', text: '' },
      ]),
      { skipInvalid: 'true' },
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'rejected', created: 0, rejected: 2 });
    expect(body.summary.message).toBe('Nothing was applied: all 2 rows were rejected.');
    expect(body.error.code).toBe('rows_rejected');
  });

  it('takes a State by its ISO code and warns about labels no filter reaches, suggesting the concept', async () => {
    const { status, body } = await app.upload(
      templateCsv([
        { paragraph: '10', state_under_review: 'SVN', themes: 'Minorities', groups_of_persons: 'Roma' },
        { paragraph: '11', state_under_review: 'SVN', groups_of_persons: 'Roma' },
      ]),
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'applied', created: 2, rejected: 0 });
    expect(body.summary.message).toBe('Applied: 2 created, 0 updated, 0 unchanged.');
    expect(body.summary.warnings).toEqual([
      expect.objectContaining({
        reason:
          'The group of persons "…" matches no group of persons of the catalogue: it is kept as a label, but no filter finds it. Did you mean "…"?',
        count: 2,
      }),
      expect.objectContaining({ count: 1, examples: [expect.objectContaining({ rowNumber: 2 })] }),
    ]);
    const rows = await app.get(`/imports/${body.id}/rows`);
    expect(rows.items[1]).toMatchObject({
      rowNumber: 3,
      outcome: 'created',
      warnings: [expect.stringContaining('Did you mean "Roma, Gypsies, Sinti & Travellers"?')],
    });
    const stored = await app.dataSource.query(
      `SELECT state_under_review, group_labels, groups FROM recommendations ORDER BY paragraph`,
    );
    expect(stored).toEqual([
      { state_under_review: 'SVN', group_labels: ['Roma'], groups: [] },
      { state_under_review: 'SVN', group_labels: ['Roma'], groups: [] },
    ]);
  });

  it('imports the hand-typed shapes of the full Index as the paragraphs meant', async () => {
    const annotation = (n: number) => `5f0e1a2b-0000-4000-8000-00000000000${n}`;
    const { status, body } = await app.upload(
      await uhriWorkbook([
        uhriRow({ Text: '109.9..1 Continue its efforts;', 'OHCHR Annotation Id': annotation(1) }),
        uhriRow({ Text: '135 1. Ratify the Convention;', 'OHCHR Annotation Id': annotation(2) }),
        uhriRow({
          Text: '<p>111. 29 Strengthen the <b>ombudsman</b>&nbsp;institution;</p>',
          'OHCHR Annotation Id': annotation(3),
          'Date of publication on UHRI': '46125.4996282407',
        }),
        uhriRow({
          Text: '4.The Committee recommends that the State party adopt a definition of torture.',
          'Reccomending Body': '- CAT',
          'Document Symbol': 'CAT/C/SVN/CO/3',
          Type: '- Concerns/Observations',
          'UPR Position': '',
          'UPR Session': '',
          'OHCHR Annotation Id': annotation(4),
        }),
      ]),
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'applied', created: 4, rejected: 0 });
    expect(
      await app.dataSource.query(
        `SELECT document_symbol, paragraph, text, indexed_on::text FROM recommendations
         WHERE annotation_id IS NOT NULL ORDER BY annotation_id`,
      ),
    ).toEqual([
      {
        document_symbol: 'A/HRC/28/15',
        paragraph: '109.9.1',
        text: 'Continue its efforts;',
        indexed_on: '2015-01-11',
      },
      {
        document_symbol: 'A/HRC/28/15',
        paragraph: '135.1',
        text: 'Ratify the Convention;',
        indexed_on: '2015-01-11',
      },
      {
        document_symbol: 'A/HRC/28/15',
        paragraph: '111.29',
        text: 'Strengthen the ombudsman institution;',
        indexed_on: '2026-04-13',
      },
      {
        document_symbol: 'CAT/C/SVN/CO/3',
        paragraph: '4',
        text: 'The Committee recommends that the State party adopt a definition of torture.',
        indexed_on: '2015-01-11',
      },
    ]);
  });

  it('rejects an ambiguous paragraph number with the row and its text', async () => {
    const { status, body } = await app.upload(
      await uhriWorkbook([
        uhriRow({
          Text: '135 1 Ratify the Convention;',
          'OHCHR Annotation Id': '6a0e1a2b-0000-4000-8000-000000000001',
        }),
      ]),
    );
    expect(status).toBe(202);
    expect(body.summary.rejections).toEqual([
      {
        reason: expect.stringMatching(/^The paragraph number "…" at the start of "…" is ambiguous/),
        count: 1,
        examples: [
          {
            rowNumber: 2,
            message:
              'The paragraph number "135 1" at the start of "135 1 Ratify the Convention;" is ambiguous: write it as the report numbers it (e.g. "135.1").',
          },
        ],
      },
    ]);
  });
});
