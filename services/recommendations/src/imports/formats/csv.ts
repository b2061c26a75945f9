import { CsvError, Parser } from 'csv-parse';
import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { FileFormatError, type ReaderLimits, resolveLimits, tooManyRows } from './errors';
import { checkFileSize, isOle, isZip } from './file';
import type { SheetRow } from './xlsx';
import { truncate } from './xml-stream';

const CHUNK_BYTES = 64 * 1024;
/** Excel's column limit; also bounds the array a line of bare delimiters would create. */
const MAX_COLUMNS = 16_384;
const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Rows of a CSV file. UTF-8 (with or without BOM) or UTF-16 with BOM; the delimiter (, ; or tab) is
 * taken from the first line. rowNumber counts records, as Excel numbers rows when it opens the file.
 */
export async function* readCsvRows(path: string, limits?: Partial<ReaderLimits>): AsyncIterable<SheetRow> {
  const resolved = resolveLimits(limits);
  await checkFileSize(path, resolved);
  const handle = await open(path, 'r');
  let source: Readable | undefined;
  let parser: Parser | undefined;
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (isZip(head) || isOle(head)) {
      throw new FileFormatError(
        'encoding',
        'This is an Excel or Word file, not CSV text. Upload it as a spreadsheet or document, or save it as "CSV UTF-8" and upload it again.',
      );
    }
    const text = decodeFile(handle)[Symbol.asyncIterator]();
    const firstChunk = await readFirstLine(text);
    const delimiter = detectDelimiter(firstChunk);
    let lastLine = 0; // last line of the last complete record, tracked as the parser goes (not as we yield)
    parser = new Parser({
      delimiter,
      relax_column_count: true,
      relax_quotes: true, // a stray " inside an unquoted cell is kept as text
      max_record_size: resolved.maxCellChars * 64, // bounds what an unclosed quote can swallow
      bom: false, // the decoder already removed it
      skip_empty_lines: false,
      // explicit, so a file mixing CRLF, LF and CR line endings still splits on every one of them
      record_delimiter: ['\r\n', '\n', '\r'],
      on_record: (record: string[], { lines }) => {
        lastLine = lines;
        return record;
      },
    });
    source = Readable.from(guardColumns(firstChunk, text, delimiter), { objectMode: false });
    pipeline(source, parser, () => undefined); // errors surface through the iterator below

    let rowNumber = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (++rowNumber > resolved.maxRows) throw tooManyRows(resolved);
        const oversized: number[] = [];
        const cells = record.map((cell, column) => {
          if (cell.length <= resolved.maxCellChars) return cell;
          oversized.push(column);
          return truncate(cell, resolved.maxCellChars);
        });
        yield { rowNumber, cells, oversized };
      }
    } catch (err) {
      throw csvError(err, lastLine, resolved.maxCellChars * 64);
    }
  } finally {
    source?.destroy();
    parser?.destroy();
    await handle.close(); // waits for a read still in flight
  }
}

/** Decodes by BOM: UTF-16 LE/BE, else strict UTF-8 (a Latin-1/Windows-1252 export fails with its offset). */
async function* decodeFile(handle: FileHandle): AsyncGenerator<string> {
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let position = 0;
  let decoder: TextDecoder | undefined;
  let tail = Buffer.alloc(0); // bytes of a UTF-8 sequence cut by the chunk boundary
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    decoder ??= decoderFor(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw encodingError(decoder, position - tail.length + firstInvalidUtf8(Buffer.concat([tail, chunk])));
    }
    const window = chunk.length >= 3 ? chunk : Buffer.concat([tail, chunk]);
    tail = Buffer.from(window.subarray(window.length - incompleteTail(window)));
    position += bytesRead;
    if (text) yield text;
  }
  if (!decoder) return;
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw encodingError(decoder, position - tail.length);
  }
  if (rest) yield rest;
}

function decoderFor(start: Buffer): TextDecoder {
  // TextDecoder drops the byte-order mark itself.
  if (start[0] === 0xff && start[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true });
  if (start[0] === 0xfe && start[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true });
  return new TextDecoder('utf-8', { fatal: true });
}

function encodingError(decoder: TextDecoder, offset: number): FileFormatError {
  return new FileFormatError(
    'encoding',
    decoder.encoding === 'utf-8'
      ? `The file is not UTF-8 text (invalid byte at offset ${offset}). Save it as "CSV UTF-8" and upload it again.`
      : `The file starts with a UTF-16 byte-order mark but is not valid UTF-16 text (near byte offset ${offset}). Save it as "CSV UTF-8" and upload it again.`,
  );
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (WHATWG rules). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let extra: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) extra = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    if (i + extra >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= extra; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return bytes.length;
}

/** How many trailing bytes form an unfinished multi-byte sequence. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

async function readFirstLine(text: AsyncIterator<string>): Promise<string> {
  let head = '';
  while (head.length < CHUNK_BYTES && !/[\r\n]/.test(head)) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
  }
  return head;
}

/** The most frequent of , ; tab outside quotes on the first line; ties go in that order. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char]++;
  }
  return DELIMITERS.reduce((best, d) => (counts[d] > counts[best] ? d : best), DELIMITERS[0]);
}

/** Passes the text on, refusing a physical line with more than MAX_COLUMNS delimiters. */
async function* guardColumns(
  first: string,
  rest: AsyncIterator<string>,
  delimiter: string,
): AsyncGenerator<string> {
  const code = delimiter.charCodeAt(0);
  let line = 1;
  let columns = 1;
  const check = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 10) line++;
        columns = 1;
      } else if (c === code && ++columns > MAX_COLUMNS) {
        throw new FileFormatError(
          'corrupt',
          `Line ${line} has more than ${MAX_COLUMNS.toLocaleString('en')} columns. Check the file's delimiter and upload it again.`,
        );
      }
    }
  };
  if (first) {
    check(first);
    yield first;
  }
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    check(next.value);
    yield next.value;
  }
}

function csvError(err: unknown, lastLine: number, maxRecordChars: number): unknown {
  if (!(err instanceof CsvError)) return err;
  const line = typeof err.lines === 'number' ? err.lines : lastLine + 1;
  switch (err.code) {
    case 'CSV_MAX_RECORD_SIZE':
    case 'CSV_QUOTE_NOT_CLOSED':
      return new FileFormatError(
        'corrupt',
        `The row starting on line ${lastLine + 1} has a quote (") that is never closed, so the rest of the file ran into one cell` +
          (err.code === 'CSV_MAX_RECORD_SIZE'
            ? ` (or the row is longer than ${maxRecordChars.toLocaleString('en')} characters)`
            : '') +
          '. Fix the quotes on that line (inside a quoted cell, write "" for a quote) and upload it again.',
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new FileFormatError(
        'corrupt',
        `Line ${line}: a quoted cell has more text after its closing quote. Put the whole cell in quotes and write "" for each quote inside it, then upload it again.`,
      );
    default:
      return new FileFormatError('corrupt', `Line ${line}: the CSV cannot be read (${err.message}).`);
  }
}
