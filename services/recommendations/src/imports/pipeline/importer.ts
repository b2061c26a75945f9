import { Logger } from '@nestjs/common';
import type { EventOutbox, PendingEvent } from '@nmirf/platform';
import { importPhaseSeconds, importRows, recordAudit, suspendRowAudit } from '@nmirf/platform';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { recommendationCreated, recommendationUpdated } from '../../recommendations/recommendation-events';
import { FileFormatError, type ReaderLimits } from '../formats';
import type { MappedRow } from '../../catalogue/merged-record';
import type { ImportFormat, ImportStatus } from '../import.entity';
import { planBatch, type RowReport } from '../../catalogue/batch-plan';
import type { MatrixContext } from '../mapping/matrix-mapper';
import { mappedBatchesInThread, type MappedBatches } from './mapped-batches';
import { insertRowReports, RecommendationStore } from './recommendation-store';
import { WrongLayoutError } from '../mapping/vocabulary';

// Large enough that per-statement costs vanish; a batch of UHRI rows holds a few MB.
const BATCH_SIZE = 2000;
// One import at a time per database: two concurrent imports of the same file would both "create".
const IMPORT_LOCK = 'SELECT pg_advisory_xact_lock(hashtext($1))';

export interface ImportJob {
  importId: string;
  path: string;
  format?: ImportFormat;
  dryRun: boolean;
  skipInvalid: boolean;
  matrix: MatrixContext;
  limits?: Partial<ReaderLimits>;
  /** Rows per batch (tests make it small, so that rows of one file meet across batches). */
  batchSize?: number;
  /** In the import's transaction once it holds the import lock; throw ImportRefusedError to refuse. */
  onStart?: (manager: EntityManager) => Promise<void>;
  /** After each batch, with the counts so far. */
  onProgress?: (progress: ImportResult) => Promise<void>;
  /** In the import's transaction just before it commits: what must be applied together with it. */
  beforeCommit?: (manager: EntityManager, result: ImportResult) => Promise<void>;
}

/** The caller's reason to refuse an import (onStart); becomes the import's error as it is. */
export class ImportRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportResult {
  status: ImportStatus;
  format?: ImportFormat;
  counts: Record<'created' | 'updated' | 'unchanged' | 'rejected', number>;
  rowsRead: number;
  error?: { code: string; message: string };
  /** States whose recommendations changed, for link detection. */
  statesTouched: string[];
}

/**
 * Streams a file into the catalogue in one transaction: batches are planned against what is stored,
 * applied, and reported row by row. A dry run, or rejected rows without skipInvalid, roll it all back;
 * the row report is written on a second connection so it survives either way.
 */
