import type { EntityManager } from 'typeorm';
import { streamCopy } from './stream-copy';

/** The column types `binaryCopyChunks` encodes, by their PostgreSQL names. */
export type BinaryColumnType =
  'uuid' | 'text' | 'bytea' | 'smallint' | 'integer' | 'bigint' | 'boolean' | 'date' | 'jsonb' | 'text[]';

/** A value for one column: null or undefined is NULL; `jsonb` takes any JSON value, `date` 'YYYY-MM-DD'. */
export type BinaryValue = unknown;

const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0
const TEXT_OID = 25;
const CHUNK_BYTES = 256 * 1024;
const DAY_MS = 86_400_000;
const PG_EPOCH_DAYS = 10_957; // 2000-01-01, PostgreSQL's epoch, in days since 1970-01-01
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Hex digit values by character code; -1 for anything else. */
const HEX = Int8Array.from({ length: 128 }, (_, code) => {
  const digit = parseInt(String.fromCharCode(code), 16);
  return Number.isNaN(digit) ? -1 : digit;
});
const hexDigit = (value: string, i: number): number => HEX[value.charCodeAt(i)] ?? -1;

/** A growing buffer that hands out what it holds in chunks. */
class Writer {
  private buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
  length = 0;

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  int8(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  int16(value: number): void {
    this.room(2);
    this.length = this.buffer.writeInt16BE(value, this.length);
  }

  int32(value: number): void {
    this.room(4);
    this.length = this.buffer.writeInt32BE(value, this.length);
  }

  /** A length-prefixed field: the string's UTF-8 bytes, after `prefix` (jsonb's version byte). */
  string(value: string, prefix?: number): void {
    const extra = prefix === undefined ? 0 : 1;
    this.room(4 + extra + 3 * value.length);
    const start = this.length + 4;
    if (prefix !== undefined) this.buffer[start] = prefix;
    const written = this.buffer.write(value, start + extra, 'utf8');
    this.buffer.writeInt32BE(written + extra, this.length);
    this.length = start + extra + written;
  }

  /** Writes over four bytes already written, at `at` (a length known only afterwards). */
  setInt32(at: number, value: number): void {
    this.buffer.writeInt32BE(value, at);
  }

  bytes(value: Uint8Array): void {
    this.int32(value.length);
    this.raw(value);
  }

  /** 8-4-4-4-12 hex digits, parsed in place (a regular expression and a replace cost more). */
  uuid(value: string): void {
    const fail = () => new TypeError(`binary COPY: "${value}" is not a uuid`);
    if (value.length !== 36) throw fail();
    this.room(20);
    let at = this.buffer.writeInt32BE(16, this.length);
    let i = 0;
    while (i < 36) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (value.charCodeAt(i++) !== 45) throw fail();
        continue;
      }
      const high = hexDigit(value, i);
      const low = hexDigit(value, i + 1);
      if (high < 0 || low < 0) throw fail();
      this.buffer[at++] = (high << 4) | low;
      i += 2;
    }
    this.length = at;
  }

  bigint(value: bigint | number | string): void {
    this.room(12);
    this.length = this.buffer.writeInt32BE(8, this.length);
    this.length = this.buffer.writeBigInt64BE(BigInt(value), this.length);
  }

  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
    this.length = 0;
    return chunk;
  }
}

function integer(value: unknown, bits: 16 | 32): number {
  const n = Number(value);
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(n) || n < -limit || n >= limit)
    throw new TypeError(`binary COPY: ${String(value)} is not a ${bits}-bit integer`);
  return n;
}

function days(value: unknown): number {
  const fail = () => new TypeError(`binary COPY: "${String(value)}" is not a date (YYYY-MM-DD)`);
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) throw fail();
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(0);
  // setUTCFullYear keeps years below 100 (Date.UTC reads 0099 as 1999) and rolls 02-30 into March:
  // only a date that reads back the same is one.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw fail();
  return date.getTime() / DAY_MS - PG_EPOCH_DAYS;
}

function field(writer: Writer, type: BinaryColumnType, value: unknown): void {
  if (value === null || value === undefined) return writer.int32(-1);
  switch (type) {
    case 'uuid':
      return writer.uuid(String(value));
    case 'text':
      return writer.string(String(value));
    case 'bytea':
      if (!(value instanceof Uint8Array)) throw new TypeError('binary COPY: a bytea value must be bytes');
      return writer.bytes(value);
    case 'smallint':
      writer.int32(2);
      return writer.int16(integer(value, 16));
    case 'integer':
      writer.int32(4);
      return writer.int32(integer(value, 32));
    case 'bigint':
      return writer.bigint(value as bigint | number | string);
    case 'boolean':
      writer.int32(1);
      return writer.int8(value ? 1 : 0);
    case 'date':
      writer.int32(4);
      return writer.int32(days(value));
    case 'jsonb':
      return writer.string(JSON.stringify(value), 1);
    case 'text[]':
      return textArray(writer, value as readonly (string | null)[]);
  }
}

/** One-dimensional text[]: its header, then each element as a field. */
function textArray(writer: Writer, values: readonly (string | null)[]): void {
  if (!Array.isArray(values)) throw new TypeError('binary COPY: a text[] value must be an array');
  const start = writer.length;
  writer.int32(0); // the field's length, set once known
  writer.int32(values.length === 0 ? 0 : 1);
  writer.int32(values.some((value) => value === null) ? 1 : 0);
  writer.int32(TEXT_OID);
  if (values.length > 0) {
    writer.int32(values.length);
    writer.int32(1);
    for (const value of values) {
      if (value === null) writer.int32(-1);
      else writer.string(value);
    }
  }
  writer.setInt32(start, writer.length - start - 4);
}

/**
 * Rows in COPY's binary format, in chunks of about 256 KiB. Nothing is escaped or parsed as text on
 * either side: strings are written once as UTF-8, arrays and numbers in their binary forms.
 */
export function* binaryCopyChunks(
  types: readonly BinaryColumnType[],
  rows: Iterable<readonly BinaryValue[]>,
): Generator<Buffer> {
  const writer = new Writer();
  writer.raw(SIGNATURE);
  writer.int32(0); // flags
  writer.int32(0); // header extension length
  for (const row of rows) {
    if (row.length !== types.length)
      throw new TypeError(`binary COPY: a row has ${row.length} values for ${types.length} columns`);
    writer.int16(types.length);
    for (let i = 0; i < types.length; i++) field(writer, types[i], row[i]);
    if (writer.length > CHUNK_BYTES) yield writer.take();
  }
  writer.int16(-1);
  yield writer.take();
}

/** Rows into a table with binary COPY, on the connection (and in the transaction) of `manager`. */
export function copyBinary(
  manager: EntityManager,
  table: string,
  columns: ReadonlyArray<readonly [name: string, type: BinaryColumnType]>,
  rows: Iterable<readonly BinaryValue[]>,
): Promise<void> {
  return streamCopy(
    manager,
    table,
    columns.map(([name]) => name),
    binaryCopyChunks(
      columns.map(([, type]) => type),
      rows,
    ),
    'binary',
  );
}
