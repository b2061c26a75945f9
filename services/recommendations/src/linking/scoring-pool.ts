import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads';
import type { LinkableText, LinkCandidate } from './similarity';

export interface ScoringRequest {
  docs: LinkableText[];
  threshold: number;
  maxPerDoc: number;
  /** Only the pairs of these records (an incremental detection); omitted, every pair. */
  among?: string[];
  /** Pairs a coordinator decided ("a b"): found again, they are rescored in place, not written anew. */
  decided: string[];
}

/** What a State's scoring found. */
export interface Scored {
  found: number;
  /** The new candidates as COPY text, in the columns of `LINK_COPY_COLUMNS`. */
  copy: Uint8Array[];
  /** The decided pairs found again, with their new scores. */
  rescored: LinkCandidate[];
}
export type ScoringReply = Scored | { error: string };

/** The columns of the COPY text a scoring thread writes. */
export const LINK_COPY_COLUMNS = ['id', 'a_id', 'b_id', 'score', 'method', 'explanation'] as const;

const ENTRY = join(__dirname, `scoring-thread${extname(__filename)}`);

interface Job {
  request: ScoringRequest;
  resolve: (scored: Scored) => void;
  reject: (error: Error) => void;
}

/**
 * Worker threads that score link candidates, one State per thread at a time, so that scoring runs on
 * every core while the caller's connections write other States' links. A thread starts when first
 * needed; an idle one does not keep the process alive. A thread that dies fails its State's job only.
 */
@Injectable()
export class ScoringPool implements OnApplicationShutdown {
  /**
   * At most two: a detection holds a connection per State in flight (threads + 1), from a pool of ten
   * that a second job and the outbox relay share; and a container's CPU limit is not what
   * `availableParallelism` reports.
   */
  readonly size = Math.max(1, Math.min(2, availableParallelism()));
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private closed = false;

  score(request: ScoringRequest): Promise<Scored> {
    if (this.closed) return Promise.reject(new Error('scoring pool: closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Last in Nest's shutdown: jobs still running when the process is asked to stop finish first
   * (`beforeApplicationShutdown`), and a detection among them still needs its threads.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('scoring pool: closed'));
    await Promise.all([...this.idle.splice(0), ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const running = this.idle.length + this.busy.size;
      const worker = this.idle.pop() ?? (running < this.size ? this.start() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  private start(): Worker {
    const worker = startThread(ENTRY);
    worker.on('message', (reply: ScoringReply) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ('error' in reply) job?.reject(new Error(`scoring thread: ${reply.error}`));
      else job?.resolve(reply);
      this.dispatch();
    });
    // 'error' and then 'exit' may both come: the first takes the thread out of the pool.
    const lost = (error: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      job?.reject(error);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`scoring thread: exited with ${code}`)));
    return worker;
  }
}
