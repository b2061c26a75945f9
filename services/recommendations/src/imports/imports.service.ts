import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CONFIG, DomainError, EventOutbox } from '@nmirf/platform';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { RecommendationsConfig } from '../config';
import { LinksService } from '../links/links.service';
import { ImportRow, type RowOutcome } from './import-row.entity';
import { Import, type ImportFormat } from './import.entity';
import { RecommendationImporter, type ImportResult } from './importer';
import { importMessage, REASONS_SQL, type ImportSummary } from './import-summary';
import type { MatrixContext } from './matrix-mapper';

export interface UploadedImport {
  path: string;
  filename: string;
  size: number;
  format?: ImportFormat;
  dryRun: boolean;
  skipInvalid: boolean;
  matrix: MatrixContext;
  actor?: string;
}

/** Starts imports in the background, keeps their status and serves their row reports. */
@Injectable()
export class ImportsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportsService.name);
  private readonly importer: RecommendationImporter;
  private readonly running = new Map<string, Promise<Import>>();

  constructor(
    private readonly dataSource: DataSource,
    outbox: EventOutbox,
    private readonly links: LinksService,
    @Inject(CONFIG) private readonly config: RecommendationsConfig,
  ) {
    this.importer = new RecommendationImporter(dataSource, outbox);
  }

  /** Imports left "running" by a stopped server were rolled back with it: say so. */
  async onModuleInit(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [{ free }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('recommendations.import')) AS free`,
      );
      if (!free) return;
      await manager.query(
        `UPDATE imports SET status = 'failed', finished_at = now(),
           error = '{"code":"interrupted","message":"The server stopped during the import; nothing was applied. Upload the file again."}'
         WHERE status = 'running'`,
      );
    });
  }

  /** Imports in progress finish (or roll back) before the database connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  async start(upload: UploadedImport): Promise<{ record: Import; done: Promise<Import> }> {
    const record = this.dataSource.manager.create(Import, {
      id: randomUUID(),
      format: upload.format ?? 'uhri',
      filename: upload.filename.slice(0, 255),
      byteSize: upload.size,
      sha256: await sha256(upload.path),
      dryRun: upload.dryRun,
      skipInvalid: upload.skipInvalid,
      status: 'running',
      actor: upload.actor ?? null,
      finishedAt: null,
      error: null,
    });
    // Every change runs in a transaction: that is what hands the actor to the audit trail.
    await this.dataSource.transaction((manager) => manager.insert(Import, record));
    const done = this.execute(record, upload).finally(() => this.running.delete(record.id));
    this.running.set(record.id, done);
    return { record, done };
  }

  private async execute(record: Import, upload: UploadedImport): Promise<Import> {
    try {
      const result = await this.importer.run({
        importId: record.id,
        path: upload.path,
        format: upload.format,
        dryRun: upload.dryRun,
        skipInvalid: upload.skipInvalid,
        matrix: upload.matrix,
        limits: {
          maxFileBytes: this.config.IMPORT_MAX_BYTES,
          maxUncompressedBytes: this.config.IMPORT_MAX_UNCOMPRESSED_BYTES,
        },
      });
      await this.dataSource.transaction((manager) =>
        manager.update(Import, record.id, {
          status: result.status,
          format: result.format ?? record.format,
          rowsRead: result.rowsRead,
          ...result.counts,
          error:
            result.error ?? (result.status === 'rejected' ? rowsRejected(record.id, result.counts) : null),
          finishedAt: new Date(),
        }),
      );
      if (result.status === 'applied' && result.statesTouched.length > 0) {
        // Detection can take a while on a large catalogue: the import is final without it.
        await this.dataSource.transaction((manager) =>
          manager.update(Import, record.id, { linksStatus: 'running' }),
        );
        const detection = this.detectLinks(record.id, result.statesTouched);
        this.running.set(`${record.id}:links`, detection);
        void detection.finally(() => this.running.delete(`${record.id}:links`));
      }
    } finally {
      await rm(upload.path, { force: true });
    }
    return this.get(record.id);
  }

  private async detectLinks(importId: string, states: string[]): Promise<Import> {
    let linksStatus: 'done' | 'failed' = 'done';
    try {
      await this.links.detectForStates(states);
    } catch (error) {
      linksStatus = 'failed';
      this.logger.error(`Link detection after import ${importId} failed: ${String(error)}`);
    }
    await this.dataSource
      .transaction((manager) => manager.update(Import, importId, { linksStatus }))
      .catch(() => undefined);
    return this.get(importId);
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

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
