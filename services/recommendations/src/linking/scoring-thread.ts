import { parentPort } from 'node:worker_threads';
import type { ScoringReply, ScoringRequest } from './scoring-pool';
import { SimilarityIndex } from './similarity';

/** A scoring thread: builds one State's index and scores its pairs, one request at a time. */
const port = parentPort;
if (!port) throw new Error('scoring-thread runs in a worker thread');
port.on('message', ({ docs, threshold, maxPerDoc, among }: ScoringRequest) => {
  let reply: ScoringReply;
  try {
    const found = SimilarityIndex.build(docs).candidates({
      threshold,
      maxPerDoc,
      among: among && new Set(among),
    });
    reply = { found };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
