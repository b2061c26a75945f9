import { deflateSync, crc32 } from 'node:zlib';
import * as yazl from 'yazl';

/** Small real files of each kind the evidence store meets, built in memory for tests. */

/** A one-page PDF with a correct cross-reference table. */
export function pdf(text = 'Progress report'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    stream(`BT /F1 12 Tf 10 50 Td (${text}) Tj ET`),
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = body.length;
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const stream = (content: string) => `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;

/** A 1×1 PNG, chunks and CRCs included. */
export function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x33, 0x66, 0x99]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JFIF JPEG: SOI, the APP0 segment, then EOI. */
export function jpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A transparent 1×1 GIF. */
export const gif = (): Buffer =>
  Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A 1×1 lossless WebP. */
export const webp = (): Buffer => Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** A zip of the given entries, in order; `stored` entries are not compressed. */
export async function zip(entries: [name: string, content: string | Buffer][], stored: string[] = []) {
  const file = new yazl.ZipFile();
  for (const [name, content] of entries) {
    file.addBuffer(Buffer.from(content), name, { compress: !stored.includes(name) });
  }
  file.end();
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
const OPC_MAIN = {
  docx: ['word/document.xml', `${OOXML}.wordprocessingml.document.main+xml`],
  xlsx: ['xl/workbook.xml', `${OOXML}.spreadsheetml.sheet.main+xml`],
  pptx: ['ppt/presentation.xml', `${OOXML}.presentationml.presentation.main+xml`],
  docm: ['word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml'],
} as const;

/** A minimal Office Open XML package: content types, package relationships and the main part. */
export function office(
  kind: keyof typeof OPC_MAIN,
  extra: [string, string | Buffer][] = [],
): Promise<Buffer> {
  const [main, contentType] = OPC_MAIN[kind];
  return zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/${main}" ContentType="${contentType}"/></Types>`,
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
        `Target="${main}"/></Relationships>`,
    ],
    [main, '<?xml version="1.0" encoding="UTF-8"?><root/>'],
    ...extra,
  ]);
}

/** A minimal OpenDocument package: `mimetype` first and uncompressed, as ODF requires. */
export function openDocument(kind: 'text' | 'spreadsheet' | 'presentation', extra: [string, string][] = []) {
  return zip(
    [
      ['mimetype', `application/vnd.oasis.opendocument.${kind}`],
      ['content.xml', '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>'],
      ['META-INF/manifest.xml', '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest/>'],
      ...extra,
    ],
    ['mimetype'],
  );
}

/** A Windows program's headers: the DOS stub pointing at the PE signature. */
export function windowsProgram(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c); // e_lfanew
  bytes.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  bytes.write('PE\x00\x00', 0x80, 'latin1');
  bytes.writeUInt16LE(0x8664, 0x84); // x86-64
  return bytes;
}

/** A 64-bit little-endian ELF header. */
export function elfProgram(): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.write('\x7fELF', 0, 'latin1');
  bytes.set([2, 1, 1], 4); // 64-bit, little-endian, version 1
  bytes.writeUInt16LE(2, 16); // executable
  bytes.writeUInt16LE(0x3e, 18); // x86-64
  return bytes;
}

/** A 64-bit Mach-O header. */
export function machOProgram(): Buffer {
  const bytes = Buffer.alloc(32);
  bytes.writeUInt32LE(0xfeedfacf, 0);
  bytes.writeUInt32LE(0x01000007, 4); // x86-64
  bytes.writeUInt32LE(2, 12); // executable
  return bytes;
}
