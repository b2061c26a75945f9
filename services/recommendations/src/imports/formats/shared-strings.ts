import { randomUUID } from 'node:crypto';
import { readSync } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileFormatError, type ReaderLimits } from './errors';
import {
  type Attributes,
  localName,
  parseXml,
  prefixFor,
  TextBuffer,
  truncate,
  type XmlHandler,
} from './xml-stream';

export const SPREADSHEET_NS = [
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  'http://purl.oclc.org/ooxml/spreadsheetml/main',
];
export const TEMP_PREFIX = 'nmirf-xlsx-strings-';

/** The index costs 9 bytes a string (offset + oversized flag); this caps it at 36 MiB. */
const MAX_STRINGS = 4_000_000;
const FLUSH_BYTES = 256 * 1024;
/** Hot strings (the same country on every row) live in a direct-mapped cache: no bookkeeping per hit. */
const HOT_SLOTS = 4_096; // a power of two
const HOT_MAX_CHARS = 1_024;
/**
 * Excel writes strings in order of first use, so consecutive rows hit neighbouring offsets: a few
 * cached file pages (4 MiB in all, evicted oldest first) turn most other lookups into memory reads.
 */
const PAGE_BYTES = 64 * 1024;
const CACHE_PAGES = 64;

export interface SharedString {
  text: string;
  oversized: boolean;
}

/**
 * The workbook's shared-string table, spilled to a temporary file: a sheet can reference 250k unique
 * strings, which we must not hold as JS strings. Lookups are positional reads behind two small caches.
 */
export class SharedStrings {
  private readonly hotIndex = new Int32Array(HOT_SLOTS).fill(-1);
  private readonly hotText: string[] = new Array<string>(HOT_SLOTS).fill('');
  private readonly pages = new Map<number, Buffer>();

  private constructor(
    private readonly file: { handle: FileHandle; path: string } | undefined,
    private readonly offsets: Float64Array,
    private readonly oversized: Uint8Array,
    readonly count: number,
  ) {}

  static empty(): SharedStrings {
    return new SharedStrings(undefined, new Float64Array(1), new Uint8Array(0), 0);
  }

  static async load(
    chunks: AsyncIterable<Buffer>,
    part: string,
    limits: ReaderLimits,
  ): Promise<SharedStrings> {
    const path = join(tmpdir(), `${TEMP_PREFIX}${randomUUID()}`);
    const handle = await open(path, 'wx+', 0o600);
    try {
      let offsets = new Float64Array(1024);
      let oversized = new Uint8Array(1024);
      let count = 0;
      let size = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let flushed = 0;
      const flush = async () => {
        const data = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        for (let done = 0; done < data.length;) {
          done += (await handle.write(data, done, data.length - done, flushed + done)).bytesWritten;
        }
        flushed += data.length;
      };

      for await (const item of parseXml(chunks, part, new StringTableHandler(limits.maxCellChars))) {
        if (count >= MAX_STRINGS) {
          throw new FileFormatError(
            'too_large',
            `The workbook has more than ${MAX_STRINGS.toLocaleString('en')} distinct texts. Split it into smaller files.`,
          );
        }
        if (count + 1 >= offsets.length) {
          offsets = grow(offsets, new Float64Array(offsets.length * 2));
          oversized = grow(oversized, new Uint8Array(offsets.length));
        }
        oversized[count] = item.oversized ? 1 : 0;
        const bytes = Buffer.from(item.text, 'utf8');
        pending.push(bytes);
        pendingBytes += bytes.length;
        size += bytes.length;
        offsets[++count] = size;
        if (pendingBytes >= FLUSH_BYTES) await flush();
      }
      await flush();
      return new SharedStrings({ handle, path }, offsets, oversized, count);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      throw err;
    }
  }

  get(index: number): SharedString | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count || !this.file) return undefined;
    const oversized = this.oversized[index] === 1;
    const slot = index & (HOT_SLOTS - 1);
    if (this.hotIndex[slot] === index) return { text: this.hotText[slot], oversized };
    const fd = this.file.handle.fd;
    const start = this.offsets[index];
    const end = this.offsets[index + 1];
    const page = Math.floor(start / PAGE_BYTES);
    const pageStart = page * PAGE_BYTES;
    const text = (
      end <= pageStart + PAGE_BYTES
        ? this.page(fd, page).subarray(start - pageStart, end - pageStart)
        : readAt(fd, start, end - start)
    ).toString('utf8');
    if (text.length <= HOT_MAX_CHARS) {
      this.hotIndex[slot] = index;
      this.hotText[slot] = text;
    }
    return { text, oversized };
  }

  private page(fd: number, page: number): Buffer {
    let data = this.pages.get(page);
    if (!data) {
      const start = page * PAGE_BYTES;
      data = readAt(fd, start, Math.min(PAGE_BYTES, this.offsets[this.count] - start));
      this.pages.set(page, data);
      if (this.pages.size > CACHE_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    }
    return data;
  }

  async dispose(): Promise<void> {
    this.hotText.fill('');
    this.pages.clear();
    if (!this.file) return;
    await this.file.handle.close().catch(() => undefined);
    await rm(this.file.path, { force: true });
  }
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Positional and synchronous: lookups happen inside sax callbacks, which cannot await. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  for (let read = 0; read < length;) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) throw new Error(`shared strings spill file ended early at byte ${position + read}`);
    read += n;
  }
  return buffer;
}

/** `<si>` → one string: plain `<t>` or rich-text runs `<r><t>` concatenated; phonetic `<rPh>` ignored. */
class StringTableHandler implements XmlHandler<SharedString> {
  readonly out: SharedString[] = [];
  private ns: string | undefined;
  private inItem = false;
  private phonetic = 0;
  private inText = false;
  private readonly buffer: TextBuffer;

  constructor(private readonly maxChars: number) {
    this.buffer = new TextBuffer(maxChars * ESCAPE_WIDTH);
  }

  open(name: string, attrs: Attributes): void {
    if (this.ns === undefined) {
      this.ns = prefixFor(attrs, SPREADSHEET_NS, '');
      return;
    }
    const local = localName(name, this.ns);
    if (local === 'si') {
      this.inItem = true;
      this.buffer.reset();
    } else if (local === 'rPh') this.phonetic++;
    else if (local === 't' && this.inItem && this.phonetic === 0) this.inText = true;
  }

  close(name: string): void {
    const local = localName(name, this.ns ?? '');
    if (local === 't') this.inText = false;
    else if (local === 'rPh') this.phonetic--;
    else if (local === 'si') {
      this.inItem = false;
      this.out.push(finishText(this.buffer, this.maxChars));
    }
  }

  text(text: string): void {
    if (this.inText) this.buffer.add(text);
  }
}

/** Excel escapes characters XML cannot carry as `_xHHHH_` (e.g. `_x000D_`); 7 characters for 1. */
export const ESCAPE_WIDTH = 7;

export function decodeEscapes(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

/**
 * The buffer holds up to ESCAPE_WIDTH × max raw characters, so after unescaping we can still tell whether
 * the user's text exceeded `max`.
 */
export function finishText(buffer: TextBuffer, max: number): SharedString {
  const text = decodeEscapes(buffer.take());
  return { text: truncate(text, max), oversized: buffer.overflow || text.length > max };
}
