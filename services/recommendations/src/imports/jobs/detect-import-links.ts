import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LinksService } from '../../links/links.service';

/**
 * Link detection over the States an applied import touched. The import is final without it; running
 * it again (a restarted job) redoes the same detection, which replaces candidates and keeps decisions.
 */
export class DetectImportLinks {
  private readonly logger = new Logger(DetectImportLinks.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly links: Pick<LinksService, 'detectForStates'>,
  ) {}

  async run(importId: string): Promise<void> {
    const [claimed]: [{ states: string[] }[]] = await this.dataSource.transaction((manager) =>
      manager.query(
        `UPDATE imports SET links_status = 'running', phase = 'linking'
         WHERE id = $1 AND links_status IN ('queued', 'running')
         RETURNING touched_states AS states`,
        [importId],
      ),
    );
    if (claimed.length === 0) return;
    let linksStatus: 'done' | 'failed' = 'done';
    try {
      await this.links.detectForStates(claimed[0].states);
    } catch (error) {
      linksStatus = 'failed';
      this.logger.error({ msg: 'link detection after an import failed', importId, error: String(error) });
    }
    await this.dataSource.transaction((manager) =>
      manager.query(`UPDATE imports SET links_status = $2, phase = 'done' WHERE id = $1`, [
        importId,
        linksStatus,
      ]),
    );
  }
}
