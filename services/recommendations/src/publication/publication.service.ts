import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox, recordAudit, suspendRowAudit } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { recommendationUpdated } from '../recommendations/recommendation-events';
import { Recommendation } from '../recommendations/recommendation.entity';
import type { SearchFilters } from '../search/search-filters';
import { SEARCH_TABLE } from '../search/search-table';
import { searchTableFilter } from '../search/search.service';

export interface BulkPublicationResult {
  /** The summary audit record's entity id, when anything changed. */
  operationId: string;
  published: boolean;
  matched: number;
  changed: number;
}

/** Events for this many recommendations are read and appended at a time. */
const EVENT_CHUNK = 500;

/**
 * The coordinator's publication of recommendations for anonymous readers (a public portal). Not part
 * of the content: it changes neither the version nor the history. Each change sends
 * RecommendationUpdated (changed fields ["published"]) so reporting's public dashboards follow; the
 * audit trail keeps who published what and when.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async setOne(id: string, published: boolean): Promise<Recommendation> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(Recommendation, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw DomainError.notFound('Recommendation', id);
      if (current.published === published) return current;
      await manager.update(Recommendation, id, { published });
      await this.announce(manager, [id]);
      return manager.findOneByOrFail(Recommendation, { id });
    });
  }

  /**
   * Everything the filter selects, in one transaction with one summary audit record (as imports
   * write) instead of one per row. An empty filter selects nothing unless `all` says the whole
   * catalogue. Listed ids must all exist, or nothing changes (404 naming the first unknown one).
   */
  async setMany(filter: SearchFilters, published: boolean, all = false): Promise<BulkPublicationResult> {
    const operationId = randomUUID();
    const criteria = Object.values(filter).some((value) => value !== undefined);
    if (!criteria && !all) return { operationId, published, matched: 0, changed: 0 };
    return this.dataSource.transaction(async (manager) => {
      if (filter.ids) {
        const ids = [...new Set(filter.ids.map((id) => id.toLowerCase()))];
        const found: { id: string }[] = await manager.query(
          `SELECT id FROM recommendations WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        const known = new Set(found.map((row) => row.id));
        const unknown = ids.find((id) => !known.has(id));
        if (unknown) throw DomainError.notFound('Recommendation', unknown);
      }
      const { where, params } = await searchTableFilter(manager, filter);
      await suspendRowAudit(manager);
      const n = params.length;
      const [{ matched }] = await manager.query(
        `SELECT count(*)::int AS matched FROM ${SEARCH_TABLE} s WHERE ${where}`,
        params,
      );
      // An UPDATE answers [rows, affected count] through TypeORM's PostgreSQL driver.
      const [changed]: [{ id: string }[], number] = await manager.query(
        `UPDATE recommendations r SET published = $${n + 1}::boolean
           FROM ${SEARCH_TABLE} s
          WHERE s.id = r.id AND ${where} AND r.published IS DISTINCT FROM $${n + 1}::boolean RETURNING r.id`,
        [...params, published],
      );
      await this.announce(
        manager,
        changed.map((row) => row.id),
      );
      const result = { operationId, published, matched, changed: changed.length };
      if (changed.length === 0) return result;
      await recordAudit(manager, {
        entity: 'recommendations',
        entityId: operationId,
        action: published ? 'publication.published' : 'publication.unpublished',
        after: {
          ...result,
          filter,
          all,
          changedIds: changed.map((row) => row.id),
        },
      });
      return result;
    });
  }

  /** RecommendationUpdated for each changed recommendation, in the caller's transaction. */
  private async announce(manager: EntityManager, ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += EVENT_CHUNK) {
      const rows = await manager.findBy(Recommendation, { id: In(ids.slice(start, start + EVENT_CHUNK)) });
      if (rows.length === 0) continue;
      await this.outbox.append(
        manager,
        ...rows.map((row) =>
          recommendationUpdated(row.id, row.version, row, row.position, ['published'], row.published),
        ),
      );
    }
  }
}
