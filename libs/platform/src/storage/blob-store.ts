import type { Readable } from 'node:stream';
import type { EvidenceMediaType } from './media-types';

/** Bytes as stored: their key is the SHA-256 of the content, so the same file is stored once. */
export interface StoredBytes {
  /** Lower-case hex; the key to get it back with. */
  sha256: string;
  size: number;
}

/** A file as stored, with the type its content was accepted as. */
export interface StoredBlob extends StoredBytes {
  /** Detected from the content; serve the file with this type. */
  mediaType: EvidenceMediaType;
}

export interface PutOptions {
  /** Past this many bytes the upload stops and BlobTooLargeError is thrown (config: EVIDENCE_MAX_BYTES). */
  maxBytes: number;
  /**
   * Keep the bytes without judging their type: for files whose own reader checks them and explains
   * what is wrong (imports). Nothing is refused for its content, and no media type is returned.
   */
  anyContent?: boolean;
}

/** What `put` returns: a StoredBlob, or only the bytes' key and size for `anyContent`. */
export type PutResult<O extends PutOptions> = O extends { anyContent: true } ? StoredBytes : StoredBlob;

/** An HTTP request or multipart part, a file stream, or any async source of bytes. */
export type BlobSource = Readable | AsyncIterable<Uint8Array>;

/**
 * Where evidence files live: a local directory or an S3-compatible bucket (EVIDENCE_STORAGE).
 * Who may read a file is the caller's business; the store only keeps bytes.
 */
export interface BlobStore {
  /**
   * Streams `source` to storage, never holding the whole file in memory, and stores it under its
   * digest once its type is accepted. A failed put leaves nothing behind: the file appears under its
   * key whole or not at all. Throws BlobTooLargeError (413), MediaTypeRefusedError (415), or the
   * source's own error. Past the limit, `source` is neither drained nor destroyed, so an HTTP layer
   * can still answer before it closes the connection.
   */
  put<O extends PutOptions>(source: BlobSource, options: O): Promise<PutResult<O>>;
  /** The content; BlobNotFoundError (404) when no file has this digest. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
}

/** Nest injection token for the service's BlobStore (see createBlobStore). */
export const BLOB_STORE = Symbol('BLOB_STORE');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Digests are checked before they reach a path or an object key. */
export const isSha256Hex = (value: string): boolean => SHA256_HEX.test(value);
