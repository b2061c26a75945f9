import type { BlobStore } from '@nmirf/platform';

/**
 * Opens the store on first use, not at start-up: a deployment whose evidence storage is not set up
 * yet (a read-only root file system, an unreachable bucket) still serves everything else, and the
 * uploads themselves fail until it is. A failed opening is tried again on the next use.
 */
export function openOnFirstUse(open: () => Promise<BlobStore>): BlobStore {
  let store: Promise<BlobStore> | undefined;
  const opened = () =>
    (store ??= open().catch((error) => {
      store = undefined;
      throw error;
    }));
  return {
    put: async (source, options) => (await opened()).put(source, options),
    get: async (sha256) => (await opened()).get(sha256),
    has: async (sha256) => (await opened()).has(sha256),
  };
}
