import type { EntityManager } from 'typeorm';
import type { InstitutionKind } from './institution';
import { Institution } from './institution.entity';
import type { ParentMap } from './institution-tree';

export interface InstitutionFilter {
  /** Part of the id, of a name in any language or of the acronym, in any case. */
  q?: string;
  kind?: InstitutionKind;
  parentId?: string;
  active?: boolean;
  needsReview?: boolean;
  limit: number;
  offset: number;
}

// Serialises the directory's writers: parent changes are checked for loops against a tree no one
// else is changing. The directory changes rarely, and only by the coordinator.
const DIRECTORY_LOCK = 'actions.institutions';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** The directory's SQL, in the caller's transaction. Ids are looked up case-insensitively. */
export class InstitutionRepository {
  constructor(readonly manager: EntityManager) {}

  find(id: string, options: { lock?: boolean } = {}): Promise<Institution | null> {
    const query = this.manager
      .createQueryBuilder(Institution, 'institution')
      .where('lower(institution.id) = lower(:id)', { id });
    if (options.lock) query.setLock('pessimistic_write');
    return query.getOne();
  }

  /** The canonical ids of those of `ids` that exist. */
  async canonicalIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.manager.query(
      `SELECT id FROM institutions WHERE lower(id) = ANY ($1::text[])`,
      [ids.map((id) => id.toLowerCase())],
    );
    return rows.map((row) => row.id);
  }

  /** Every institution's parent, keyed by lower-case id. */
  async parents(): Promise<ParentMap> {
    const rows: Array<{ id: string; parent_id: string | null }> = await this.manager.query(
      `SELECT id, parent_id FROM institutions`,
    );
    return new Map(rows.map((row) => [row.id.toLowerCase(), row.parent_id]));
  }

  async all(): Promise<Institution[]> {
    return this.manager.find(Institution);
  }

  async search(filter: InstitutionFilter): Promise<{ items: Institution[]; total: number }> {
    const query = this.manager.createQueryBuilder(Institution, 'institution');
    if (filter.q) {
      query.andWhere(
        `concat_ws(' ', institution.id, institution.nameEn, institution.nameFr, institution.nameEs,
                   institution.nameRu, institution.nameZh, institution.nameAr, institution.acronym) ILIKE :q`,
        { q: `%${escapeLike(filter.q)}%` },
      );
    }
    if (filter.kind) query.andWhere('institution.kind = :kind', { kind: filter.kind });
    if (filter.parentId)
      query.andWhere('lower(institution.parentId) = lower(:parentId)', { parentId: filter.parentId });
    if (filter.active !== undefined)
      query.andWhere('institution.active = :active', { active: filter.active });
    if (filter.needsReview !== undefined)
      query.andWhere('institution.needsReview = :needsReview', { needsReview: filter.needsReview });
    const [items, total] = await query
      .orderBy('institution.nameEn', 'ASC')
      .addOrderBy('institution.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items, total };
  }

  async insert(institution: Institution): Promise<void> {
    await this.manager.insert(Institution, institution);
  }

  async save(institution: Institution): Promise<void> {
    await this.manager.save(Institution, institution);
  }

  /** Held until the transaction ends. */
  async lockDirectory(): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [DIRECTORY_LOCK]);
  }
}
