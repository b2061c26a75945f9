import { randomUUID } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { copyChunks } from './copy-text';
import type { ScoringReply, ScoringRequest } from './scoring-pool';
import { LINK_METHOD, SimilarityIndex, type LinkCandidate } from './similarity';

/**
 * A scoring thread: builds one State's index and scores its pairs, one request at a time. The new
 * candidates come back as COPY text, flat bytes that cross to the caller cheaply; the pairs a coordinator
 * decided come back as candidates, to be rescored in place.
 */
const port = parentPort;
if (!port) throw new Error('scoring-thread runs in a worker thread');
port.on('message', ({ docs, threshold, maxPerDoc, among, decided }: ScoringRequest) => {
  let reply: ScoringReply;
  try {
    const found = SimilarityIndex.build(docs).candidates({
      threshold,
      maxPerDoc,
      among: among && new Set(among),
    });
    const kept = new Set(decided);
    const rescored: LinkCandidate[] = [];
    const fresh = found.filter((link) => {
      if (!kept.has(`${link.a} ${link.b}`)) return true;
      rescored.push(link);
      return false;
    });
    const copy = [
      ...copyChunks(
        fresh.map((link) => [
          randomUUID(),
          link.a,
          link.b,
          link.score,
          LINK_METHOD,
          { json: link.explanation },
        ]),
      ),
    ];
    reply = { found: found.length, copy, rescored };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
