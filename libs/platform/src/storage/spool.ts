import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobSource } from './blob-store';
import { BlobTooLargeError } from './storage-errors';

export interface SpooledFile {
  /** A private temporary file; the caller moves or removes it. */
  path: string;
  sha256: string;
  size: number;
}

/** Longer than any upload may take (HTTP_UPLOAD_TIMEOUT_MS is at most an hour): a crash's leftovers. */
const STALE_SPOOL_MS = 24 * 60 * 60 * 1000;

/** Creates the spool directory, and removes what a crashed process left half-written in it. */
export async function prepareSpoolDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const now = Date.now();
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.part')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_SPOOL_MS) await rm(path, { force: true });
  }
}

/**
 * Copies `source` to a new file in `dir`, hashing and counting as it goes. Past `maxBytes`, or when the
 * source fails, the file is removed and the error thrown. Content detection needs the whole file (a
 * zip's directory is at its end), and an object store needs the size and digest before it is sent.
 */
export async function spoolToFile(source: BlobSource, dir: string, maxBytes: number): Promise<SpooledFile> {
  const path = join(dir, `${randomUUID()}.part`);
  const handle = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of chunks(source)) {
      // A stream with an encoding set yields strings.
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.byteLength;
      if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
      hash.update(bytes);
      await handle.write(bytes);
    }
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  return { path, sha256: hash.digest('hex'), size };
}

/** Leaving the loop early must not destroy a Readable: see BlobStore.put. */
function chunks(source: BlobSource): AsyncIterable<Uint8Array | string> {
  // Duck-typed: streams may come from another copy of the stream module.
  const readable = source as Readable;
  return typeof readable.iterator === 'function' ? readable.iterator({ destroyOnReturn: false }) : source;
}
