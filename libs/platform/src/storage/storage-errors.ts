import { DomainError } from '../errors';
import { EVIDENCE_MEDIA_TYPES, type RefusedKind } from './media-types';

const ACCEPTED = Object.values(EVIDENCE_MEDIA_TYPES)
  .map((type) => type.label)
  .join(', ');

/** The upload went past its size limit; nothing was stored. The HTTP edge answers 413. */
export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`The file is larger than the ${formatBytes(maxBytes)} allowed.`);
  }
}

/** The content is not an accepted evidence format; nothing was stored. The HTTP edge answers 415. */
export class MediaTypeRefusedError extends Error {
  override readonly name = 'MediaTypeRefusedError';

  constructor(
    readonly detected: RefusedKind,
    /** What the content turned out to be, e.g. "a Windows program (PE)". */
    readonly description: string,
  ) {
    super(`The file is ${description}, which is not accepted as evidence. Accepted: ${ACCEPTED}.`);
  }
}

/** No blob has this digest (a malformed digest names none either): 404 through the problem filter. */
export class BlobNotFoundError extends DomainError {
  override readonly name = 'BlobNotFoundError';

  constructor(readonly sha256: string) {
    super('not_found', `File ${sha256.slice(0, 64)} was not found`);
  }
}

function formatBytes(bytes: number): string {
  const round = (value: number) => value.toFixed(1).replace(/\.0$/, '');
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  return bytes >= 1024 ? `${round(bytes / 1024)} KiB` : `${bytes} bytes`;
}
