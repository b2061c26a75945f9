import { Logger } from '@nestjs/common';
import { csvLine, EventOutbox } from '@nmirf/platform';
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  annexDocument,
  matrixDocument,
  taskListDocument,
  treatyFollowUpDocument,
  type DocumentFormat,
} from '../documents/layouts';
import type { PdfPrinter } from '../documents/pdf-printer';
import { renderDocument } from '../documents/render';
import type { ReportDocument } from '../documents/report-document';
import { recommendationCount } from '../documents/report-model';
import { actionProgressCells, actionProgressQuery, ACTION_PROGRESS_COLUMNS } from './action-progress-report';
import { loadAnnexModel, loadTaskListModel, loadTreatyFollowUpModel } from './report-models';
import { Report, type ReportFormat } from './report.entity';

const FETCH_SIZE = 500;

export interface CompiledFile {
  fileName: string;
  rowCount: number;
  sha256: string;
  wordCount?: number | null;
}

/** One name per report: a re-run (after a crash, say) replaces the file rather than adding one. */
export function reportFileName(reportId: string, format: ReportFormat = 'csv'): string {
  return `${reportId}.${format}`;
}

export interface DocumentCompilerOptions {
  /** Prints PDFs; the worker's one Chromium. */
  pdf?: PdfPrinter;
  /** How long a compiled report is kept (REPORT_RETENTION_DAYS). */
  retentionDays?: number;
  /** Called with the written temporary file before it takes its name; tests stop a run here. */
  beforeRename?: (reportId: string, tmpPath: string) => Promise<void>;
}

/**
 * Turns a report row into a file in REPORTS_DIR. Safe to run again for the same report: it rewrites
 * the same file, and ReportCompiled is appended only by the run that moves the report to ready.
 */
export class ReportCompiler {
  private readonly logger = new Logger(ReportCompiler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly reportsDir: string,
    private readonly options: DocumentCompilerOptions = {},
  ) {}

  /** Returns false when there is no such report (nothing to do). */
  async compile(reportId: string): Promise<boolean> {
    // A ready report stays ready while it is rewritten: going back would announce it a second time.
    await this.dataSource.query(
      `UPDATE reports SET status = 'compiling', progress = 0 WHERE id = $1 AND status <> 'ready'`,
      [reportId],
    );
    const report = await this.dataSource.manager.findOneBy(Report, { id: reportId });
    if (!report) {
      this.logger.warn({ msg: 'report to compile does not exist', reportId });
      return false;
    }
    const file =
      report.kind === 'action-progress' ? await this.writeFile(report) : await this.writeDocument(report);
    await this.markReady(report, file);
    this.logger.log({ msg: 'report compiled', reportId, rowCount: file.rowCount });
    return true;
  }

