import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectDelimiter, firstInvalidUtf8 } from './csv';
import { FileFormatError, readCsvRows, type SheetRow } from './index';
import { openDescriptors } from '../../testing/files';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'csv-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function write(content: string | Buffer): string {
  const file = join(dir, `file-${++counter}.csv`);
  writeFileSync(file, content);
  return file;
}

async function cells(file: string, limits = {}): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readCsvRows(file, limits)) rows.push(row.cells);
  return rows;
}

async function failure(file: string, limits = {}): Promise<FileFormatError> {
  const error = await cells(file, limits).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FileFormatError);
  return error as FileFormatError;
}

describe('readCsvRows', () => {
  it('reads UTF-8 with a BOM, quoted delimiters, escaped quotes and quoted newlines', async () => {
    const file = write(
      '\uFEFFText,Country\r\n"Ratify, soon","Slovenia"\r\n"Say ""hi""\nand more",Bogotá\r\n',
    );
    const rows: SheetRow[] = [];
    for await (const row of readCsvRows(file)) rows.push(row);
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Text', 'Country'], oversized: [] },
      { rowNumber: 2, cells: ['Ratify, soon', 'Slovenia'], oversized: [] },
      { rowNumber: 3, cells: ['Say "hi"\nand more', 'Bogotá'], oversized: [] },
    ]);
  });

  it('reads UTF-16LE and UTF-16BE with a BOM (Excel "Unicode Text" uses tabs)', async () => {
    const text = 'Text\tCountry\nČlen 1\tSlovenija\n';
    const le = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = Buffer.from(text, 'utf16le').swap16();
    const expected = [
      ['Text', 'Country'],
      ['Člen 1', 'Slovenija'],
    ];
    expect(await cells(le)).toEqual(expected);
    expect(await cells(write(Buffer.concat([Buffer.from([0xfe, 0xff]), be])))).toEqual(expected);
  });

  it('detects ; as the delimiter from the first line', async () => {
    expect(await cells(write('Text;Country\n"a;b";1,5\n'))).toEqual([
      ['Text', 'Country'],
      ['a;b', '1,5'],
    ]);
    expect(detectDelimiter('"a,b,c";x;y\nq,q,q,q')).toBe(';');
    expect(detectDelimiter('single column')).toBe(',');
  });

  it('yields empty lines and ragged rows as they are', async () => {
    expect(await cells(write('a,b\n\nc\nd,e,f\n'))).toEqual([['a', 'b'], [''], ['c'], ['d', 'e', 'f']]);
    expect(await cells(write('a\r\nb\nc\rd'))).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('rejects Latin-1 text with the offset of the first invalid byte', async () => {
    const file = write(Buffer.concat([Buffer.from('City\n'), Buffer.from('Bogot\xe1\n', 'latin1')]));
    const error = await failure(file);
    expect(error.code).toBe('encoding');
    expect(error.message).toBe(
      'The file is not UTF-8 text (invalid byte at offset 10). Save it as "CSV UTF-8" and upload it again.',
    );
  });

  it('accepts a multi-byte character split across read chunks and finds a later invalid byte', async () => {
    const prefix = 'a'.repeat(64 * 1024 - 1); // "é" straddles the 64 KiB chunk boundary
    const bad = Buffer.concat([Buffer.from(`${prefix}é\nok\n`), Buffer.from([0x80]), Buffer.from('\n')]);
    expect((await failure(write(bad))).message).toContain(`offset ${64 * 1024 + 5}`);
    const rows = await cells(write(`${prefix}é\nok\n`), { maxCellChars: 100_000 });
    expect(rows.map((row) => row.map((cell) => cell.slice(-3)))).toEqual([['aaé'], ['ok']]);
  });

  it('rejects a file cut in the middle of a character', async () => {
    const error = await failure(write(Buffer.concat([Buffer.from('ab\n'), Buffer.from('€').subarray(0, 2)])));
    expect(error.message).toContain('offset 3');
  });

  it('truncates and reports cells over maxCellChars', async () => {
    const rows: SheetRow[] = [];
    for await (const row of readCsvRows(write('short,abcdefgh\n'), { maxCellChars: 5 })) rows.push(row);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['short', 'abcde'], oversized: [1] }]);
  });

  it('turns an unterminated quote into a corrupt error with the line where the row starts', async () => {
    const file = write(`a,b\nc,d\n"never closed,x\n${'filler line\n'.repeat(200)}`);
    const error = await failure(file, { maxCellChars: 10 });
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/starting on line 3 has a quote/);
    // and without hitting the size cap, at the end of the file
    expect((await failure(write('a\n"open'))).message).toMatch(/starting on line 2 has a quote/);
  });

  it('refuses a line with more columns than Excel allows', async () => {
    expect((await failure(write(`a,b\n${','.repeat(20_000)}\n`))).message).toMatch(
      /Line 2 has more than 16,384/,
    );
  });

  it('enforces maxRows, empty files and the size limit', async () => {
    expect((await failure(write('1\n2\n3\n'), { maxRows: 2 })).code).toBe('too_many_rows');
    expect((await failure(write(''))).code).toBe('empty');
    expect((await failure(write('a,b\n'.repeat(100)), { maxFileBytes: 100 })).code).toBe('too_large');
  });

  it('rejects an Office file given as CSV', async () => {
    const error = await failure(write(Buffer.from('PK\x03\x04rest of a zip', 'latin1')));
    expect(error.code).toBe('encoding');
    expect(error.message).toMatch(/Excel or Word file/);
  });

  it('closes the file when the consumer stops early', async () => {
    const file = write('n\n'.repeat(500_000));
    for await (const row of readCsvRows(file)) {
      // Seen open first, so an empty list afterwards means closed, not "never looked at".
      expect(openDescriptors(file)).not.toEqual([]);
      if (row.rowNumber === 2) break;
    }
    expect(openDescriptors(file)).toEqual([]);
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0xc3, 0xa9, 0x62], 4], // valid
    [[0x61, 0xc0, 0x80], 1], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // truncated
    [[0xff], 0],
  ])('%j → %i', (bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});
