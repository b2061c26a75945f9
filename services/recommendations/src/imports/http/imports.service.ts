import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, DomainError, recordAudit, type BlobStore } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { RecommendationsConfig } from '../../config';
import { ImportRow, type RowOutcome } from '../import-row.entity';
import { Import, type ImportFormat } from '../import.entity';
import { importMessage, REASONS_SQL, type ImportSummary } from '../import-summary';
import type { ImportScheduler } from '../jobs/import-jobs';
import { IMPORT_SCHEDULER, IMPORT_STORE } from '../jobs/import-providers';
import { catalogueVersion } from '../jobs/run-import';
import type { MatrixContext } from '../mapping/matrix-mapper';

export interface UploadedImport {
  path: string;
  filename: string;
  format?: ImportFormat;
  dryRun: boolean;
  skipInvalid: boolean;
  matrix: MatrixContext;
  actor?: string;
}

/**
 * Takes uploads into the import storage and queues them for the worker, applies previews, and serves
 * imports' status, progress and row reports.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IMPORT_STORE) private readonly store: BlobStore,
    @Inject(IMPORT_SCHEDULER) private readonly scheduler: ImportScheduler,
    @Inject(CONFIG) private readonly config: RecommendationsConfig,
  ) {}

  /** The file goes to storage and the import is queued; the worker reads it from there. */
  async start(upload: UploadedImport): Promise<Import> {
    let stored: { sha256: string; size: number };
    try {
      stored = await this.store.put(createReadStream(upload.path), {
        maxBytes: this.config.IMPORT_MAX_BYTES,
        anyContent: true,
      });
    } finally {
      await rm(upload.path, { force: true });
    }
    const record = this.dataSource.manager.create(Import, {
      id: randomUUID(),
      format: upload.format ?? 'uhri',
      filename: upload.filename.slice(0, 255),
      byteSize: stored.size,
      sha256: stored.sha256,
      dryRun: upload.dryRun,
      skipInvalid: upload.skipInvalid,
      status: 'queued',
      phase: 'queued',
      options: {
        format: upload.format,
        documentSymbol: upload.matrix.documentSymbol,
        stateUnderReview: upload.matrix.stateUnderReview,
        uprSession: upload.matrix.uprSession,
      },
      actor: upload.actor ?? null,
      finishedAt: null,
      error: null,
      previewOf: null,
      catalogueVersion: null,
    });
    // Every change runs in a transaction: that is what hands the actor to the audit trail.
    await this.dataSource.transaction((manager) => manager.insert(Import, record));
    await this.scheduler.importQueued(record.id);
    return this.get(record.id);
  }

  /**
   * Applies a preview's plan without a second upload: a new import of the same file, which the worker
   * runs only if the catalogue is still the one the preview was planned against.
   */
  async apply(previewId: string, actor?: string): Promise<Import> {
    const applying = await this.dataSource.transaction(async (manager) => {
      const preview = await manager.findOne(Import, {
        where: { id: previewId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!preview) throw DomainError.notFound('Import', previewId);
      if (!preview.dryRun)
        throw new DomainError(
          'conflict',
          `Import ${previewId} is not a preview (dry run): it was applied or refused as it ran.`,
        );
      if (preview.status !== 'previewed')
        throw new DomainError(
          'conflict',
          `Preview ${previewId} is ${preview.status}; only a finished preview (status previewed) can be applied.`,
        );
      const [earlier]: { id: string; status: string }[] = await manager.query(
        `SELECT id, status FROM imports WHERE preview_of = $1 AND status NOT IN ('failed', 'rejected')
         ORDER BY started_at DESC LIMIT 1`,
        [previewId],
      );
      if (earlier)
        throw new DomainError(
          'conflict',
          `Preview ${previewId} is already being applied or applied: import ${earlier.id} (${earlier.status}).`,
        );
      if (preview.catalogueVersion !== (await catalogueVersion(manager)))
        throw new DomainError(
          'conflict',
          'The catalogue changed after this preview was made, so its plan may no longer hold. Import the file again as a dry run, check the new preview and apply it.',
        );
      const record = manager.create(Import, {
        id: randomUUID(),
        format: preview.format,
        filename: preview.filename,
        byteSize: preview.byteSize,
        sha256: preview.sha256,
        dryRun: false,
        skipInvalid: preview.skipInvalid,
        status: 'queued',
        phase: 'queued',
        options: preview.options,
        actor: actor ?? null,
        finishedAt: null,
        error: null,
        previewOf: preview.id,
        catalogueVersion: preview.catalogueVersion,
      });
      await manager.insert(Import, record);
      await recordAudit(manager, {
        entity: 'imports',
        entityId: preview.id,
        action: 'import.preview_applied',
        after: { appliedAs: record.id, catalogueVersion: preview.catalogueVersion },
      });
      return record;
    });
    await this.scheduler.importQueued(applying.id);
    return this.get(applying.id);
  }

  async get(id: string): Promise<Import> {
    const found = await this.dataSource.manager.findOneBy(Import, { id });
    if (!found) throw DomainError.notFound('Import', id);
    return found;
  }

  /** The import with what it did in one sentence, and its rejections and warnings counted by reason. */
  async describe(id: string): Promise<Import & { summary: ImportSummary }> {
    const found = await this.get(id);
    const [rejections, warnings] = await Promise.all([
      this.dataSource.query(REASONS_SQL('problems'), [id]),
      this.dataSource.query(REASONS_SQL('warnings'), [id]),
    ]);
    return { ...found, summary: { message: importMessage(found), rejections, warnings } };
  }

  async list(page: { limit: number; offset: number }) {
    const [items, total] = await this.dataSource.manager.findAndCount(Import, {
      order: { startedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  async rows(id: string, filter: { outcome?: RowOutcome; limit: number; offset: number }) {
    await this.get(id);
    const [items, total] = await this.dataSource.manager.findAndCount(ImportRow, {
      where: { importId: id, ...(filter.outcome ? { outcome: filter.outcome } : {}) },
      order: { rowNumber: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }
}
