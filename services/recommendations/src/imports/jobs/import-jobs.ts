import { Logger } from '@nestjs/common';
import { defineJobNames, JobQueue, redisAnswerWithin, type JobTrace } from '@nmirf/platform';

/** Queue and job names of the recommendations worker, in one place. */
export const IMPORTS_QUEUE = 'imports';
export const ImportJobNames = defineJobNames('run-import', 'detect-import-links');

export interface ImportJobData extends JobTrace {
  importId: string;
}

/** One job per import and one per import's link detection, ever: enqueueing again is a no-op. */
export const runImportJobId = (importId: string): string => `import-${importId}`;
export const detectLinksJobId = (importId: string): string => `import-links-${importId}`;

/** What the use cases need from the queue: an import, or its link detection, is waiting for the worker. */
export interface ImportScheduler {
  importQueued(importId: string): Promise<void>;
  linksQueued(importId: string): Promise<void>;
}

/**
 * The BullMQ side. The row is committed before its job is added; should Redis not take the job, the
 * worker's reconciler (ImportJobSource) adds it on its next pass, so the caller is not failed for it.
 */
export class ImportJobs implements ImportScheduler {
  private readonly logger = new Logger(ImportJobs.name);

  constructor(
    readonly queue: JobQueue<ImportJobData>,
    private readonly timeoutMs = 2_000,
  ) {}

  importQueued(importId: string): Promise<void> {
    return this.add(ImportJobNames['run-import'], runImportJobId(importId), importId);
  }

  linksQueued(importId: string): Promise<void> {
    return this.add(ImportJobNames['detect-import-links'], detectLinksJobId(importId), importId);
  }

  private async add(name: string, jobId: string, importId: string): Promise<void> {
    try {
      await redisAnswerWithin(this.queue.ensure(name, jobId, { importId }, 0), this.timeoutMs);
    } catch (error) {
      this.logger.warn({
        msg: 'job not queued; the reconciler will',
        jobId,
        error: (error as Error).message,
      });
    }
  }

  async close(): Promise<void> {
    await redisAnswerWithin(this.queue.close(), this.timeoutMs).catch(() => undefined);
  }
}
