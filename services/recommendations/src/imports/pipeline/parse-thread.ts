import { parentPort, workerData } from 'node:worker_threads';
import { contentHash, type MappedRow } from '../../catalogue/merged-record';
import { mappedRows, type ReadOptions } from '../mapping/mapped-rows';
import { describeError, type ThreadReply, type ThreadRequest } from './mapped-batches';

/**
 * The parse thread: reads and maps the file in batches, one per request, so the main thread writes
 * one batch while this one parses the next. Stops (and lets the reader remove its temporary files)
 * when asked to close.
 */
const { path, options, batchSize } = workerData as {
  path: string;
  options: Omit<ReadOptions, 'onFormat'>;
  batchSize: number;
};
const port = parentPort;
if (!port) throw new Error('parse-thread runs in a worker thread');
const reply = (message: ThreadReply) => port.postMessage(message);

const rows = mappedRows(path, { ...options, onFormat: (format) => reply({ kind: 'format', format }) })[
  Symbol.asyncIterator
]();
let done = false;

async function batch(): Promise<MappedRow[]> {
  const out: MappedRow[] = [];
  while (!done && out.length < batchSize) {
    const next = await rows.next();
    if (next.done) done = true;
    else {
      // Hashed here, off the thread that writes.
      if (next.value.record) next.value.hash = contentHash(next.value.record);
      out.push(next.value);
    }
  }
  return out;
}

// Requests are answered in order, one at a time.
let queue = Promise.resolve();
port.on('message', (request: ThreadRequest) => {
  queue = queue.then(async () => {
    if (request.kind === 'close') {
      await rows.return?.(undefined).catch(() => undefined);
      reply({ kind: 'closed' });
      port.close();
      return;
    }
    try {
      reply({ kind: 'batch', rows: await batch() });
    } catch (error) {
      done = true;
      reply({ kind: 'error', ...describeError(error) });
    }
  });
});
