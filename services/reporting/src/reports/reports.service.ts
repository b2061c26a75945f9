import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, currentContext, DomainError } from '@nmirf/platform';
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { ReportJobs } from './report-jobs';
import { Report, type ReportFormat, type ReportKind } from './report.entity';

export interface ReportRequest {
  kind: ReportKind;
  format: ReportFormat;
  institution?: string;
}

export interface ReportFile {
  fileName: string;
  size: number;
  stream: ReadStream;
}

/** Requesting, listing and downloading reports; the worker does the compiling. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ReportJobs,
    @Inject(CONFIG) private readonly config: ReportingConfig,
  ) {}

  async request(input: ReportRequest): Promise<Report> {
    const report = this.dataSource.manager.create(Report, {
      id: randomUUID(),
      kind: input.kind,
      format: input.format,
      filters: input.institution ? { institution: input.institution } : {},
      status: 'queued',
      fileName: null,
      rowCount: null,
      sha256: null,
      error: null,
      compiledAt: null,
    });
    // In a transaction, like every change: that is what hands the actor to the audit trail.
    await this.dataSource.transaction((manager) => manager.insert(Report, report));
    const context = currentContext();
    try {
      await this.jobs.enqueueCompile(report.id, {
        correlationId: context?.correlationId,
        causationId: context?.causationId,
      });
    } catch (error) {
      // The row is what counts: the worker's reconciler enqueues queued reports it finds without a job.
      this.logger.warn({
        msg: 'could not enqueue report; it stays queued',
        reportId: report.id,
        error: (error as Error).message,
      });
    }
    return report;
  }

  async get(id: string): Promise<Report> {
    const report = await this.dataSource.manager.findOneBy(Report, { id });
    if (!report) throw DomainError.notFound('Report', id);
    return report;
  }

  async list(page: { limit: number; offset: number }): Promise<{ items: Report[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(Report, {
      order: { requestedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  async openFile(id: string): Promise<ReportFile> {
    const report = await this.get(id);
    if (report.status !== 'ready' || !report.fileName) {
      throw new DomainError('conflict', `Report ${id} is ${report.status}, not ready`);
    }
    const path = join(this.config.REPORTS_DIR, report.fileName);
    const size = await stat(path).then(
      (info) => info.size,
      () => {
        throw new DomainError('not_found', `The file of report ${id} is no longer available`);
      },
    );
    return { fileName: report.fileName, size, stream: createReadStream(path) };
  }
}
