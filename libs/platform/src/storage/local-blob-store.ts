import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobSource, type BlobStore, isSha256Hex, type PutOptions, type PutResult } from './blob-store';
import { detectMediaType } from './detect-media-type';
import { prepareSpoolDir, spoolToFile } from './spool';
import { BlobNotFoundError } from './storage-errors';

/** Uploads in progress, on the same file system as the blobs so that publishing one is a rename. */
const INCOMING = '.incoming';

/**
 * Blobs as files in a directory (EVIDENCE_DIR): `<dir>/<first two hex digits>/<sha256>`. Several
 * processes may share the directory (a ReadWriteMany volume).
 */
export class LocalBlobStore implements BlobStore {
  private constructor(private readonly root: string) {}

  /** Creates the directory if needed, and removes uploads a crash left half-written. */
  static async open(root: string): Promise<LocalBlobStore> {
    await prepareSpoolDir(join(root, INCOMING));
    return new LocalBlobStore(root);
  }

  async put<O extends PutOptions>(source: BlobSource, { maxBytes, anyContent }: O): Promise<PutResult<O>> {
    const spooled = await spoolToFile(source, join(this.root, INCOMING), maxBytes);
    try {
      const mediaType = anyContent ? undefined : await detectMediaType(spooled.path);
      const target = this.pathOf(spooled.sha256);
      await mkdir(dirname(target), { recursive: true });
      // Atomic: readers see the whole file or none. A concurrent put of the same content renames
      // identical bytes over it, and a reader that opened the earlier file keeps reading it.
      await rename(spooled.path, target);
      return { sha256: spooled.sha256, size: spooled.size, ...(mediaType && { mediaType }) } as PutResult<O>;
    } finally {
      await rm(spooled.path, { force: true }); // gone already once renamed
    }
  }

  async get(sha256: string): Promise<Readable> {
    if (!isSha256Hex(sha256)) throw new BlobNotFoundError(sha256);
    try {
      const handle = await open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256Hex(sha256)) return false;
    const info = await stat(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return info?.isFile() ?? false;
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}
