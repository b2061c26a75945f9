import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { xlsxBuffer } from '../export/xlsx-writer';
import {
  startRecommendationsApp,
  UHRI_SAMPLE,
  type RecommendationsApp,
} from '../testing/recommendations-app';
import { TEMPLATE_COLUMNS } from './mapping/template-mapper';
import { UHRI_EXPORT_HEADERS } from './mapping/uhri-mapper';

jest.setTimeout(120_000);

async function zip(entries: Record<string, string | Readable>): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    if (typeof content === 'string') file.addBuffer(Buffer.from(content), name);
    else file.addReadStream(content, name);
  }
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function zeros(bytes: number): Readable {
  const block = Buffer.alloc(1024 * 1024);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      left -= block.length;
      this.push(block);
    },
  });
}

const templateText = (rows: string[][]) =>
  [TEMPLATE_COLUMNS.join(','), ...rows.map((row) => row.map((cell) => `"${cell}"`).join(','))].join('\r\n');
const templateCsv = (rows: string[][]) => Buffer.from(templateText(rows));
const pledge = (
  paragraph: string,
  text = 'Ratify the Optional Protocol to the Convention against Torture.',
) => [
  'voluntary_pledge',
  'HR75',
  'Human Rights 75 pledges',
  paragraph,
  text,
  'pledge',
  'Slovenia',
  '',
  '',
  '',
  '',
  '',
  '16',
  '2023-12-12',
  'en',
  '',
];

