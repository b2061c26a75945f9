import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yazl from 'yazl';
import { FileFormatError, readDocxTableRows, type TableRow } from './index';
import { openDescriptors, requireSamples } from '../../testing/files';

// The real UN samples the demo seed ships (infra/seed/slovenia).
const SEED = resolve(__dirname, '../../../../../infra/seed/slovenia');

const MATRICES = SEED;
const CYCLE2 = `${MATRICES}/slovenia-upr20-cycle2-A_HRC_28_15.docx`;
const CYCLE3 = `${MATRICES}/slovenia-upr34-cycle3-A_HRC_43_15.docx`;

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const NUMBERED = /^\d+\.\d+ /;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'docx-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeDocx(name: string, body: string): Promise<string> {
  const file = join(dir, name);
  const zip = new yazl.ZipFile();
  const entries = {
    '[Content_Types].xml':
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}" xmlns:mc="${MC}"><w:body>${body}</w:body></w:document>`,
  };
  for (const [entry, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), entry);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

async function collect(rows: AsyncIterable<TableRow>): Promise<TableRow[]> {
  const all: TableRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const p = (...runs: string[]) =>
  `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>${runs.join('')}</w:p>`;
const r = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const tc = (...paragraphs: string[]) =>
  `<w:tc><w:tcPr><w:tcW w:w="100"/></w:tcPr>${paragraphs.join('')}</w:tc>`;
const tr = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;
const tbl = (...rows: string[]) => `<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>${rows.join('')}</w:tbl>`;

describe('readDocxTableRows on the UPR matrices', () => {
  beforeAll(() => requireSamples(CYCLE2, CYCLE3));

  it.each([
    [CYCLE2, 201, 163],
    [CYCLE3, 269, 215],
  ])('%s', async (file, rowCount, numbered) => {
    const rows = await collect(readDocxTableRows(file));
    expect(rows).toHaveLength(rowCount);
    expect(rows.every((row) => row.tableIndex === 0 && !row.oversized)).toBe(true);
    expect(rows.map((row) => row.rowIndex)).toEqual(rows.map((_, i) => i));

    const data = rows.filter((row) => NUMBERED.test(row.cells[0][0]));
    expect(data).toHaveLength(numbered);
    for (const row of data) {
      expect(row.cells).toHaveLength(4);
      expect(row.cells[0].length).toBeGreaterThanOrEqual(2);
      expect(row.cells[0][1]).toMatch(/^Source of position/i); // cycle 3 writes "Position"
    }
    // Cluster headings are single merged cells.
    const headings = rows.filter((row) => row.cells.length === 1);
    expect(headings.length).toBeGreaterThan(0);
    expect(headings[0].cells[0][0]).toMatch(/^Theme: /);
  });

  it('releases the file when the consumer stops early', async () => {
    for await (const row of readDocxTableRows(CYCLE2)) {
      // Seen open first, so an empty list afterwards means released, not "never looked at".
      expect(openDescriptors(CYCLE2)).not.toEqual([]);
      if (row.rowIndex === 5) break;
    }
    expect(openDescriptors(CYCLE2)).toEqual([]);
  });
});

describe('readDocxTableRows on generated documents', () => {
  it('splits cells into paragraphs and handles tabs, breaks, merges, revisions and nested tables', async () => {
    const file = await writeDocx(
      'features.docx',
      p(r('Intro paragraph, not in a table')) +
        tbl(
          tr(`<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>${p(r('Theme: '), r('A12'))}</w:tc>`),
          tr(
            tc(
              p(r('1.1 Ratify'), '<w:r><w:tab/><w:t>(Chile)</w:t><w:br/><w:t>next</w:t></w:r>'),
              p(
                r('Kept'),
                `<w:del w:id="1" w:author="A"><w:r><w:delText>Deleted</w:delText></w:r></w:del>`,
                `<w:ins w:id="2" w:author="A"><w:r><w:t> inserted</w:t></w:r></w:ins>`,
              ),
            ),
            tc(p(r('outer')), tbl(tr(tc(p(r('nested 1'))), tc(p(r('nested 2'))))), p(r('after'))),
          ),
          tr(
            tc(
              p(
                `<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>choice</w:t></w:r></mc:Choice>` +
                  `<mc:Fallback><w:r><w:t>fallback</w:t></w:r></mc:Fallback></mc:AlternateContent>`,
              ),
            ),
            tc(p()),
          ),
        ) +
        p(r('Between tables')) +
        tbl(tr(tc(p(r('second table'))))),
    );
    expect(await collect(readDocxTableRows(file))).toEqual([
      { tableIndex: 0, rowIndex: 0, cells: [['Theme: A12']], oversized: false },
      {
        tableIndex: 0,
        rowIndex: 1,
        cells: [
          ['1.1 Ratify\t(Chile)\nnext', 'Kept inserted'],
          ['outer', 'nested 1', 'nested 2', 'after'],
        ],
        oversized: false,
      },
      { tableIndex: 0, rowIndex: 2, cells: [['choice'], ['']], oversized: false },
      { tableIndex: 1, rowIndex: 0, cells: [['second table']], oversized: false },
    ]);
  });

  it('truncates a cell over maxCellChars and flags the row', async () => {
    const file = await writeDocx(
      'big.docx',
      tbl(tr(tc(p(r('x'.repeat(50))), p(r('y'.repeat(50)))), tc(p(r('ok'))))),
    );
    const [row] = await collect(readDocxTableRows(file, { maxCellChars: 60 }));
    expect(row.oversized).toBe(true);
    expect(row.cells[0]).toEqual(['x'.repeat(50), 'y'.repeat(9)]);
    expect(row.cells[1]).toEqual(['ok']);
  });

  it('throws no_table for a document without a table', async () => {
    const file = await writeDocx('no-table.docx', p(r('Just prose.')));
    const error = await collect(readDocxTableRows(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toMatchObject({ code: 'no_table', message: expect.stringContaining('no table') });
  });

  it('stops at maxRows', async () => {
    const file = await writeDocx('rows.docx', tbl(tr(tc(p(r('1')))), tr(tc(p(r('2')))), tr(tc(p(r('3'))))));
    await expect(collect(readDocxTableRows(file, { maxRows: 2 }))).rejects.toMatchObject({
      code: 'too_many_rows',
    });
  });

  it('reports malformed XML with the part name', async () => {
    const file = await writeDocx('broken.docx', `${tbl(tr(tc(p(r('a')))))}<w:p>`);
    await expect(collect(readDocxTableRows(file))).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringContaining('"word/document.xml"'),
    });
  });
});
