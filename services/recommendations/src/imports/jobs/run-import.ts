import { Logger } from '@nestjs/common';
import {
  BlobNotFoundError,
  currentContext,
  newCorrelationId,
  runWithContext,
  type BlobStore,
  type RequestContext,
  type EventOutbox,
} from '@nmirf/platform';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReaderLimits } from '../formats';
import { ImportRefusedError, RecommendationImporter, type ImportResult } from '../pipeline/importer';
import type { Import, ImportPhase } from '../import.entity';
import type { ImportScheduler } from './import-jobs';

type Actor = NonNullable<RequestContext['actor']>;

export interface RunImportSettings {
  /** Where the worker copies a file from storage while it reads it. */
  workDir: string;
  limits: Partial<ReaderLimits>;
  /** Runs of one import before it is given up: a file that stops the worker every time. */
  maxAttempts: number;
}

/** The catalogue's version: a sequence bumped by every statement that changes recommendations. */
export const CATALOGUE_VERSION_SQL = `SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS version FROM catalogue_version`;

export async function catalogueVersion(manager: Pick<EntityManager, 'query'>): Promise<number> {
  const [{ version }] = await manager.query(CATALOGUE_VERSION_SQL);
  return Number(version);
}

const ENDED_PHASE: Record<'previewed' | 'rejected' | 'failed', ImportPhase> = {
  previewed: 'done',
  rejected: 'refused',
  failed: 'failed',
};

/** Another run took this import over (the job was restarted while this one still ran). */
const SUPERSEDED = 'superseded';

/**
 * Runs one queued import from its stored file. A run starts from scratch: whatever an interrupted run
 * wrote was rolled back with its transaction (its row reports are deleted here), and the import's own
 * status is set to applied in the transaction that applies it, so a run after a commit finds the
 * import finished and does nothing. Never half-applied, never applied twice, events written once.
 */
export class RunImport {
  private readonly logger = new Logger(RunImport.name);
  private readonly importer: RecommendationImporter;

  constructor(
    private readonly dataSource: DataSource,
    outbox: EventOutbox,
    private readonly store: BlobStore,
    private readonly scheduler: ImportScheduler,
    private readonly settings: RunImportSettings,
  ) {
    this.importer = new RecommendationImporter(dataSource, outbox);
  }

