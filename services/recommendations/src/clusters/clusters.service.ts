import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CLUSTER_LINK_MIN_SCORE, linkComponents } from '../linking/components';
import { groupConcepts, themeConcepts } from '../taxonomy';
import { clusterChanged } from './cluster-events';
import { Cluster, ClusterMember, type ClusterBasis } from './cluster.entity';

export type SuggestionBasis = Exclude<ClusterBasis, 'custom'>;

export interface Suggestion {
  basis: SuggestionBasis;
  key: string;
  name: string;
  size: number;
  recommendationIds: string[];
}

/** The column each suggested clustering groups by. */
const ARRAY_BASES: Record<Exclude<SuggestionBasis, 'linked'>, string> = {
  theme: 'themes',
  group: 'groups',
  sdg: 'sdg_goals',
  heading: 'cluster_headings',
};

/**
 * National clusters: built by hand, or accepted from a suggestion by theme, group, SDG, heading or links.
 * Each change of members appends ClusterChanged in its transaction, so reporting can group by cluster.
 */
@Injectable()
export class ClustersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async list() {
    return this.dataSource.query(
      `SELECT c.id, c.name, c.basis, c.basis_key AS "basisKey", c.description, c.created_at AS "createdAt",
              count(m.recommendation_id)::int AS size
       FROM clusters c LEFT JOIN cluster_members m ON m.cluster_id = c.id
       GROUP BY c.id ORDER BY lower(c.name), c.id`,
    );
  }

  async get(id: string) {
    const cluster = await this.dataSource.manager.findOneBy(Cluster, { id });
    if (!cluster) throw DomainError.notFound('Cluster', id);
    const members: { recommendationId: string }[] = await this.dataSource.query(
      `SELECT recommendation_id AS "recommendationId" FROM cluster_members WHERE cluster_id = $1 ORDER BY added_at, recommendation_id`,
      [id],
    );
    return { ...cluster, recommendationIds: members.map((member) => member.recommendationId) };
  }

  async create(input: { name: string; description?: string; recommendationIds?: string[] }, actor?: string) {
    return this.dataSource
      .transaction(async (manager) => {
        const id = await this.insertCluster(manager, {
          name: input.name,
          basis: 'custom',
          basisKey: null,
          description: input.description,
          actor,
        });
        await this.addMembers(manager, id, input.recommendationIds ?? []);
        return id;
      })
      .then((id) => this.get(id));
  }

  async addMembers(manager: EntityManager, clusterId: string, recommendationIds: string[]): Promise<number> {
    if (recommendationIds.length === 0) return 0;
    const known: { id: string }[] = await manager.query(
      `SELECT id FROM recommendations WHERE id = ANY($1::uuid[])`,
      [recommendationIds],
    );
    const missing = recommendationIds.filter((id) => !known.some((row) => row.id === id));
    if (missing.length > 0)
      throw new DomainError('unprocessable', `Unknown recommendations: ${missing.slice(0, 10).join(', ')}`);
    const inserted: { recommendation_id: string }[] = await manager.query(
      `INSERT INTO cluster_members (cluster_id, recommendation_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING recommendation_id`,
      [clusterId, recommendationIds],
    );
    if (inserted.length > 0)
      await this.announce(manager, clusterId, { added: inserted.map((row) => row.recommendation_id) });
    return inserted.length;
  }

  /** ClusterChanged with the cluster's name and basis as they are now. */
  private async announce(
    manager: EntityManager,
    clusterId: string,
    change: { added?: string[]; removed?: string[] },
  ): Promise<void> {
    const cluster = await manager.findOneByOrFail(Cluster, { id: clusterId });
    await this.outbox.append(
      manager,
      ...clusterChanged({ clusterId, name: cluster.name, basis: cluster.basis, ...change }),
    );
  }

  async addMembersTo(clusterId: string, recommendationIds: string[]) {
    await this.get(clusterId);
    await this.dataSource.transaction((manager) => this.addMembers(manager, clusterId, recommendationIds));
    return this.get(clusterId);
  }

  async removeMember(clusterId: string, recommendationId: string) {
    await this.get(clusterId);
    await this.dataSource.transaction(async (manager) => {
      const removed = await manager.delete(ClusterMember, { clusterId, recommendationId });
      if (removed.affected) await this.announce(manager, clusterId, { removed: [recommendationId] });
    });
    return this.get(clusterId);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const cluster = await manager.findOneBy(Cluster, { id });
      if (!cluster) throw DomainError.notFound('Cluster', id);
      await manager.delete(Cluster, { id });
      await this.outbox.append(
        manager,
        ...clusterChanged({ clusterId: id, name: cluster.name, basis: cluster.basis, deleted: true }),
      );
    });
  }

  /** Suggested clusters for a State (or all), largest first. */
  async suggest(basis: SuggestionBasis, state?: string): Promise<Suggestion[]> {
    if (basis === 'linked') return this.linkedComponents(state);
    const column = ARRAY_BASES[basis];
    const rows: { key: string; ids: string[] }[] = await this.dataSource.query(
      `SELECT k AS key, array_agg(r.id ORDER BY r.document_symbol, r.paragraph COLLATE paragraph_order) AS ids
       FROM recommendations r, unnest(r.${column}) AS k
       WHERE ($1::text IS NULL OR r.state_under_review = $1)
       GROUP BY k ORDER BY count(*) DESC, k`,
      [state ?? null],
    );
    const concepts = basis === 'theme' ? themeConcepts() : basis === 'group' ? groupConcepts() : [];
    const labels = new Map(concepts.map((concept) => [concept.key, concept.label.en]));
    return rows.map((row) => ({
      basis,
      key: row.key,
      name: basis === 'sdg' ? `SDG ${row.key}` : (labels.get(row.key) ?? row.key),
      size: row.ids.length,
      recommendationIds: row.ids,
    }));
  }

  /** Recommendations joined by confirmed links or strong candidates, as connected components. */
  private async linkedComponents(state?: string): Promise<Suggestion[]> {
    const links: { a: string; b: string }[] = await this.dataSource.query(
      `SELECT l.a_id AS a, l.b_id AS b FROM recommendation_links l JOIN recommendations r ON r.id = l.a_id
       WHERE (l.status = 'confirmed' OR (l.status = 'candidate' AND l.score >= $2))
         AND ($1::text IS NULL OR r.state_under_review = $1)`,
      [state ?? null, CLUSTER_LINK_MIN_SCORE],
    );
    const components = linkComponents(links);
    if (components.length === 0) return [];
    const labels: { id: string; label: string }[] = await this.dataSource.query(
      `SELECT id, document_symbol || ' para. ' || paragraph AS label FROM recommendations WHERE id = ANY($1::uuid[])`,
      [components.map((members) => members[0])],
    );
    const labelOf = new Map(labels.map((row) => [row.id, row.label]));
    return components
      .map((members) => ({
        basis: 'linked' as const,
        key: members[0],
        name: `Linked to ${labelOf.get(members[0]) ?? members[0]}`,
        size: members.length,
        recommendationIds: members,
      }))
      .sort((x, y) => y.size - x.size || x.key.localeCompare(y.key));
  }

  /** Accepts suggestions as clusters; accepting again adds new members to the same clusters. */
  async accept(
    basis: SuggestionBasis,
    keys: string[] | undefined,
    state: string | undefined,
    actor?: string,
  ) {
    const suggestions = (await this.suggest(basis, state)).filter((s) => !keys || keys.includes(s.key));
    if (keys && suggestions.length === 0)
      throw new DomainError('unprocessable', 'None of these keys is a suggestion');
    return this.dataSource.transaction(async (manager) => {
      const accepted: { id: string; name: string; added: number }[] = [];
      for (const suggestion of suggestions) {
        const [existing]: { id: string }[] = await manager.query(
          `SELECT id FROM clusters WHERE basis = $1 AND basis_key = $2`,
          [basis, suggestion.key],
        );
        const id =
          existing?.id ??
          (await this.insertCluster(manager, {
            name: suggestion.name,
            basis,
            basisKey: suggestion.key,
            actor,
          }));
        accepted.push({
          id,
          name: suggestion.name,
          added: await this.addMembers(manager, id, suggestion.recommendationIds),
        });
      }
      return { clusters: accepted };
    });
  }

  private async insertCluster(
    manager: EntityManager,
    input: {
      name: string;
      basis: ClusterBasis;
      basisKey: string | null;
      description?: string;
      actor?: string;
    },
  ): Promise<string> {
    const [clash] = await manager.query(`SELECT id FROM clusters WHERE lower(name) = lower($1)`, [
      input.name,
    ]);
    if (clash) throw new DomainError('conflict', `A cluster named "${input.name}" already exists`);
    const id = randomUUID();
    await manager.insert(Cluster, {
      id,
      name: input.name,
      basis: input.basis,
      basisKey: input.basisKey,
      description: input.description ?? null,
      createdBy: input.actor ?? null,
    });
    return id;
  }
}