  async markFailed(reportId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reports SET status = 'failed', error = $2 WHERE id = $1 AND status <> 'ready'`,
      [reportId, error.slice(0, 2_000)],
    );
  }

  /** Streams the rows through a cursor into `<id>.csv.tmp`, then renames it, so readers never see half a file. */
  private async writeFile(report: Report): Promise<CompiledFile> {
    if (report.kind !== 'action-progress' || report.format !== 'csv') {
      throw new Error(`Cannot compile a ${report.kind} report as ${report.format}`);
    }
    await mkdir(this.reportsDir, { recursive: true });
    const fileName = reportFileName(report.id);
    const finalPath = join(this.reportsDir, fileName);
    const tmpPath = `${finalPath}.tmp`;
    const hash = createHash('sha256');
    const handle = await open(tmpPath, 'w');
    let rowCount = 0;
    const write = async (text: string) => {
      hash.update(text, 'utf8');
      await handle.write(text, null, 'utf8');
    };
    try {
      await write(csvLine(ACTION_PROGRESS_COLUMNS));
      const { sql, parameters } = actionProgressQuery(report.filters);
      await this.withCursor(sql, parameters, async (rows) => {
        await write(rows.map((row) => csvLine(actionProgressCells(row))).join(''));
        rowCount += rows.length;
      });
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(tmpPath, { force: true });
      throw error;
    }
    await handle.close();
    await rename(tmpPath, finalPath);
    return { fileName, rowCount, sha256: hash.digest('hex') };
  }

  /**
   * Loads the model from the read model (one snapshot), lays it out in the report's language and
   * renders it; the file is written beside its final name and renamed, so a run that dies leaves at
   * most a temporary file that the next run overwrites.
   */
  private async writeDocument(report: Report): Promise<CompiledFile> {
    const format = report.format as DocumentFormat;
    const language = report.language;
    const started = performance.now();
    const { layout, rowCount } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      switch (report.kind) {
        case 'upr-annex':
        case 'thematic-matrix': {
          const model = await loadAnnexModel(manager, report.filters, language);
          const layout =
            report.kind === 'upr-annex' ? annexDocument(model, language) : matrixDocument(model, language);
          return {
            layout,
            rowCount: recommendationCount(model),
          };
        }
        case 'treaty-follow-up': {
          const model = await loadTreatyFollowUpModel(manager, report.filters);
          return { layout: treatyFollowUpDocument(model, language), rowCount: model.recommendations.length };
        }
        case 'task-list': {
          const model = await loadTaskListModel(manager, report.filters);
          return { layout: taskListDocument(model, language), rowCount: model.tasks.length };
        }
        default:
          throw new Error(`Cannot compile a ${report.kind} report as ${report.format}`);
      }
    });
    const loaded = performance.now();
    await this.setProgress(report.id, 40);
    // Rendering is most of the time (printing a PDF of 10,000 rows takes a while): 40 → 90 as it goes.
    let shown = 40;
    const bytes = await this.render(layout, format, async (done) => {
      const progress = 40 + Math.floor(50 * done);
      if (progress > shown) await this.setProgress(report.id, (shown = progress));
    });
    await this.setProgress(report.id, 90);
    this.logger.log({
      msg: 'report rendered',
      reportId: report.id,
      format,
      loadMs: Math.round(loaded - started),
      renderMs: Math.round(performance.now() - loaded),
    });
    await mkdir(this.reportsDir, { recursive: true });
    const fileName = reportFileName(report.id, report.format);
    const finalPath = join(this.reportsDir, fileName);
    const tmpPath = `${finalPath}.tmp`;
    const handle = await open(tmpPath, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.options.beforeRename?.(report.id, tmpPath);
    await rename(tmpPath, finalPath);
    return {
      fileName,
      rowCount,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      wordCount: layout.wordCount,
    };
  }

  private render(
    layout: ReportDocument,
    format: DocumentFormat,
    progress: (done: number) => Promise<void>,
  ): Promise<Buffer> {
    if (format === 'pdf' && !this.options.pdf) throw new Error('No PDF printer configured');
    return renderDocument(layout, format, this.options.pdf as PdfPrinter, { progress });
  }

  private async setProgress(reportId: string, progress: number): Promise<void> {
    await this.dataSource.transaction((manager) =>
      manager.query(`UPDATE reports SET progress = $2 WHERE id = $1 AND status = 'compiling'`, [
        reportId,
        progress,
      ]),
    );
  }

  /** A server-side cursor: memory stays flat however many actions there are, and all batches see one snapshot. */
  private async withCursor(
    sql: string,
    parameters: unknown[],
    onBatch: (rows: never[]) => Promise<void>,
  ): Promise<void> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`DECLARE report_rows NO SCROLL CURSOR FOR ${sql}`, parameters);
      for (;;) {
        const rows = await runner.query(`FETCH ${FETCH_SIZE} FROM report_rows`);
        if (rows.length === 0) break;
        await onBatch(rows);
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async markReady(report: Report, file: CompiledFile): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [current] = await manager.query(`SELECT status FROM reports WHERE id = $1 FOR UPDATE`, [
        report.id,
      ]);
      await manager.query(
        `UPDATE reports SET status = 'ready', file_name = $2, row_count = $3, sha256 = $4, error = NULL, compiled_at = now(),
                progress = 100, word_count = $5, expires_at = now() + make_interval(days => $6)
          WHERE id = $1`,
        [
          report.id,
          file.fileName,
          file.rowCount,
          file.sha256,
          file.wordCount ?? null,
          this.options.retentionDays ?? 30,
        ],
      );
      if (!current) return; // deleted while it was being compiled
      if (current.status === 'ready') return; // a re-run: already announced
      await this.outbox.append(manager, {
        case: 'reportCompiled',
        aggregateId: report.id,
        payload: {
          reportId: report.id,
          kind: report.kind,
          format: report.format,
          fileName: file.fileName,
          rowCount: file.rowCount,
          sha256: file.sha256,
        },
      });
    });
  }
}
