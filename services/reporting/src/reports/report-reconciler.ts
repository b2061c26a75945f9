import { Logger } from '@nestjs/common';
import { dependencyUnavailable } from '@nmirf/platform';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { ReportJobs } from './report-jobs';

/** Rebuilds compile jobs from PostgreSQL: a queued or compiling report must have a live job. */
export class ReportReconciler {
  private readonly logger = new Logger(ReportReconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ReportJobs,
    /** Where the files are; without it expired reports are left alone. */
    private readonly reportsDir?: string,
  ) {}

  /** Deletes reports past their retention period, the file first: a row never points at nothing for long. */
  async purgeExpired(): Promise<number> {
    if (!this.reportsDir) return 0;
    const expired: { id: string; file_name: string | null }[] = await this.dataSource.query(
      `SELECT id, file_name FROM reports WHERE expires_at < now() ORDER BY expires_at LIMIT 500`,
    );
    for (const { id, file_name } of expired) {
      if (file_name) await rm(join(this.reportsDir, file_name), { force: true });
      await this.dataSource.transaction((manager) =>
        manager.query(`DELETE FROM reports WHERE id = $1`, [id]),
      );
    }
    if (expired.length > 0) this.logger.log({ msg: 'expired reports deleted', count: expired.length });
    return expired.length;
  }

  /** Returns how many jobs it had to add or replace. */
  async reconcile(): Promise<number> {
    await this.purgeExpired().catch((error: Error) =>
      this.logger.warn({ msg: 'expired reports not deleted; next round retries', error: error.message }),
    );
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
