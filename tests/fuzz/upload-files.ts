// Files no import can take: broken archives, text that is not the template, the template with one
// broken cell. Built once per run from the service's own template.
import fc from 'fast-check';
import { ZipFile } from 'yazl';
import type { Bad } from './bad-values';

export interface UploadFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

async function zip(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, content] of Object.entries(entries)) file.addBuffer(Buffer.from(content), name);
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** A CSV cell as the template writes it. */
const cell = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * The template's header and first sample row with one cell replaced: an unknown mechanism or
 * language, an impossible date, a blank required cell, a NUL.
 */
function brokenTemplateRows(template: string): Array<Bad<string>> {
  const [header, ...rows] = template.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((name) => name.replace(/"/g, ''));
  const row = rows[0] ?? '';
  const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((part) => part.replace(/,$/, '')) ?? [];
  const replace = (column: string, value: string, what: string): Bad<string> => {
    const at = columns.indexOf(column);
    const changed = cells.map((existing, index) => (index === at ? cell(value) : existing));
    return { what, value: [header, changed.join(',')].join('\r\n') };
  };
  return [
    replace('mechanism', 'parliament', 'unknown mechanism in a row'),
    replace('published_on', '2026-02-30', 'impossible date in a row'),
    replace('published_on', '+275760-09-13', 'expanded year in a row'),
    replace('language', 'xx', 'unknown language in a row'),
    replace('paragraph', '', 'blank paragraph in a row'),
    replace('text', '', 'blank text in a row'),
    replace('text', 'Ratify\u0000the convention', 'NUL in a row'),
    replace('upr_session', '9007199254740993', 'unsafe integer in a row'),
    { what: 'header only, no rows', value: header },
    { what: 'a header column missing', value: [columns.slice(1).join(','), row].join('\r\n') },
    { what: 'unbalanced quote', value: [header, `${row},"never closed`].join('\r\n') },
  ];
}

/** Broken files of every kind an import reads, and the template broken cell by cell. */
export async function brokenUploads(templateCsv: string): Promise<Array<Bad<UploadFile>>> {
  const csv = (what: string, text: string | Buffer): Bad<UploadFile> => ({
    what,
    value: { filename: 'recommendations.csv', contentType: 'text/csv', bytes: Buffer.from(text) },
  });
  const archive = async (
    what: string,
    filename: string,
    contentType: string,
    entries: Record<string, string>,
  ) => ({
    what,
    value: { filename, contentType, bytes: await zip(entries) },
  });
  const workbook = await zip({
    '[Content_Types].xml': CONTENT_TYPES,
    'xl/workbook.xml': '<workbook><sheets><sheet name="Export" r:id="rId1"/></sheets></workbook>',
    'xl/worksheets/sheet1.xml':
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
  });
  return [
    csv('empty file', ''),
    csv(
      'not UTF-8',
      Buffer.concat([
        Buffer.from(templateCsv.split('\n')[0]),
        Buffer.from([0x0a, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
      ]),
    ),
    csv('binary bytes', Buffer.from([0x00, 0x01, 0x02, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ...brokenTemplateRows(templateCsv).map(({ what, value }) => csv(what, value)),
    await archive('zip without a workbook or document', 'export.xlsx', XLSX, {
      'readme.txt': 'nothing here',
    }),
    await archive('workbook with broken XML', 'export.xlsx', XLSX, {
      '[Content_Types].xml': CONTENT_TYPES,
      'xl/workbook.xml': '<workbook><sheets><sheet name="Export"',
    }),
    await archive('document with broken XML', 'matrix.docx', DOCX, {
      '[Content_Types].xml': CONTENT_TYPES,
      'word/document.xml': '<w:document><w:body><w:tbl><w:tr>',
    }),
    {
      what: 'truncated workbook',
      value: {
        filename: 'export.xlsx',
        contentType: XLSX,
        bytes: workbook.subarray(0, Math.floor(workbook.length / 2)),
      },
    },
    {
      what: 'zip signature, then garbage',
      value: {
        filename: 'export.xlsx',
        contentType: XLSX,
        bytes: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 7)]),
      },
    },
  ];
}

/** One of the broken files, or random bytes under a name an import reads. */
export function badUpload(files: Array<Bad<UploadFile>>): fc.Arbitrary<Bad<UploadFile>> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...files) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('export.xlsx', 'matrix.docx', 'rows.csv', 'file'),
          fc.uint8Array({ minLength: 1, maxLength: 4096 }),
        )
        .map(([filename, bytes]) => ({
          what: 'random bytes',
          value: { filename, contentType: 'application/octet-stream', bytes: Buffer.from(bytes) },
        })),
    },
  );
}
