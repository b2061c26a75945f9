import type { OnApplicationShutdown } from '@nestjs/common';
import { defineJobNames, JobQueue, redisAnswerWithin, type JobTrace } from '@nmirf/platform';

/** Queue and job names of the reporting service, in one place. */
export const REPORTS_QUEUE = 'reports';
export const ReportJobNames = defineJobNames('compile-report');

export interface CompileReportJob extends JobTrace {
  reportId: string;
}

/** One job per report, ever: enqueueing twice is a no-op while the first is kept. */
export function compileReportJobId(reportId: string): string {
  return `report-${reportId}`;
}

/**
 * Schedules report compilation. A report row exists before its job, and the worker's reconciler
 * (ReportReconciler, over ReportJobSource) adds any job that Redis lost or never received.
 */
export class ReportJobs implements OnApplicationShutdown {
  constructor(
    readonly queue: JobQueue<CompileReportJob>,
    /** BullMQ waits for Redis indefinitely while it is down; callers should not. */
    private readonly timeoutMs = 2_000,
  ) {}

  async enqueueCompile(reportId: string, trace: JobTrace = {}): Promise<void> {
    await redisAnswerWithin(
      this.queue.ensure(
        ReportJobNames['compile-report'],
        compileReportJobId(reportId),
        { reportId, ...trace },
        0,
      ),
      this.timeoutMs,
    );
  }

  async close(): Promise<void> {
    await redisAnswerWithin(this.queue.close(), this.timeoutMs).catch(() => undefined);
  }

  /** After the HTTP server and the worker have stopped using the queue. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
