export type FileErrorCode =
  | 'too_large'
  | 'empty'
  | 'not_a_zip'
  | 'encrypted'
  | 'legacy_format'
  | 'zip_bomb'
  | 'corrupt'
  | 'no_worksheet'
  | 'no_table'
  | 'encoding'
  | 'too_many_rows';

/** A whole-file problem: the file cannot be read at all. The message is meant for the uploader. */
export class FileFormatError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileFormatError';
  }
}

export interface ReaderLimits {
  /** Larger files are rejected before reading. */
  maxFileBytes: number;
  /** Total inflated bytes of the zip entries we read. */
  maxUncompressedBytes: number;
  /** Entries over 1 MiB that inflate more than this are treated as a zip bomb. */
  maxCompressionRatio: number;
  /** Longer cells are truncated and reported as oversized. */
  maxCellChars: number;
  maxRows: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ReaderLimits = Object.freeze({
  maxFileBytes: 100 * MiB,
  maxUncompressedBytes: 2048 * MiB,
  maxCompressionRatio: 200,
  maxCellChars: 32_767, // Excel's own cell limit
  maxRows: 1_000_000,
});

export function resolveLimits(limits: Partial<ReaderLimits> = {}): ReaderLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ReaderLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!(value > 0)) throw new RangeError(`ReaderLimits.${key} must be a positive number, got ${value}`);
    resolved[key] = value;
  }
  return resolved;
}

export function tooManyRows(limits: ReaderLimits): FileFormatError {
  return new FileFormatError(
    'too_many_rows',
    `The file has more than ${limits.maxRows.toLocaleString('en')} rows. Split it into smaller files and upload them one by one.`,
  );
}
