import { BadRequestException, ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import {
  actsFor,
  CONFIG,
  currentContext,
  DomainError,
  visibleInstitutions,
  type Principal,
} from '@nmirf/platform';
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import type { ReportLanguage } from '../documents/messages';
import { MEDIA_TYPES } from '../documents/render';
import { ReportJobs } from './report-jobs';
import {
  FORMATS_OF_KIND,
  Report,
  type ReportFilters,
  type ReportFormat,
  type ReportKind,
} from './report.entity';

export interface ReportRequest extends ReportFilters {
  kind: ReportKind;
  format: ReportFormat;
  language?: ReportLanguage;
}

export interface ReportFile {
  fileName: string;
  mediaType: string;
  size: number;
  stream: ReadStream;
}

/** What each kind needs to know what it covers. */
const REQUIRED_FILTERS: Record<ReportKind, (keyof ReportFilters)[]> = {
  'action-progress': [],
  'upr-annex': ['state', 'cycle'],
  'thematic-matrix': ['state', 'cycle'],
  'treaty-follow-up': ['committee', 'state', 'documentSymbol'],
  'task-list': ['institution'],
};

function filtersOf(input: ReportRequest): ReportFilters {
  const filters: ReportFilters = {};
  for (const key of [
    'institution',
    'state',
    'cycle',
    'committee',
    'documentSymbol',
    'paragraphs',
    'groupBy',
  ] as const) {
    if (input[key] !== undefined) (filters as Record<string, unknown>)[key] = input[key];
  }
  return filters;
}

const sameInstitution = (a: string, b: string) =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * Requesting, listing and downloading reports; the worker does the compiling. The coordinator asks
 * for any report; a focal point only for the task list of their own institution, and sees only
 * those (another institution's report is 404, as if it did not exist).
 */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ReportJobs,
    @Inject(CONFIG) private readonly config: ReportingConfig,
  ) {}

  async request(input: ReportRequest, caller?: Principal): Promise<Report> {
    if (!FORMATS_OF_KIND[input.kind].includes(input.format)) {
      throw new BadRequestException({
        message: `A ${input.kind} report is produced as ${FORMATS_OF_KIND[input.kind].join(', ')}`,
        errors: [
          { field: 'format', messages: [`format must be one of ${FORMATS_OF_KIND[input.kind].join(', ')}`] },
        ],
      });
    }
    const missing = REQUIRED_FILTERS[input.kind].filter((key) => input[key] === undefined);
    if (missing.length > 0) {
      throw new BadRequestException({
        message: `A ${input.kind} report needs ${missing.join(', ')}`,
        errors: missing.map((field) => ({ field, messages: [`${field} is required for ${input.kind}`] })),
      });
    }
    if (input.groupBy !== undefined && input.kind !== 'upr-annex' && input.kind !== 'thematic-matrix') {
      throw new BadRequestException({
        message: `A ${input.kind} report is not grouped`,
        errors: [{ field: 'groupBy', messages: ['groupBy is for upr-annex and thematic-matrix only'] }],
      });
    }
    const filters = filtersOf(input);
    if (caller && visibleInstitutions(caller) !== undefined) {
      if (input.kind !== 'task-list' || !filters.institution || !actsFor(caller, filters.institution)) {
        throw new ForbiddenException('A focal point may ask only for the task list of their own institution');
      }
    }
    const report = this.dataSource.manager.create(Report, {
      id: randomUUID(),
      kind: input.kind,
      format: input.format,
      language: input.language ?? 'en',
      filters,
      status: 'queued',
      progress: 0,
      requestedBy: caller?.subject ?? null,
      fileName: null,
      rowCount: null,
      sha256: null,
      error: null,
      compiledAt: null,
      wordCount: null,
      expiresAt: null,
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

  /** 404 for a report that is not there, has expired, or is another institution's. */
  async get(id: string, caller?: Principal): Promise<Report> {
    const report = await this.dataSource.manager.findOneBy(Report, { id });
    if (
      !report ||
      (report.expiresAt && report.expiresAt.getTime() <= Date.now()) ||
      !this.mayRead(report, caller)
    ) {
      throw DomainError.notFound('Report', id);
    }
    return report;
  }

  async list(
    page: { limit: number; offset: number },
    caller?: Principal,
  ): Promise<{ items: Report[]; total: number }> {
    const institutions = caller ? visibleInstitutions(caller) : undefined;
    const query = this.dataSource.manager
      .createQueryBuilder(Report, 'report')
      .where('(report.expiresAt IS NULL OR report.expiresAt > now())')
      .orderBy('report.requestedAt', 'DESC')
      .addOrderBy('report.id', 'ASC')
      .limit(page.limit)
      .offset(page.offset);
    if (institutions !== undefined) {
      query.andWhere(
        `report.kind = 'task-list' AND lower(report.filters ->> 'institution') IN (:...institutions)`,
        {
          institutions: institutions.length ? institutions.map((name) => name.toLowerCase()) : [''],
        },
      );
    }
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  async openFile(id: string, caller?: Principal): Promise<ReportFile> {
    const report = await this.get(id, caller);
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
    const mediaType = report.format === 'csv' ? 'text/csv; charset=utf-8' : MEDIA_TYPES[report.format];
    return { fileName: report.fileName, mediaType, size, stream: createReadStream(path) };
  }

  private mayRead(report: Report, caller?: Principal): boolean {
    if (!caller || visibleInstitutions(caller) === undefined) return true;
    const institution = report.filters.institution;
    return (
      report.kind === 'task-list' &&
      institution !== undefined &&
      caller.institutions.some((own) => sameInstitution(own, institution))
    );
  }
}
