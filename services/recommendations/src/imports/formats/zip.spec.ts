import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yazl from 'yazl';
import { FileFormatError, readDocxTableRows, readXlsxRows, sniffFormat } from './index';
import { requireSamples } from '../../testing/files';

// The real UN samples the demo seed ships (infra/seed/slovenia).
const SEED = resolve(__dirname, '../../../../../infra/seed/slovenia');

const XLSX_SAMPLE = join(SEED, 'uhri-export-sample-slovenia-c2c3.xlsx');
const DOCX_SAMPLE = join(SEED, 'slovenia-upr20-cycle2-A_HRC_28_15.docx');

const MiB = 1024 * 1024;
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'zip-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeZip(
  name: string,
  entries: Record<string, string | Buffer | (() => Readable)>,
): Promise<string> {
  const file = join(dir, name);
  const zip = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries)) {
    if (typeof content === 'function') zip.addReadStream(content(), entry);
    else zip.addBuffer(Buffer.from(content), entry);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

function writeBytes(name: string, bytes: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Zeros produced lazily, so the test never holds the 300 MB. */
function zeros(total: number): Readable {
  const chunk = Buffer.alloc(MiB);
  let left = total;
  return new Readable({
    read() {
      const size = Math.min(chunk.length, left);
      left -= size;
      this.push(size > 0 ? chunk.subarray(0, size) : null);
    },
  });
}

/** A compound file whose first directory sector names the given streams. */
function oleFile(...streams: string[]): Buffer {
  const bytes = Buffer.alloc(4096);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(bytes, 0);
  bytes.writeUInt16LE(9, 30); // 512-byte sectors
  bytes.writeUInt32LE(0, 48); // directory starts in sector 0, right after the header
  streams.forEach((name, i) => Buffer.from(name, 'utf16le').copy(bytes, 512 + i * 128));
  return bytes;
}

const docx = (body: string) => ({
  'word/document.xml': `<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
});

async function failure(run: () => AsyncIterable<unknown>): Promise<FileFormatError> {
  const error = await (async () => {
    for await (const _ of run()) {
      // drain
    }
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

describe('zip safety', () => {
  it('rejects a zip bomb from its declared sizes, before inflating', async () => {
    const file = await writeZip('bomb.docx', {
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': () => zeros(300 * 1000 * 1000),
    });
    const started = Date.now();
    const error = await failure(() => readDocxTableRows(file));
    expect(error.code).toBe('zip_bomb');
    expect(error.message).toMatch(/part "word\/document\.xml" would inflate \d+×/);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 20_000);

  it('rejects an entry that inflates to more than its header declares', async () => {
    const text = `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>${randomBytes(96 * 1024).toString('hex')}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`;
    const bytes = readFileSync(await writeZip('liar.docx', docx(text)));
    const central = bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
    bytes.writeUInt32LE(1000, central + 24); // uncompressed size in the central directory
    const error = await failure(() => readDocxTableRows(writeBytes('liar-patched.docx', bytes)));
    expect(error.code).toBe('zip_bomb');
    expect(error.message).toMatch(/more than its header declares/);
  });

  it('counts the total uncompressed size against maxUncompressedBytes', async () => {
    const file = await writeZip(
      'plain.docx',
      docx(`<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>${'<w:p/>'.repeat(5000)}`),
    );
    expect((await failure(() => readDocxTableRows(file, { maxUncompressedBytes: 10_000 }))).code).toBe(
      'zip_bomb',
    );
  });

  it('recognises password-protected and legacy Office files', async () => {
    const encrypted = writeBytes('secret.xlsx', oleFile('Root Entry', 'EncryptionInfo', 'EncryptedPackage'));
    const xls = writeBytes('old.xls', oleFile('Root Entry', 'Workbook'));
    const doc = writeBytes('old.doc', oleFile('Root Entry', 'WordDocument'));
    expect(await failure(() => readXlsxRows(encrypted))).toMatchObject({
      code: 'encrypted',
      message: expect.stringContaining('password-protected'),
    });
    expect(await failure(() => readXlsxRows(xls))).toMatchObject({
      code: 'legacy_format',
      message: expect.stringContaining('Excel 97–2003 .xls'),
    });
    expect(await failure(() => readDocxTableRows(doc))).toMatchObject({
      code: 'legacy_format',
      message: expect.stringContaining('save it as .docx'),
    });
    await expect(sniffFormat(encrypted)).rejects.toMatchObject({ code: 'encrypted' });
  });

  it('rejects random bytes, damaged zips, empty and oversized files', async () => {
    const random = writeBytes('random.xlsx', randomBytes(10_000));
    expect((await failure(() => readXlsxRows(random))).code).toBe('not_a_zip');
    const pdf = writeBytes('report.docx', Buffer.from('%PDF-1.7\n...'));
    expect(await failure(() => readDocxTableRows(pdf))).toMatchObject({
      message: expect.stringMatching(/a PDF/),
    });

    const zipLike = writeBytes(
      'damaged.xlsx',
      Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(5000)]),
    );
    expect(await failure(() => readXlsxRows(zipLike))).toMatchObject({
      code: 'corrupt',
      message: expect.stringContaining('damaged or incomplete'),
    });

    expect((await failure(() => readXlsxRows(writeBytes('empty.xlsx', Buffer.alloc(0))))).code).toBe('empty');
    const big = await writeZip('big.docx', docx('<w:tbl/>'));
    expect(await failure(() => readDocxTableRows(big, { maxFileBytes: 100 }))).toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/more than the 100 bytes allowed/),
    });
  });
});

describe('sniffFormat', () => {
  it('recognises the real samples by content, whatever their name', async () => {
    requireSamples(XLSX_SAMPLE, DOCX_SAMPLE);
    const renamed = join(dir, 'export.bin');
    writeFileSync(renamed, readFileSync(XLSX_SAMPLE));
    expect(await sniffFormat(renamed)).toBe('xlsx');
    expect(await sniffFormat(DOCX_SAMPLE)).toBe('docx');
  });

  it('falls back on the main part when [Content_Types].xml says nothing', async () => {
    expect(await sniffFormat(await writeZip('bare.zip', { 'xl/workbook.xml': '<workbook/>' }))).toBe('xlsx');
    expect(await sniffFormat(await writeZip('bare-doc.zip', docx('')))).toBe('docx');
    expect(await sniffFormat(await writeZip('other.zip', { 'readme.txt': 'hello' }))).toBe('unknown');
  });

  it('tells text from binary', async () => {
    expect(await sniffFormat(writeBytes('a.csv', Buffer.from('Text;Country\nx;y\n')))).toBe('csv');
    expect(await sniffFormat(writeBytes('latin1.csv', Buffer.from('City\nBogot\xe1\n', 'latin1')))).toBe(
      'csv',
    );
    expect(await sniffFormat(writeBytes('utf16.csv', Buffer.from([0xff, 0xfe, 0x41, 0x00])))).toBe('csv');
    expect(await sniffFormat(writeBytes('table.xls', Buffer.from('<html><table></table></html>')))).toBe(
      'unknown',
    );
    expect(await sniffFormat(writeBytes('noise.bin', randomBytes(4096)))).toBe('unknown');
    await expect(sniffFormat(writeBytes('none.csv', Buffer.alloc(0)))).rejects.toMatchObject({
      code: 'empty',
    });
  });
});
