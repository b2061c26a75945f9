import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { waitFor } from '@nmirf/testing';
import { DomainError } from '../errors';
import { LocalBlobStore } from './local-blob-store';
import { BlobNotFoundError, BlobTooLargeError, MediaTypeRefusedError } from './storage-errors';
import * as sample from './testing/samples';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Bytes written so far to uploads in progress. */
function incomingBytes(root: string): number {
  return filesUnder(root)
    .filter((file) => file.startsWith('.incoming/'))
    .reduce((total, file) => total + statSync(join(root, file)).size, 0);
}

/** A PDF of about `size` bytes, in `chunkSize` chunks, counting the chunks read. */
function pdfStream(size: number, chunkSize = 64 * 1024) {
  const bytes = Buffer.concat([sample.pdf(), Buffer.alloc(Math.max(0, size - sample.pdf().length), 0x20)]);
  const pulled = { chunks: 0 };
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      pulled.chunks += 1;
      yield bytes.subarray(offset, offset + chunkSize);
    }
  }
  return { bytes, pulled, stream: Readable.from(chunks()) };
}

describe('LocalBlobStore on a real directory', () => {
  let root: string;
  let store: LocalBlobStore;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'blob-store-'));
    store = await LocalBlobStore.open(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores a file under its SHA-256 and gives the same bytes back', async () => {
    const { bytes, stream } = pdfStream(3 * MiB);
    const stored = await store.put(stream, { maxBytes: 25 * MiB });
    expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length, mediaType: 'application/pdf' });
    expect(filesUnder(root)).toEqual([join(stored.sha256.slice(0, 2), stored.sha256)]);
    expect(await store.has(stored.sha256)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(stored.sha256)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('stores the same content once, however it arrives', async () => {
    const csv = 'indicator,value\nShelters,12\n';
    const first = await store.put(Readable.from([Buffer.from(csv)]), { maxBytes: MiB });
    const second = await store.put(Readable.from(csv.split('').map((c) => Buffer.from(c))), {
      maxBytes: MiB,
    });
    expect(second).toEqual(first);
    expect(first.mediaType).toBe('text/plain');
    expect(filesUnder(root)).toEqual([join(first.sha256.slice(0, 2), first.sha256)]);
    expect(await text(await store.get(first.sha256))).toBe(csv);
  });

  it('never shows a half-written upload under a key, and keeps nothing when the stream fails', async () => {
    const head = sample.pdf();
    let fail!: (error: Error) => void;
    const failure = new Promise<never>((_, reject) => (fail = reject));
    failure.catch(() => undefined); // awaited by the upload; this only keeps Node from calling it unhandled
    async function* brokenUpload() {
      yield head;
      yield Buffer.alloc(MiB, 0x20);
      await failure; // the connection drops here
    }
    const put = store.put(Readable.from(brokenUpload()), { maxBytes: 25 * MiB });
    // While the upload is open, its bytes are only in the incoming area.
    const written = head.length + MiB;
    await waitFor('the first MiB on disk', () => incomingBytes(root) === written, { intervalMs: 10 });
    expect(filesUnder(root)).toEqual([expect.stringMatching(/^\.incoming\/[0-9a-f-]+\.part$/)]);
    expect(await store.has(sha256(Buffer.concat([head, Buffer.alloc(MiB, 0x20)])))).toBe(false);

    fail(new Error('socket hang up'));
    await expect(put).rejects.toThrow('socket hang up');
    expect(filesUnder(root)).toEqual([]);
  });

  it('stops reading past maxBytes and leaves nothing behind', async () => {
    const { stream, pulled } = pdfStream(5 * MiB, 64 * 1024);
    const error = await store.put(stream, { maxBytes: MiB }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect(error).toMatchObject({ maxBytes: MiB, message: 'The file is larger than the 1 MiB allowed.' });
    // 16 chunks fill the MiB; the 17th goes past it. Readable.from may read one ahead.
    expect(pulled.chunks).toBeLessThanOrEqual(18);
    expect(stream.destroyed).toBe(false); // the HTTP layer still owns the request
    expect(filesUnder(root)).toEqual([]);
  });

  it('accepts a file of exactly maxBytes', async () => {
    const { bytes, stream } = pdfStream(MiB);
    await expect(store.put(stream, { maxBytes: MiB })).resolves.toMatchObject({
      size: MiB,
      sha256: sha256(bytes),
    });
    expect(bytes.length).toBe(MiB);
  });

  it('refuses a program named report.pdf and keeps nothing', async () => {
    const error = await store
      .put(Readable.from([sample.windowsProgram()]), { maxBytes: MiB })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MediaTypeRefusedError);
    expect(error).toMatchObject({ detected: 'executable' });
    expect(filesUnder(root)).toEqual([]);
  });

  it('keeps bytes of any type unjudged with anyContent, for a reader that checks them itself', async () => {
    const latin1 = Buffer.from('paragraph,text\r\n1,Bogot\u00e1\r\n', 'latin1');
    const stored = await store.put(Readable.from([latin1]), { maxBytes: MiB, anyContent: true });
    expect(stored).toEqual({ sha256: sha256(latin1), size: latin1.length });
    expect(Buffer.concat(await (await store.get(stored.sha256)).toArray())).toEqual(latin1);
    // Without it, the same bytes are refused.
    await expect(store.put(Readable.from([latin1]), { maxBytes: MiB })).rejects.toBeInstanceOf(
      MediaTypeRefusedError,
    );
  });

  it('stores concurrent puts of the same content once, intact', async () => {
    const { bytes } = pdfStream(2 * MiB);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        store.put(Readable.from(chunked(bytes, 16 * 1024 + index * 1024)), { maxBytes: 25 * MiB }),
      ),
    );
    expect(new Set(results.map((result) => result.sha256))).toEqual(new Set([sha256(bytes)]));
    expect(filesUnder(root)).toEqual([join(sha256(bytes).slice(0, 2), sha256(bytes))]);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(sha256(bytes))) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
  });

  it('answers not found for unknown and malformed digests, without touching paths', async () => {
    const unknown = sha256(Buffer.from('never stored'));
    await expect(store.get(unknown)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get(unknown)).rejects.toBeInstanceOf(DomainError); // 404 through the problem filter
    await expect(store.get(unknown)).rejects.toMatchObject({ kind: 'not_found' });
    writeFileSync(join(root, 'secret'), 'not a blob');
    await expect(store.get('../secret')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get(unknown.toUpperCase())).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.has(unknown)).toBe(false);
    expect(await store.has('../secret')).toBe(false);
  });

  it('removes uploads a crash left behind a day ago, and only those', async () => {
    const incoming = join(root, '.incoming');
    writeFileSync(join(incoming, 'crashed.part'), 'half');
    writeFileSync(join(incoming, 'in-progress.part'), 'half');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(incoming, 'crashed.part'), twoDaysAgo, twoDaysAgo);
    await LocalBlobStore.open(root);
    expect(filesUnder(root)).toEqual(['.incoming/in-progress.part']);
  });
});

function* chunked(bytes: Buffer, size: number) {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