  async run(importId: string): Promise<void> {
    const record = await this.claim(importId);
    if (!record) return;
    if (record.attempts > this.settings.maxAttempts) {
      await this.end(record, {
        status: 'failed',
        error: {
          code: 'gave_up',
          message: `The import stopped the worker ${record.attempts - 1} times; nothing was applied. Check the file, or ask an administrator to look at the worker's logs.`,
        },
      });
      return;
    }
    await mkdir(this.settings.workDir, { recursive: true });
    const path = join(this.settings.workDir, record.id);
    try {
      try {
        await pipeline(await this.store.get(record.sha256), createWriteStream(path));
      } catch (error) {
        if (!(error instanceof BlobNotFoundError)) throw error;
        // Gone from storage (deleted by hand, or another bucket configured): no run can read it.
        await this.end(record, {
          status: 'failed',
          error: {
            code: 'file_missing',
            message:
              'The uploaded file is no longer in the import storage; nothing was applied. Upload it again.',
          },
        });
        return;
      }
      await this.phase(record, 'planning');
      const result = await asActor(await this.uploader(record), () =>
        this.importer.run({
          importId: record.id,
          path,
          format: record.options.format,
          dryRun: record.dryRun,
          skipInvalid: record.skipInvalid,
          matrix: {
            documentSymbol: record.options.documentSymbol,
            stateUnderReview: record.options.stateUnderReview,
            uprSession: record.options.uprSession,
          },
          limits: this.settings.limits,
          onStart: (manager) => this.started(record, manager),
          onProgress: (progress) => this.progress(record, progress),
          beforeCommit: (manager, applied) => this.applied(record, manager, applied),
        }),
      );
      if (result.status === 'applied') {
        if (result.statesTouched.length > 0) await this.scheduler.linksQueued(record.id);
      } else if (result.error?.code !== SUPERSEDED) {
        await this.end(record, result);
      }
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Who uploaded the file (or asked for the preview to be applied), as the upload's audit names them. */
  private async uploader(record: Import): Promise<Actor | undefined> {
    if (!record.actor) return undefined;
    const [row]: { kind: Actor['kind']; name: string | null; institution: string | null }[] =
      await this.dataSource.query(
        `SELECT actor_kind AS kind, actor_name AS name, actor_institution AS institution FROM audit_record
         WHERE entity = 'imports' AND entity_id = $1 AND actor_id = $2 ORDER BY id LIMIT 1`,
        [record.id, record.actor],
      );
    return {
      kind: row?.kind ?? 'user',
      id: record.actor,
      name: row?.name ?? undefined,
      institution: row?.institution ?? undefined,
    };
  }

  /** Marks the import running for this run and clears what an interrupted run reported. */
  private async claim(importId: string): Promise<Import | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [Import[]] = await manager.query(
        `UPDATE imports SET status = 'running', phase = 'reading', attempts = attempts + 1, rows_read = 0,
           rows_applied = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, error = NULL
         WHERE id = $1 AND status IN ('queued', 'running')
         RETURNING id, filename, sha256, dry_run AS "dryRun", skip_invalid AS "skipInvalid", options,
           attempts, catalogue_version::text AS "catalogueVersion", preview_of AS "previewOf", actor`,
        [importId],
      );
      const record = rows[0];
      if (!record) return undefined;
      await manager.query(`DELETE FROM import_rows WHERE import_id = $1`, [importId]);
      return {
        ...record,
        catalogueVersion: record.catalogueVersion === null ? null : Number(record.catalogueVersion),
      };
    });
  }

  /**
   * Under the import lock: stops if another run took over; a preview notes the catalogue it plans
   * against (its own rolled-back writes do not count), an apply checks it still finds it.
   */
  private async started(record: Import, manager: EntityManager): Promise<void> {
    const [current] = await manager.query(`SELECT status, attempts FROM imports WHERE id = $1`, [record.id]);
    if (current?.status !== 'running' || current.attempts !== record.attempts) {
      throw new ImportRefusedError(SUPERSEDED, 'Another run of this import took over.');
    }
    const version = await catalogueVersion(manager);
    if (record.dryRun) {
      await manager.query(`SET LOCAL nmirf.import_preview = 'on'`);
      // Outside the import's transaction, which a preview rolls back.
      await this.dataSource.query(`UPDATE imports SET catalogue_version = $2 WHERE id = $1`, [
        record.id,
        version,
      ]);
    } else if (record.previewOf && record.catalogueVersion !== version) {
      throw new ImportRefusedError(
        'catalogue_changed',
        'The catalogue changed after the preview was made, so its plan may no longer hold; nothing was applied. Import the file again as a dry run, check the new preview and apply it.',
      );
    }
  }

  private async phase(record: Import, phase: ImportPhase): Promise<void> {
    await this.dataSource.query(`UPDATE imports SET phase = $2 WHERE id = $1 AND attempts = $3`, [
      record.id,
      phase,
      record.attempts,
    ]);
  }

  /** After each batch: the rows written so far (a preview's are planned, never applied). */
  private async progress(record: Import, progress: ImportResult): Promise<void> {
    const { created, updated, unchanged } = progress.counts;
    await this.dataSource.query(
      `UPDATE imports SET phase = $2, rows_applied = $3 WHERE id = $1 AND attempts = $4`,
      [
        record.id,
        record.dryRun ? 'planning' : 'applying',
        record.dryRun ? 0 : created + updated + unchanged,
        record.attempts,
      ],
    );
  }

  /** In the import's transaction: the import is applied exactly when its changes are. */
  private async applied(record: Import, manager: EntityManager, result: ImportResult): Promise<void> {
    const linking = result.statesTouched.length > 0;
    const { created, updated, unchanged, rejected } = result.counts;
    const [finished]: [unknown[]] = await manager.query(
      `UPDATE imports SET status = 'applied', phase = $2, format = coalesce($3, format), rows_read = $4,
         created = $5, updated = $6, unchanged = $7, rejected = $8, rows_applied = $5::int + $6::int + $7::int,
         touched_states = $9, links_status = $10, error = NULL, finished_at = now()
       WHERE id = $1 AND status = 'running' AND attempts = $11
       RETURNING id`,
      [
        record.id,
        linking ? 'linking' : 'done',
        result.format ?? null,
        result.rowsRead,
        created,
        updated,
        unchanged,
        rejected,
        result.statesTouched,
        linking ? 'queued' : null,
        record.attempts,
      ],
    );
    // A restarted job took the import over meanwhile: roll back, and let that run apply it.
    if (finished.length === 0)
      throw new ImportRefusedError(SUPERSEDED, 'Another run of this import took over.');
  }

  /** An import that applied nothing: previewed, refused or failed, and what its rows report says. */
  private async end(
    record: Import,
    result: Pick<ImportResult, 'status' | 'error'> & Partial<ImportResult>,
  ): Promise<void> {
    const status = result.status as keyof typeof ENDED_PHASE;
    const counts = result.counts ?? { created: 0, updated: 0, unchanged: 0, rejected: 0 };
    const error = result.error ?? (status === 'rejected' ? rowsRejected(record.id, counts) : null);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE imports SET status = $2, phase = $3, format = coalesce($4, format), rows_read = $5,
           created = $6, updated = $7, unchanged = $8, rejected = $9, rows_applied = 0, error = $10,
           finished_at = now()
         WHERE id = $1 AND status = 'running' AND attempts = $11`,
        [
          record.id,
          status,
          ENDED_PHASE[status],
          result.format ?? null,
          result.rowsRead ?? 0,
          counts.created,
          counts.updated,
          counts.unchanged,
          counts.rejected,
          error,
          record.attempts,
        ],
      );
      // Nothing was created: a row report must not name a record that does not exist.
      await manager.query(
        `UPDATE import_rows SET recommendation_id = NULL WHERE import_id = $1 AND outcome = 'created'`,
        [record.id],
      );
    });
    if (status === 'failed' && result.error?.code === 'internal') {
      this.logger.error({ msg: 'import failed', importId: record.id });
    }
  }
}

/**
 * The import's changes are the uploader's: its audit record and events name the person who uploaded
 * the file, not the queue that ran it. An import without one (a service's) keeps the job's actor.
 */
function asActor<T>(actor: Actor | undefined, work: () => Promise<T>): Promise<T> {
  if (!actor) return work();
  const context = currentContext();
  const correlationId = context?.correlationId ?? newCorrelationId();
  return runWithContext(
    {
      ...context,
      correlationId,
      causationId: context?.causationId ?? correlationId,
      actor,
    },
    work,
  );
}

/** Why a refused import applied nothing, and where to read the rows. */
function rowsRejected(id: string, counts: ImportResult['counts']): { code: string; message: string } {
  const valid = counts.created + counts.updated + counts.unchanged;
  return {
    code: 'rows_rejected',
    message:
      valid === 0
        ? `Every row was rejected (${counts.rejected}); nothing was applied. The summary counts the reasons; GET /imports/${id}/rows?outcome=rejected lists every row.`
        : `${counts.rejected} row(s) were rejected, so nothing was applied. Correct them, or import again with skipInvalid=true to apply the ${valid} valid row(s); GET /imports/${id}/rows?outcome=rejected lists them.`,
  };
}
