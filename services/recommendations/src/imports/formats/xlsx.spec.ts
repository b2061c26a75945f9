import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yazl from 'yazl';
import { FileFormatError, readXlsxRows, type SheetRow } from './index';
import { TEMP_PREFIX } from './shared-strings';
import { openDescriptors, requireSamples } from '../../testing/files';

// The real UN samples the demo seed ships (infra/seed/slovenia).
const SEED = resolve(__dirname, '../../../../../infra/seed/slovenia');

const SAMPLE = join(SEED, 'uhri-export-sample-slovenia-c2c3.xlsx');

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'xlsx-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeZip(
  name: string,
  entries: Record<string, string | Buffer>,
  compress = true,
): Promise<string> {
  const file = join(dir, name);
  const zip = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries))
    zip.addBuffer(Buffer.from(content), entry, { compress });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

/** A minimal workbook; entries are written in an order that puts the sheet before its strings. */
function workbook(sheetData: string, sharedStrings?: string): Record<string, string> {
  const rels = [`<Relationship Id="rId1" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>`];
  if (sharedStrings) {
    rels.push(`<Relationship Id="rId2" Type="${REL_TYPE}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  return {
    '[Content_Types].xml':
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    '_rels/.rels':
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>`,
    ...(sharedStrings ? { 'xl/sharedStrings.xml': `<sst xmlns="${MAIN_NS}">${sharedStrings}</sst>` } : {}),
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
    'xl/workbook.xml': `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  };
}

async function collect(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const all: SheetRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describe('readXlsxRows on the UHRI export sample', () => {
  let rows: SheetRow[];
  beforeAll(async () => {
    requireSamples(SAMPLE);
    rows = await collect(readXlsxRows(SAMPLE));
  });

  it('reads the header and all 378 data rows', () => {
    expect(rows).toHaveLength(379);
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 379 }, (_, i) => i + 1));
    expect(rows[0].cells).toEqual([
      'Text',
      'Countries Concerned',
      'Reccomending Body',
      'Document Symbol',
      'Themes',
      'Affected Persons',
      'Sdgs',
      'Document Publication Date',
      'UPR Reccomending States',
      'UPR Position',
      'Type',
      'OHCHR Annotation Id',
      'UPR Session',
      'Regions Concerned',
      'Recommending Regions',
      'Date of publication on UHRI',
    ]);
    expect(rows.every((r) => r.oversized.length === 0)).toBe(true);
  });

  it('keeps numbers as their stored text and multi-line cells intact', () => {
    expect(rows[1].cells[0]).toMatch(/^115\.1 Take further steps/);
    expect(rows[1].cells[7]).toBe('41985'); // H2, a date serial
    expect(rows[1].cells[15]).toBe('42015.5');
    const themes = rows.map((r) => r.cells[4]).find((c) => c.includes('\n'));
    expect(themes).toMatch(/^- A12 Acceptance of international norms\n- /);
  });

  it('closes the zip and removes the shared-strings spill file when the consumer stops early', async () => {
    const spillFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith(TEMP_PREFIX));
    const before = new Set(spillFiles());
    let spill: string[] = [];
    let seen = 0;
    for await (const row of readXlsxRows(SAMPLE)) {
      expect(row.rowNumber).toBe(++seen);
      spill = spillFiles().filter((f) => !before.has(f));
      expect(spill).toHaveLength(1); // the strings live on disk while rows stream
      expect(openDescriptors(SAMPLE, 'prefix').length).toBeGreaterThan(0);
      if (seen === 3) break;
    }
    expect(existsSync(join(tmpdir(), spill[0]))).toBe(false);
    expect(openDescriptors(SAMPLE, 'prefix')).toEqual([]);
    expect(openDescriptors(join(tmpdir(), TEMP_PREFIX), 'prefix')).toEqual([]);
  });

  it('cleans up as well when the consumer throws', async () => {
    const consume = async () => {
      for await (const row of readXlsxRows(SAMPLE)) if (row.rowNumber === 10) throw new Error('db down');
    };
    await expect(consume()).rejects.toThrow('db down');
    expect(openDescriptors(SAMPLE, 'prefix')).toEqual([]);
  });

  it('stops at maxRows', async () => {
    await expect(collect(readXlsxRows(SAMPLE, { maxRows: 100 }))).rejects.toMatchObject({
      code: 'too_many_rows',
    });
  });

  it('reports a truncated copy as corrupt', async () => {
    const bytes = readFileSync(SAMPLE);
    const truncated = join(dir, 'truncated.xlsx');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const error = await collect(readXlsxRows(truncated)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/damaged or incomplete/) });
  });
});

describe('readXlsxRows on generated workbooks', () => {
  it('places cells by reference, resolves every cell type and keeps row numbers', async () => {
    const file = await writeZip(
      'types.xlsx',
      workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" t="inlineStr"><is><t xml:space="preserve"> c </t></is></c></row>' +
          '<row r="3"><c r="B3" t="s"><v>0</v></c><c r="C3" t="s"><v>1</v></c><c r="D3" t="b"><v>1</v></c>' +
          '<c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><f>A1&amp;"x"</f><v>ax</v></c><c r="G3" s="1"><v>0.1</v></c></row>' +
          '<row><c t="inlineStr"><is><r><t>rich </t></r><r><t>inline</t></r></is></c><c><v>2</v></c></row>' +
          '<row r="9"/>' +
          '<row r="10"><c r="A10" t="s"><v>2</v></c><c r="B10" t="inlineStr"><is><t></t></is></c></row>',
        '<si><t>shared &amp; plain</t></si>' +
          '<si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>' +
          '<si><t>line_x000D_break and _x005F_x0041_</t></si>',
      ),
    );
    expect(await collect(readXlsxRows(file))).toEqual([
      { rowNumber: 1, cells: ['a', '', ' c '], oversized: [] },
      {
        rowNumber: 3,
        cells: ['', 'shared & plain', 'Rich text', 'TRUE', '#N/A', 'ax', '0.1'],
        oversized: [],
      },
      { rowNumber: 4, cells: ['rich inline', '2'], oversized: [] },
      { rowNumber: 9, cells: [], oversized: [] },
      { rowNumber: 10, cells: ['line\rbreak and _x0041_'], oversized: [] },
    ]);
  });

  it('truncates a 1 MiB cell, reports it as oversized and keeps memory flat', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const rowsXml = Array.from(
      { length: 48 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${big}</t></is></c><c r="B${i + 1}" t="s"><v>0</v></c><c r="C${i + 1}"><v>${i}</v></c></row>`,
    );
    // Stored, not deflated: 1 MiB of one letter would (rightly) trip the compression-ratio check.
    const file = await writeZip(
      'big-cells.xlsx',
      workbook(rowsXml.join(''), `<si><t>${big}</t></si>`),
      false,
    );
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    for await (const row of readXlsxRows(file)) {
      count++;
      expect(row.cells[0]).toHaveLength(32_767);
      expect(row.cells[1]).toHaveLength(32_767);
      expect(row.cells[2]).toBe(String(row.rowNumber - 1));
      expect(row.oversized).toEqual([0, 1]);
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(48);
    // 48 MiB of cell text went through; a reader that buffered parts would hold at least that much.
    expect(peak).toBeLessThan(40 * 1024 * 1024);
  }, 60_000);

  it('honours a smaller maxCellChars', async () => {
    const file = await writeZip(
      'small-limit.xlsx',
      workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>abcdef</t></is></c><c r="B1"><v>12</v></c></row>'),
    );
    expect(await collect(readXlsxRows(file, { maxCellChars: 4 }))).toEqual([
      { rowNumber: 1, cells: ['abcd', '12'], oversized: [0] },
    ]);
  });

  it('reads the first visible worksheet in workbook order', async () => {
    const entries = workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row>');
    entries['xl/worksheets/sheet2.xml'] = entries['xl/worksheets/sheet1.xml'].replace('first', 'hidden');
    entries['xl/_rels/workbook.xml.rels'] = entries['xl/_rels/workbook.xml.rels'].replace(
      '</Relationships>',
      `<Relationship Id="rId9" Type="${REL_TYPE}/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>`,
    );
    entries['xl/workbook.xml'] = entries['xl/workbook.xml'].replace(
      '<sheets>',
      '<sheets><sheet name="Lookup" sheetId="9" state="hidden" r:id="rId9"/>',
    );
    const file = await writeZip('two-sheets.xlsx', entries);
    expect((await collect(readXlsxRows(file)))[0].cells).toEqual(['first']);
  });

  it.each([
    [
      'no worksheet',
      { 'xl/workbook.xml': `<workbook xmlns="${MAIN_NS}"><sheets/></workbook>` },
      'no_worksheet',
    ],
    [
      'malformed XML',
      { 'xl/worksheets/sheet1.xml': `<worksheet xmlns="${MAIN_NS}"><sheetData><row>` },
      'corrupt',
    ],
    [
      'a DOCTYPE (entity bomb)',
      {
        'xl/worksheets/sheet1.xml':
          '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
          `<worksheet xmlns="${MAIN_NS}"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`,
      },
      'corrupt',
    ],
    [
      'a shared string index out of range',
      {
        'xl/worksheets/sheet1.xml': `<worksheet xmlns="${MAIN_NS}"><sheetData><row><c t="s"><v>7</v></c></row></sheetData></worksheet>`,
      },
      'corrupt',
    ],
  ])('rejects a workbook with %s', async (_, overrides, code) => {
    const file = await writeZip(`bad-${code}.xlsx`, { ...workbook(''), ...overrides });
    const error = await collect(readXlsxRows(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ code });
  });

  it('names the part and position of malformed XML', async () => {
    const file = await writeZip('malformed.xlsx', {
      ...workbook(''),
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${MAIN_NS}">\n<sheetData></sheetdata></worksheet>`,
    });
    await expect(collect(readXlsxRows(file))).rejects.toThrow(
      /part "xl\/worksheets\/sheet1\.xml" is not valid XML \(line 2, .*Unexpected close tag/,
    );
  });

  it('falls back on xl/worksheets/sheet1.xml when the workbook has no relationships', async () => {
    const { 'xl/_rels/workbook.xml.rels': _, ...entries } = workbook(
      '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
      '<si><t>found</t></si>',
    );
    entries['xl/workbook.xml'] = '<workbook/>';
    const file = await writeZip('no-rels.xlsx', entries);
    expect(await collect(readXlsxRows(file))).toEqual([{ rowNumber: 1, cells: ['found'], oversized: [] }]);
  });

  it('says so when given a Word document', async () => {
    const file = await writeZip('word.xlsx', { 'word/document.xml': '<w:document/>' });
    await expect(collect(readXlsxRows(file))).rejects.toMatchObject({
      code: 'no_worksheet',
      message: expect.stringContaining('Word document'),
    });
  });
});
