import { once } from 'node:events';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { FileFormatError, type ReaderLimits } from './errors';
import { checkFileSize, isOle, isZip, notAZip, oleError, readRange } from './file';

const MiB = 1024 * 1024;
/** Office packages have tens to a few thousand parts; millions of entries only cost us memory. */
const MAX_ENTRIES = 20_000;
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * A zip opened for reading a few named parts. Entries are collected from the central directory first,
 * so parts can be read in any order; every read is checked against the zip-bomb limits.
 */
export class ZipArchive {
  private inflated = 0;
  private readonly streams = new Set<Readable>();
  private closed = false;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly limits: ReaderLimits,
  ) {}

  static async open(path: string, limits: ReaderLimits): Promise<ZipArchive> {
    const size = await checkFileSize(path, limits);
    const head = await readRange(path, 0, 8);
    if (isOle(head)) throw await oleError(path, size);
    if (!isZip(head)) throw notAZip(head);

    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, {
        lazyEntries: true,
        validateEntrySizes: true,
        decodeStrings: true,
        autoClose: false, // we open entries after listing them, so yauzl must not close in between
      });
    } catch (err) {
      throw zipError(err);
    }
    // yauzl reports fd close failures as 'error' events; never let one crash the process.
    zip.on('error', () => undefined);
    const archive = new ZipArchive(zip, new Map(), limits);
    try {
      if (zip.entryCount > MAX_ENTRIES) {
        throw new FileFormatError(
          'zip_bomb',
          `The file contains ${zip.entryCount.toLocaleString('en')} parts, far more than an Office document has. It was not processed.`,
        );
      }
      await archive.listEntries();
    } catch (err) {
      await archive.close();
      throw zipError(err);
    }
    return archive;
  }

  /** Part names are case-insensitive in Office packages (OPC). */
  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  /** The inflated bytes of one part, chunk by chunk, pulled only as fast as the consumer reads. */
  async *read(name: string): AsyncGenerator<Buffer> {
    const entry = this.entries.get(partKey(name));
    if (!entry) throw new FileFormatError('corrupt', `The file is incomplete: part "${name}" is missing.`);
    this.checkDeclaredSize(entry);
    if (entry.isEncrypted()) {
      throw new FileFormatError('encrypted', 'The file is an encrypted ZIP. Upload it without a password.');
    }
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (err) {
      throw zipError(err, entry.fileName);
    }
    this.streams.add(stream);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.inflated += chunk.length;
        if (this.inflated > this.limits.maxUncompressedBytes) throw this.bomb(entry.fileName, 'inflates to');
        yield chunk;
      }
    } catch (err) {
      throw zipError(err, entry.fileName);
    } finally {
      stream.destroy();
      this.streams.delete(stream);
    }
  }

  /** Closes open part streams and the file descriptor; resolves once the descriptor is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
    if (!this.zip.isOpen) return;
    const closedEvent = once(this.zip, 'close');
    this.zip.close();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()));
    await Promise.race([closedEvent.catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  private listEntries(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) this.entries.set(partKey(entry.fileName), entry);
        this.zip.readEntry();
      });
      this.zip.once('end', () => resolve());
      this.zip.once('error', reject);
      this.zip.readEntry();
    });
  }

  /** Rejects a bomb from its central-directory sizes, before inflating a byte. */
  private checkDeclaredSize(entry: yauzl.Entry): void {
    const { uncompressedSize, compressedSize } = entry;
    if (this.inflated + uncompressedSize > this.limits.maxUncompressedBytes) {
      throw this.bomb(entry.fileName, 'declares');
    }
    if (uncompressedSize > MiB && uncompressedSize > compressedSize * this.limits.maxCompressionRatio) {
      const ratio = compressedSize > 0 ? Math.round(uncompressedSize / compressedSize) : Infinity;
      throw new FileFormatError(
        'zip_bomb',
        `The file looks like a zip bomb: part "${entry.fileName}" would inflate ${ratio}× (${mib(uncompressedSize)}). It was not processed.`,
      );
    }
  }

  private bomb(part: string, verb: string): FileFormatError {
    return new FileFormatError(
      'zip_bomb',
      `The file is too big once uncompressed: part "${part}" ${verb} more than the ${mib(this.limits.maxUncompressedBytes)} allowed in total. It was not processed.`,
    );
  }
}

export const partKey = (name: string): string => name.replace(/^\/+/, '').toLowerCase();

const mib = (bytes: number): string => `${Math.round(bytes / MiB).toLocaleString('en')} MiB`;

/** yauzl and zlib errors are terse; turn them into something a user can act on. */
function zipError(err: unknown, part?: string): unknown {
  if (err instanceof FileFormatError || !(err instanceof Error)) return err;
  const where = part ? `part "${part}": ` : '';
  if (/too many bytes in the stream/.test(err.message)) {
    return new FileFormatError(
      'zip_bomb',
      `The file looks like a zip bomb: ${where}it inflates to more than its header declares. It was not processed.`,
    );
  }
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return err;
  return new FileFormatError(
    'corrupt',
    `The file is damaged or incomplete (${where}${err.message}). Open it in Excel or Word, save it again and upload the new copy.`,
  );
}