describe('bad input', () => {
  let app: RecommendationsApp;
  let small: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
    small = await startRecommendationsApp({ IMPORT_MAX_BYTES: 1024 * 1024 });
  });
  afterAll(async () => {
    await app?.close();
    await small?.close();
  });

  async function expectRefused(
    file: { name: string; bytes: Buffer },
    code: string,
    message: RegExp,
    fields?: Record<string, string>,
  ) {
    const { status, body } = await app.upload(file, fields);
    // Accepted for the worker, which then refuses it.
    expect({ status, message: body.error?.message }).toEqual({
      status: 202,
      message: expect.stringMatching(message),
    });
    const imported = await app.get(`/imports?limit=1`);
    expect(imported.items[0]).toMatchObject({ status: 'failed', error: { code } });
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
    expect(await app.count('SELECT 1 FROM import_rows WHERE import_id = $1', [imported.items[0].id])).toBe(0);
    expect(await app.events()).toEqual([]);
  }

  it('refuses a truncated workbook', async () => {
    const bytes = await readFile(UHRI_SAMPLE);
    await expectRefused(
      { name: 'export.xlsx', bytes: bytes.subarray(0, bytes.length / 2) },
      'corrupt',
      /corrupt|damaged|truncated|read/i,
    );
  });

  it('refuses a password-protected workbook, saying so', async () => {
    const header = Buffer.from('d0cf11e0a1b11ae1', 'hex');
    const name = Buffer.from('EncryptedPackage', 'utf16le');
    const bytes = Buffer.concat([header, Buffer.alloc(1000), name, Buffer.alloc(4000)]);
    await expectRefused({ name: 'protected.xlsx', bytes }, 'encrypted', /password/i);
  });

  it('refuses a zip bomb before inflating it', async () => {
    const bytes = await zip({
      '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      'xl/workbook.xml': '<workbook/>',
      'xl/worksheets/sheet1.xml': zeros(64 * 1024 * 1024),
    });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    await expectRefused({ name: 'bomb.xlsx', bytes }, 'zip_bomb', /compress|bomb|expand/i);
  });

  it('refuses a Word document without a matrix table', async () => {
    const bytes = await zip({
      '[Content_Types].xml':
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      'word/document.xml':
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Minutes of the meeting</w:t></w:r></w:p></w:body></w:document>',
    });
    await expectRefused({ name: 'minutes.docx', bytes }, 'no_table', /table/i);
  });

  it('refuses a spreadsheet with the wrong headers, naming the missing columns', async () => {
    const bytes = Buffer.from('Name,Ministry,Budget\r\nJustice,MoJ,100\r\n');
    await expectRefused({ name: 'budget.csv', bytes }, 'wrong_layout', /"Text".*missing|missing.*Text/);
  });

  it('refuses an empty file and a header without rows', async () => {
    await expectRefused({ name: 'empty.xlsx', bytes: Buffer.alloc(0) }, 'empty', /empty/i);
    await expectRefused(
      { name: 'header.csv', bytes: templateCsv([]) },
      'wrong_layout',
      /no recommendations/i,
    );
  });

  it('refuses text in another encoding, telling how to save it', async () => {
    const latin1 = Buffer.from(
      templateText([pledge('1', 'Garantizar la consulta previa en Bogot\u00e1.')]),
      'latin1',
    );
    await expectRefused({ name: 'latin1.csv', bytes: latin1 }, 'encoding', /UTF-8/);
  });

  it('rejects a row with a 1 MB cell and applies nothing', async () => {
    // Random text: a megabyte of one letter would be refused as a zip bomb before any row is read.
    const row = [
      `115.1 ${randomBytes(768 * 1024).toString('base64')}`,
      '- Slovenia',
      '- UPR',
      'A/HRC/28/15',
      '',
      '',
      '',
      '41985',
      '- Croatia',
      '- Supported',
      '- Recommendations',
      '0ea992e8-3a9a-5d41-b7f8-795b1bca6034',
      '- 20 Session',
      '',
      '',
      '',
    ];
    const bytes = await xlsxBuffer([UHRI_EXPORT_HEADERS, row]);
    const { status, body } = await app.upload({ name: 'huge.xlsx', bytes });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'rejected', rejected: 1, created: 0 });
    const rows = await app.get(`/imports/${body.id}/rows?outcome=rejected`);
    expect(rows.items[0].problems.join(' ')).toMatch(/32,767/);
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);
  });

  it('answers 413 for a file over the size limit, before reading it', async () => {
    const { status, body } = await small.upload({
      name: 'large.csv',
      bytes: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    expect(status).toBe(413);
    expect(body.message).toMatch(/large/i);
    expect(await small.count('SELECT 1 FROM imports')).toBe(0);
  });

  it('applies nothing when one row is invalid, unless asked to skip invalid rows', async () => {
    const bytes = templateCsv([pledge('1'), pledge('2', ''), pledge('3')]);
    const refused = await app.upload({ name: 'pledges.csv', bytes });
    expect(refused.status).toBe(202);
    expect(refused.body).toMatchObject({ status: 'rejected', created: 2, rejected: 1 });
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(0);

    const partial = await app.upload({ name: 'pledges.csv', bytes }, { skipInvalid: 'true' });
    expect(partial.body).toMatchObject({ status: 'applied', created: 2, rejected: 1 });
    const rows = await app.get(`/imports/${partial.body.id}/rows?outcome=rejected`);
    expect(rows.items).toEqual([expect.objectContaining({ rowNumber: 3, problems: ['The text is empty.'] })]);
    expect(await app.count('SELECT 1 FROM recommendations')).toBe(2);
  });

  it('answers 400 for a request without a file or with bad options', async () => {
    const form = new FormData();
    form.append('dryRun', 'true');
    const missing = await fetch(`${app.base}/imports`, { method: 'POST', body: form });
    expect(missing.status).toBe(400);
    const bad = await app.upload(
      { name: 'x.csv', bytes: Buffer.from('a') },
      { format: 'pdf', uprSession: 'x' },
    );
    expect(bad.status).toBe(400);
  });
});

describe('the template', () => {
  let app: RecommendationsApp;

  beforeAll(async () => {
    app = await startRecommendationsApp();
  });
  afterAll(() => app?.close());

  it.each(['csv', 'xlsx'])('downloads as %s and imports as it is', async (format) => {
    const response = await fetch(`${app.base}/imports/template?format=${format}`);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const { body } = await app.upload({ name: `template.${format}`, bytes });
    expect(body).toMatchObject({ status: 'applied', format: 'template', rejected: 0 });
    expect(body.created + body.unchanged).toBe(3);
    const kinds = await app.dataSource.query(
      `SELECT mechanism, type FROM recommendations ORDER BY mechanism`,
    );
    expect(kinds).toEqual([
      { mechanism: 'national_plan', type: 'commitment' },
      { mechanism: 'regional', type: 'recommendation' },
      { mechanism: 'voluntary_pledge', type: 'pledge' },
    ]);
  });
});