export class RecommendationImporter {
  private readonly logger = new Logger(RecommendationImporter.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async run(job: ImportJob): Promise<ImportResult> {
    const work = this.dataSource.createQueryRunner();
    const report = this.dataSource.createQueryRunner();
    const result: ImportResult = {
      status: 'running',
      format: job.format,
      counts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
      rowsRead: 0,
      statesTouched: [],
    };
    const states = new Set<string>();
    let batches: MappedBatches | undefined;
    let next: Promise<MappedRow[]> | undefined;
    let reporting: Promise<unknown> = Promise.resolve();
    try {
      await work.connect();
      await report.connect();
      await work.startTransaction();
      await work.query(IMPORT_LOCK, ['recommendations.import']);
      // One audit record for the whole file instead of one per row.
      await suspendRowAudit(work.manager);
      // The catalogue's version moves once, at commit: a refused import must leave it as it was.
      await work.query(`SELECT set_config('nmirf.catalogue_version_deferred', 'on', true)`);
      await job.onStart?.(work.manager);
      const store = new RecommendationStore(work.manager);
      await store.deferGinMerges();
      batches = mappedBatchesInThread(
        job.path,
        {
          format: job.format,
          matrix: job.matrix,
          limits: job.limits,
          onFormat: (format) => (result.format = format),
        },
        job.batchSize ?? BATCH_SIZE,
      );
      // The next batch is parsed, in its own thread, while the database writes this one.
      next = awaitedLater(batches.next());
      for (let written = 0; ; written++) {
        // Time spent waiting for the parser: zero while it keeps ahead of the database.
        const waiting = importPhaseSeconds.startTimer({ phase: 'parse' });
        const batch = await next;
        waiting();
        if (batch.length === 0) break;
        importRows.inc({ phase: 'parse' }, batch.length);
        next = awaitedLater(batches.next());
        // At batches 1, 4, 16, 64…: statistics keep up with the table's growth at little cost.
        if (written > 0 && (written & (written - 1)) === 0 && Math.log2(written) % 2 === 0) {
          await store.refreshStatistics();
        }
        const writing = importPhaseSeconds.startTimer({ phase: 'write' });
        const reports = await this.applyBatch(store, batch, job.importId, states);
        writing();
        importRows.inc({ phase: 'write' }, reports.length);
        for (const row of reports) result.counts[row.outcome as keyof ImportResult['counts']] += 1;
        result.rowsRead += reports.length;
        // The row report goes on its own connection while the next batch is written.
        await reporting;
        const progress = { ...result, counts: { ...result.counts } };
        reporting = awaitedLater(
          insertRowReports(report.manager, job.importId, reports)
            .then(() => this.progress(report, job.importId, progress))
            .then(() => job.onProgress?.(progress)),
        );
      }
      await reporting;
      await batches.close();

      const { created, updated, unchanged, rejected } = result.counts;
      // skipInvalid applies the valid rows; with none, the import is refused like any other.
      const keep = !job.dryRun && (rejected === 0 || (job.skipInvalid && created + updated + unchanged > 0));
      if (keep) {
        await recordAudit(work.manager, {
          entity: 'imports',
          entityId: job.importId,
          action: 'import.applied',
          after: { format: result.format, rowsRead: result.rowsRead, ...result.counts, states: [...states] },
        });
        result.status = 'applied';
        result.statesTouched = [...states];
        await job.beforeCommit?.(work.manager, result);
        if (created + updated > 0) await work.query(`SELECT nextval('catalogue_version')`);
        const merging = importPhaseSeconds.startTimer({ phase: 'index' });
        await store.mergeGinPendingLists();
        merging();
        const committing = importPhaseSeconds.startTimer({ phase: 'commit' });
        await work.commitTransaction();
        committing();
      } else {
        await work.rollbackTransaction();
        result.status = job.dryRun ? 'previewed' : 'rejected';
        await mergeAbortedEntries(work);
      }
    } catch (error) {
      // Stop reading: the reader closes the file and removes its temporary files.
      await next?.catch(() => undefined);
      await reporting.catch(() => undefined);
      await batches?.close().catch(() => undefined);
      if (work.isTransactionActive) await work.rollbackTransaction().catch(() => undefined);
      await mergeAbortedEntries(work);
      result.status = 'failed';
      result.error = describe(error);
      if (result.error.code === 'internal')
        this.logger.error(`Import ${job.importId} failed: ${String(error)}`);
      // A file that cannot be read to its end has no meaningful row report.
      await report
        .query('DELETE FROM import_rows WHERE import_id = $1', [job.importId])
        .catch(() => undefined);
    } finally {
      await work.release();
      await report.release();
    }
    return result;
  }

  private async applyBatch(
    store: RecommendationStore,
    rows: MappedRow[],
    importId: string,
    states: Set<string>,
  ): Promise<RowReport[]> {
    await this.dateFromOutcomeReport(store, rows);
    const records = rows.flatMap((row) => (row.record ? [row.record] : []));
    const plan = planBatch(rows, await store.findMatching(records), importId);
    await store.apply(plan, importId);
    // An import leaves the coordinator's publication as it is; the events carry it.
    const published = await store.publishedAmong(plan.updated.map(({ id }) => id));
    const events: PendingEvent[] = [
      ...plan.created.map(({ id, fields }) =>
        recommendationCreated(id, fields, fields.position ?? 'pending'),
      ),
      ...plan.updated.map(({ id, version, fields, editedPosition, changes }) =>
        recommendationUpdated(
          id,
          version,
          fields,
          editedPosition ?? fields.position ?? 'pending',
          Object.keys(changes),
          published.has(id),
        ),
      ),
    ];
    if (events.length > 0) await this.outbox.append(store.manager, ...events);
    for (const { fields } of [...plan.created, ...plan.updated]) {
      if (fields.stateUnderReview) states.add(fields.stateUnderReview);
    }
    return plan.rows;
  }

  /**
   * A matrix carries no publication date: its records take the date the catalogue already knows for
   * their outcome report (from a UHRI export of the same report), so date filters find them. Without
   * one the date stays empty until such an export is imported.
   */
  private async dateFromOutcomeReport(store: RecommendationStore, rows: MappedRow[]) {
    const undated = rows.flatMap((row) =>
      row.record?.source === 'upr_matrix' && !row.record.publishedOn ? [{ row, record: row.record }] : [],
    );
    if (undated.length === 0) return;
    const dates = await store.publicationDates(undated.map(({ record }) => record.documentSymbol));
    for (const { row, record } of undated) {
      record.publishedOn = dates.get(record.documentSymbol) ?? null;
      // The reader hashed the record as the file gave it.
      row.hash = undefined;
    }
  }

  private async progress(report: QueryRunner, importId: string, result: ImportResult): Promise<void> {
    await report.query(
      `UPDATE imports SET rows_read = $2, created = $3, updated = $4, unchanged = $5, rejected = $6,
         format = coalesce($7, format) WHERE id = $1`,
      [
        importId,
        result.rowsRead,
        result.counts.created,
        result.counts.updated,
        result.counts.unchanged,
        result.counts.rejected,
        result.format ?? null,
      ],
    );
  }
}

/** What a rolled-back import left in the GIN pending lists would slow searches until autovacuum. */
/**
 * Work started now and awaited after other work: it is marked handled meanwhile, since a failure
 * with no handler yet (a lost connection, a broken file) would end the process as an unhandled
 * rejection. Awaiting it still throws the failure.
 */
export function awaitedLater<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

async function mergeAbortedEntries(work: QueryRunner): Promise<void> {
  try {
    await work.startTransaction();
    await new RecommendationStore(work.manager).mergeGinPendingLists();
    await work.commitTransaction();
  } catch {
    // Best effort: autovacuum merges them later.
    if (work.isTransactionActive) await work.rollbackTransaction().catch(() => undefined);
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof ImportRefusedError) return { code: error.code, message: error.message };
  if (error instanceof FileFormatError) return { code: error.code, message: error.message };
  if (error instanceof WrongLayoutError) return { code: error.code, message: error.message };
  return {
    code: 'internal',
    message: 'The import stopped on a server error; nothing was applied. Try again later.',
  };
}
