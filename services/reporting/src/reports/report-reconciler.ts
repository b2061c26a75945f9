import { Logger } from '@nestjs/common';
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
    for (const { id } of pending) {
      const outcome = await this.jobs.ensurePending(id);
      if (outcome !== 'present') repaired += 1;
    }
    if (repaired > 0) this.logger.log({ msg: 'report jobs restored', repaired, pending: pending.length });
    return repaired;
  }
}
