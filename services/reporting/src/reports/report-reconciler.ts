import { Logger } from '@nestjs/common';
import { dependencyUnavailable } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import type { ReportJobs } from './report-jobs';

/** Rebuilds compile jobs from PostgreSQL: a queued or compiling report must have a live job. */
export class ReportReconciler {
  private readonly logger = new Logger(ReportReconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ReportJobs,
  ) {}

  /** Returns how many jobs it had to add or replace. */
  async reconcile(): Promise<number> {
    const pending: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reports WHERE status IN ('queued', 'compiling') ORDER BY requested_at, id`,
    );
    let repaired = 0;
    let failed = 0;
    for (const { id } of pending) {
      try {
        const outcome = await this.jobs.ensurePending(id);
        if (outcome !== 'present') repaired += 1;
      } catch (error) {
        // Redis down fails every report alike: end the round, it is retried whole.
        if (dependencyUnavailable(error)) throw error;
        failed += 1;
        this.logger.warn({
          msg: 'report job not restored; next round retries',
          reportId: id,
          error: (error as Error).message,
        });
      }
    }
    if (repaired > 0 || failed > 0) {
      this.logger.log({ msg: 'report jobs restored', repaired, failed, pending: pending.length });
    }
    return repaired;
  }
}
