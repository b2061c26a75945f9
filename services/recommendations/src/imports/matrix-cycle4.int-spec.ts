import { ZipFile } from 'yazl';
import { contentHash, type ImportedRecommendation } from '../catalogue/merged-record';
import { startRecommendationsApp, type RecommendationsApp } from '../testing/recommendations-app';
import { uhriRow, uhriWorkbook } from '../testing/uhri-rows';

jest.setTimeout(120_000);

// No real cycle-4 matrix ships with the project: this one is laid out as OHCHR's cycle-4 matrices are
// (Recommendation and recommending State | Position of the State under review | Human rights themes
// and groups of persons | Relevant SDGs), with the State and session in the page header.

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`;
const cell = (...paragraphs: string[]) => `<w:tc>${paragraphs.map(paragraph).join('')}</w:tc>`;
const row = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;
/** A theme heading: one cell spanning the four columns. */
const heading = (text: string) =>
  `<w:tr><w:tc><w:tcPr><w:gridSpan w:val="4"/></w:tcPr>${paragraph(text)}</w:tc></w:tr>`;

const SOURCE = 'Source of position: A/HRC/59/15/Add.1 - Para. 5';
const PEACE = '- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS';

const TABLE = [
  row(
    cell('Recommendation and recommending State'),
    cell('Position of the State under review'),
    cell('Human rights themes and groups of persons'),
    cell('Relevant SDGs'),
  ),
  heading('Ratification of & accession to international instruments'),
  row(
    cell(
      '43.1 Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights (Portugal) (Spain);',
      SOURCE,
    ),
    cell('Supported'),
    cell('- Ratification of & accession to international instruments'),
    cell(PEACE),
  ),
  row(
    cell(
      '43.2 Accede to the 1961 Convention on the Reduction of Statelessness;',
      'Recommending State: Mexico',
      SOURCE,
    ),
    cell('Supported'),
    cell(
      '- Ratification of & accession to international instruments',
      'Affected persons:',
      '- Stateless persons',
    ),
    cell(PEACE),
  ),
  heading('Prohibition of torture & cruel, inhuman or degrading treatment'),
  row(
    cell(
      '43.3 Provide the national preventive mechanism against torture with sufficient resources (Denmark);',
      SOURCE,
    ),
    cell('Supported'),
    cell(
      '- Prohibition of torture & cruel, inhuman or degrading treatment',
      'Affected persons:',
      '- Persons deprived of their liberty & detainees',
    ),
    cell('- 16.3 - Promote the rule of law at the national and international levels'),
  ),
  row(
    cell(
      '43.4 Restrict military jurisdiction to offences committed by military personnel in service (Germany);',
      SOURCE,
    ),
    cell('Noted'),
    cell('- Prohibition of torture & cruel, inhuman or degrading treatment'),
    cell('- 10 - REDUCED INEQUALITIES', PEACE),
  ),
].join('');

async function cycle4Matrix(): Promise<Buffer> {
  const zip = new ZipFile();
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' +
      '</Types>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body><w:tbl>${TABLE}</w:tbl></w:body></w:document>`,
    'word/header1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="${W}">${paragraph('UPR of Chile (4th Cycle – 43rd session)')}${paragraph('Thematic list of recommendations')}</w:hdr>`,
  };
  for (const [name, content] of Object.entries(parts)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('importing a cycle-4 OHCHR matrix', () => {
  let app: RecommendationsApp;
  let bytes: Buffer;

  beforeAll(async () => {
    app = await startRecommendationsApp();
    bytes = await cycle4Matrix();
  });
  afterAll(() => app?.close());

  it('creates the four recommendations, with State, session and cycle from the page header', async () => {
    const { status, body } = await app.upload({ name: 'chile-upr43-cycle4.docx', bytes });
    expect(status).toBe(202);
    expect(body).toMatchObject({
      status: 'applied',
      format: 'upr_matrix',
      created: 4,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });

    const rows = await app.dataSource.query(
      `SELECT paragraph, document_symbol, upr_cycle, upr_session, state_under_review, position,
              recommending_states, sdg_goals, sdg_targets, cluster_headings, themes, groups, sources
         FROM recommendations ORDER BY paragraph`,
    );
    expect(rows).toHaveLength(4);
    for (const stored of rows) {
      expect(stored).toMatchObject({
        document_symbol: 'A/HRC/59/15',
        upr_cycle: 4,
        upr_session: 43,
        state_under_review: 'CHL',
        sources: ['upr_matrix'],
      });
    }
    expect(rows.map((r: { paragraph: string }) => r.paragraph)).toEqual(['43.1', '43.2', '43.3', '43.4']);
    expect(rows.map((r: { position: string }) => r.position)).toEqual([
      'supported',
      'supported',
      'supported',
      'noted',
    ]);
    expect(rows.map((r: { recommending_states: string[] }) => r.recommending_states)).toEqual([
      ['Portugal', 'Spain'],
      ['Mexico'],
      ['Denmark'],
      ['Germany'],
    ]);
    expect(rows.map((r: { sdg_goals: string[] }) => r.sdg_goals)).toEqual([
      ['16'],
      ['16'],
      ['16'],
      ['10', '16'],
    ]);
    expect(rows[2].sdg_targets).toEqual(['16.3']);
    expect(rows.map((r: { cluster_headings: string[] }) => r.cluster_headings)).toEqual([
      ['Ratification of & accession to international instruments'],
      ['Ratification of & accession to international instruments'],
      ['Prohibition of torture & cruel, inhuman or degrading treatment'],
      ['Prohibition of torture & cruel, inhuman or degrading treatment'],
    ]);
    expect(rows[0].themes).toEqual(['ratification-international-instruments']);
    expect(rows[2].groups).toEqual(['persons-deprived-of-liberty']);

    const events = await app.events();
    expect(events).toHaveLength(4);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['RecommendationCreated']));
  });

  it('finds the recommendations by cycle, State and SDG', async () => {
    const found = await app.get('/recommendations?cycle=4&state=CHL&sdg=16&position=noted');
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ paragraph: '43.4', recommendingStates: ['Germany'] });
  });

  it('changes nothing and emits nothing when the same matrix is imported again', async () => {
    const eventsBefore = (await app.events()).length;
    const { status, body } = await app.upload({ name: 'chile-upr43-cycle4.docx', bytes });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 4, rejected: 0 });
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(4);
    expect((await app.events()).length).toBe(eventsBefore);
    const report = await app.get(`/imports/${body.id}/rows?limit=10`);
    expect(report.items.map((item: { outcome: string }) => item.outcome)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('takes the publication date of the outcome report once the catalogue knows it', async () => {
    // The matrix has no date: the gap shows as an empty date until a UHRI export of the report comes.
    expect(await app.count('SELECT 1 FROM recommendations WHERE published_on IS NULL')).toBe(4);
    const uhri = await app.upload(
      await uhriWorkbook([
        uhriRow({
          Text: '43.9 Adopt a law on the rights of indigenous peoples (Peru);',
          'Countries Concerned': '- Chile',
          'Document Symbol': 'A/HRC/59/15',
          'Document Publication Date': '45757', // 2025-04-10
          'UPR Reccomending States': '- Peru',
          'UPR Session': '- 43 Session',
          'OHCHR Annotation Id': '7c1e2a3b-0000-4000-8000-000000000043',
          'Regions Concerned': '- Latin American and Caribbean States',
        }),
      ]),
    );
    expect(uhri.body).toMatchObject({ status: 'applied', created: 1 });

    const { body } = await app.upload({ name: 'chile-upr43-cycle4.docx', bytes });
    expect(body).toMatchObject({ status: 'applied', created: 0, updated: 4, rejected: 0 });
    expect(
      await app.dataSource.query(
        `SELECT DISTINCT published_on::text FROM recommendations WHERE document_symbol = 'A/HRC/59/15'`,
      ),
    ).toEqual([{ published_on: '2025-04-10' }]);
    // Each snapshot's hash is that of what it stores: the dated record, not the file's undated one.
    const snapshots: { data: ImportedRecommendation; content_hash: string }[] = await app.dataSource.query(
      `SELECT s.data, s.content_hash FROM recommendation_sources s JOIN recommendations r ON r.id = s.recommendation_id
       WHERE r.document_symbol = 'A/HRC/59/15' AND s.source = 'upr_matrix'`,
    );
    expect(snapshots).toHaveLength(4);
    for (const { data, content_hash } of snapshots) {
      expect(data.publishedOn).toBe('2025-04-10');
      expect(content_hash).toBe(contentHash(data));
    }
    const found = await app.get('/recommendations?publishedFrom=2025-04-01&publishedTo=2025-04-30&state=CHL');
    expect(found.total).toBe(5);
  });
});
