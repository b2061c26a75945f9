import type { JobSource, PlannedJob, PlanningWindow } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import { detectLinksJobId, ImportJobNames, runImportJobId, type ImportJobData } from './import-jobs';

/**
 * What the `imports` queue must hold: a run-import job for every queued or running import, and a
 * detect-import-links job for every import whose link detection is queued or running. Imports in
 * flight are few, so one query reads them all.
 */
export class ImportJobSource implements JobSource<ImportJobData> {
  readonly kinds = Object.values(ImportJobNames);

  constructor(private readonly dataSource: DataSource) {}

  async *expected({ now }: PlanningWindow): AsyncIterable<PlannedJob<ImportJobData>> {
    const rows: { id: string; kind: 'run' | 'links' }[] = await this.dataSource.query(
      `SELECT id, 'run' AS kind FROM imports WHERE status IN ('queued', 'running')
       UNION ALL
       SELECT id, 'links' FROM imports WHERE links_status IN ('queued', 'running')
       ORDER BY id`,
    );
    for (const { id, kind } of rows) {
      yield kind === 'run'
        ? {
            id: runImportJobId(id),
            kind: ImportJobNames['run-import'],
            data: { importId: id },
            runAt: now,
            row: id,
          }
        : {
            id: detectLinksJobId(id),
            kind: ImportJobNames['detect-import-links'],
            data: { importId: id },
            runAt: now,
            row: id,
          };
    }
  }
}
