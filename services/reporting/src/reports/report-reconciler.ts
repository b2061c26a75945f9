import { Logger } from '@nestjs/common';
import { JobReconciler, type JobSource, type PlannedJob, type PlanningWindow } from '@nmirf/platform';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { compileReportJobId, ReportJobNames, type CompileReportJob, type ReportJobs } from './report-jobs';

const PAGE = 500;

/** What the `reports` queue must hold: a compile job, due now, for every queued or compiling report. */
export class ReportJobSource implements JobSource<CompileReportJob> {
  readonly kinds = Object.values(ReportJobNames);

  constructor(private readonly dataSource: DataSource) {}

  async *expected({ now }: PlanningWindow): AsyncIterable<PlannedJob<CompileReportJob>> {
    let after: string | null = null;
    for (;;) {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM reports WHERE status IN ('queued', 'compiling') AND ($1::uuid IS NULL OR id > $1::uuid)
          ORDER BY id LIMIT ${PAGE}`,
        [after],
      );
      for (const { id } of rows) {
        yield {
          id: compileReportJobId(id),
          kind: ReportJobNames['compile-report'],
          data: { reportId: id },
          runAt: now,
          row: id,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }
}

/**
 * Rebuilds compile jobs from PostgreSQL with the platform's reconciler (a queued or compiling report
 * must have a live job; one that ended while the row still says otherwise runs again), and deletes
 * expired reports.
 */
export class ReportReconciler {
  private readonly logger = new Logger(ReportReconciler.name);
  private reconciler?: JobReconciler<CompileReportJob>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reportJobs: ReportJobs,
    /** Where the files are; without it expired reports are left alone. */
    private readonly reportsDir?: string,
  ) {}

  /** The platform's reconciler over the reports (made on first use: purging needs no queue). */
  get jobs(): JobReconciler<CompileReportJob> {
    this.reconciler ??= new JobReconciler(this.reportJobs.queue, new ReportJobSource(this.dataSource));
    return this.reconciler;
  }

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
    const result = await this.jobs.reconcile();
    return result.added + result.replaced;
  }
}
