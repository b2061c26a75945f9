import { extname, join } from 'node:path';
import type { MappedRow } from '../../catalogue/merged-record';
import { FileFormatError, type FileErrorCode } from '../formats';
import type { ImportFormat } from '../import.entity';
import type { ReadOptions } from '../mapping/mapped-rows';
import { WrongLayoutError } from '../mapping/vocabulary';
import { startThread } from '../../threads';

/** Batches of mapped rows; an empty batch ends the file. */
export interface MappedBatches {
  next(): Promise<MappedRow[]>;
  /** Stops reading: the reader closes the file and removes its temporary files. */
  close(): Promise<void>;
}

export type ThreadRequest = { kind: 'read' } | { kind: 'close' };
export type ThreadReply =
  | { kind: 'format'; format: ImportFormat }
  | { kind: 'batch'; rows: MappedRow[] }
  | ({ kind: 'error' } & ThreadError)
  | { kind: 'closed' };

/** An error crosses the thread as data; the importer tells the uploader's errors apart by class. */
interface ThreadError {
  type: 'file' | 'layout' | 'other';
  message: string;
  code?: string;
}

export function describeError(error: unknown): ThreadError {
  if (error instanceof FileFormatError) return { type: 'file', message: error.message, code: error.code };
  if (error instanceof WrongLayoutError) return { type: 'layout', message: error.message };
  return { type: 'other', message: error instanceof Error ? error.message : String(error) };
}

function revive(error: ThreadError): Error {
  if (error.type === 'file') return new FileFormatError(error.code as FileErrorCode, error.message);
  if (error.type === 'layout') return new WrongLayoutError(error.message);
  return new Error(`parse thread: ${error.message}`);
}

const ENTRY = join(__dirname, `parse-thread${extname(__filename)}`);

/**
 * Reads and maps the file in a worker thread, one batch ahead of the caller: parsing XML and mapping
 * rows run on the second core while the main thread writes the previous batch.
 */
export function mappedBatchesInThread(path: string, options: ReadOptions, batchSize: number): MappedBatches {
  const { onFormat, ...cloneable } = options;
  const worker = startThread(ENTRY, { path, options: cloneable, batchSize });
  const waiting: { resolve: (rows: MappedRow[]) => void; reject: (error: Error) => void }[] = [];
  const ahead: Promise<MappedRow[]>[] = [];
  let failure: Error | undefined;
  let ended = false;
  let closed: (() => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const fail = (error: Error) => {
    failure ??= error;
    for (const request of waiting.splice(0)) request.reject(failure);
  };
  worker.on('message', (message: ThreadReply) => {
    if (message.kind === 'format') onFormat?.(message.format);
    else if (message.kind === 'batch') waiting.shift()?.resolve(message.rows);
    else if (message.kind === 'error') waiting.shift()?.reject(revive(message));
    else closed?.();
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', () => fail(new Error('parse thread: exited before the file was read')));

  const request = (): Promise<MappedRow[]> => {
    const reply = new Promise<MappedRow[]>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push({ resolve, reject });
      worker.postMessage({ kind: 'read' } satisfies ThreadRequest);
    });
    reply.then(
      (rows) => (ended ||= rows.length === 0),
      () => (ended = true),
    );
    return reply;
  };

  return {
    next() {
      const batch = ahead.shift() ?? request();
      if (!ended) {
        const following = request();
        // Read ahead; a failure is reported when the caller asks for this batch.
        following.catch(() => undefined);
        ahead.push(following);
      }
      return batch;
    },
    async close() {
      if (!failure) {
        const done = new Promise<void>((resolve) => (closed = resolve));
        worker.postMessage({ kind: 'close' } satisfies ThreadRequest);
        const timeout = setTimeout(() => void worker.terminate(), 10_000);
        await Promise.race([done, exited]);
        clearTimeout(timeout);
      }
      await worker.terminate();
      await exited;
    },
  };
}
