import { Injectable, Logger } from '@nestjs/common';
import { DomainError, recordAudit, streamCopy, suspendRowAudit } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { LINK_COPY_COLUMNS, ScoringPool, type Scored } from '../linking/scoring-pool';
import { DEFAULT_LINK_THRESHOLD, LINK_METHOD } from '../linking/similarity';
import { RecommendationLink, type LinkStatus } from './recommendation-link.entity';

const MAX_LINKS_PER_RECOMMENDATION = 10;
const WRITE_BATCH = 1000;
/** What a recommendation is compared as: a change to any of these makes it compared again. */
const TEXT_HASH = `md5(coalesce(r.state_under_review, '') || '|' || r.language || '|' || r.text)`;

/** Serialises detection and hand-made links of one State: detection writes its pairs without ON CONFLICT. */
const stateLock = (manager: EntityManager, state: string) =>
  manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`recommendations.links.${state}`]);

/**
 * Writes a State's scored candidates, once its or the changed records' old candidates are deleted.
 * What is left among those pairs is a coordinator's (confirmed, rejected or made by hand): it is
 * rescored in place and keeps its decision. The rest go in as the COPY text the scoring thread wrote.
 */
async function writeCandidates(manager: EntityManager, scored: Scored): Promise<void> {
  if (scored.rescored.length > 0) {
    await manager.query(
      `UPDATE recommendation_links l
       SET score = x.score, method = $2, explanation = x.explanation, detected_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(a uuid, b uuid, score real, explanation jsonb)
       WHERE l.a_id = x.a AND l.b_id = x.b`,
      [JSON.stringify(scored.rescored), LINK_METHOD],
    );
  }
  const chunks = scored.copy.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  if (chunks.length > 0) await streamCopy(manager, 'recommendation_links', LINK_COPY_COLUMNS, chunks);
}

export interface LinkFilter {
  status?: LinkStatus;
  recommendationId?: string;
  state?: string;
  minScore?: number;
  limit: number;
  offset: number;
}

/**
 * Candidate links between recommendations to the same State (across cycles, recommending States and
 * mechanisms), scored by an explainable lexical similarity. Decisions are never overwritten.
 */
@Injectable()
export class LinksService {
  private readonly logger = new Logger(LinksService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly scoring: ScoringPool,
  ) {}

  /**
   * Detects candidates for the recommendations of these States that are new or changed since the last
   * detection (after an import); confirmed and rejected links stay as decided.
   */
  async detectForStates(
    states: string[],
    options: { full?: boolean } = {},
  ): Promise<{ candidates: number; recommendations: number; compared: number }> {
    const total = { candidates: 0, recommendations: 0, compared: 0 };
    // One State more than there are scoring threads: while they score, PostgreSQL writes another's links.
    const queue = [...new Set(states)];
    const next = async (): Promise<void> => {
      for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
        const result = await this.detect(state, { full: options.full ?? false });
        total.candidates += result.candidates;
        total.recommendations += result.recommendations;
        total.compared += result.compared;
      }
    };
    await Promise.all(Array.from({ length: this.scoring.size + 1 }, next));
    return total;
  }

  /**
   * Detects a State's candidate links. `full` (the default) compares every pair again; otherwise only
   * the recommendations whose State, language or text changed since they were last compared are
   * compared with the State's others, and keep their best candidates.
   */
  async detect(
    state: string,
    options: { full?: boolean } = {},
  ): Promise<{ candidates: number; recommendations: number; compared: number }> {
    let full = options.full ?? true;
    return this.dataSource.transaction(async (manager) => {
      // Two detections of the same State would race on the same pairs.
      await stateLock(manager, state);
      // Thousands of candidate rows: one audit record for the detection instead of one per row.
      await suspendRowAudit(manager);
      // A State's links are a sliver of the link table, read by the ids of its records. Without column
      // statistics (a new table, as at the first import) the planner takes a thousand ids to match nearly
      // every row and reads the whole table, twice per State: 840,000 links at 250,000 records.
      await manager.query(`SET LOCAL enable_seqscan = off`);
      const docs: { id: string; text: string; language: string; hash: string; checked: boolean }[] =
        await manager.query(
          `SELECT r.id, r.text, r.language, ${TEXT_HASH} AS hash, c.text_hash = ${TEXT_HASH} AS checked
           FROM recommendations r LEFT JOIN recommendation_link_checks c ON c.recommendation_id = r.id
           WHERE r.state_under_review = $1`,
          [state],
        );
      const changed = full ? docs : docs.filter((doc) => !doc.checked);
      if (changed.length === 0) return { candidates: 0, recommendations: docs.length, compared: 0 };
      // Nothing compared yet (a first import): the full sweep does the same work, and clears by State.
      full ||= changed.length === docs.length;
      const decided: { pair: string }[] = await manager.query(
        `SELECT a_id || ' ' || b_id AS pair FROM recommendation_links
         WHERE a_id = ANY($1::uuid[]) AND status <> 'candidate'`,
        [docs.map((doc) => doc.id)],
      );
      const scored = await this.scoring.score({
        docs: docs.map(({ id, text, language }) => ({ id, text, language })),
        threshold: DEFAULT_LINK_THRESHOLD,
        maxPerDoc: MAX_LINKS_PER_RECOMMENDATION,
        among: full ? undefined : changed.map((doc) => doc.id),
        decided: decided.map((row) => row.pair),
      });
      if (full) {
        // The State's candidates by their first side, through the pair index (a join on the State read
        // the whole link table, 840,000 rows at 250,000 records, once per State).
        await manager.query(
          `DELETE FROM recommendation_links WHERE status = 'candidate' AND a_id = ANY($1::uuid[])`,
          [docs.map((doc) => doc.id)],
        );
      } else {
        // A changed recommendation's old candidates go, on either side of the pair: two deletes, each
        // through its own index, rather than an OR the planner must combine (it did, with a BitmapOr, at
        // 840,000 links; a seq scan is its other choice).
        const ids = changed.map((doc) => doc.id);
        for (const side of ['a_id', 'b_id']) {
          await manager.query(
            `DELETE FROM recommendation_links WHERE status = 'candidate' AND ${side} = ANY($1::uuid[])`,
            [ids],
          );
        }
      }
      await writeCandidates(manager, scored);
      for (let i = 0; i < changed.length; i += WRITE_BATCH) {
        const batch = changed.slice(i, i + WRITE_BATCH);
        await manager.query(
          `INSERT INTO recommendation_link_checks (recommendation_id, text_hash)
           SELECT * FROM unnest($1::uuid[], $2::text[])
           ON CONFLICT (recommendation_id) DO UPDATE SET text_hash = EXCLUDED.text_hash, checked_at = now()`,
          [batch.map((doc) => doc.id), batch.map((doc) => doc.hash)],
        );
      }
      const result = { candidates: scored.found, recommendations: docs.length, compared: changed.length };
      await recordAudit(manager, {
        entity: 'recommendation_links',
        entityId: state,
        action: full ? 'links.detected' : 'links.detected_incrementally',
        after: { state, method: LINK_METHOD, ...result },
      });
      this.logger.log({ msg: 'links detected', state, full, ...result });
      return result;
    });
  }

  async list(filter: LinkFilter) {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) clauses.push(`l.status = ${param(filter.status)}`);
    if (filter.recommendationId) {
      const id = param(filter.recommendationId);
      clauses.push(`(l.a_id = ${id}::uuid OR l.b_id = ${id}::uuid)`);
    }
    if (filter.state) clauses.push(`a.state_under_review = ${param(filter.state.toUpperCase())}`);
    if (filter.minScore !== undefined) clauses.push(`l.score >= ${param(filter.minScore)}`);
    const where = clauses.length ? clauses.join(' AND ') : 'TRUE';
    const side = (alias: string) =>
      `jsonb_build_object('id', ${alias}.id, 'documentSymbol', ${alias}.document_symbol, 'paragraph', ${alias}.paragraph,
         'uprCycle', ${alias}.upr_cycle, 'body', ${alias}.body, 'recommendingStates', ${alias}.recommending_states,
         'position', ${alias}.position, 'text', ${alias}.text)`;
    const from = `FROM recommendation_links l JOIN recommendations a ON a.id = l.a_id JOIN recommendations b ON b.id = l.b_id`;
    const filterParams = [...params];
    const [items, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT l.id, l.score, l.method, l.explanation, l.status, l.decided_by AS "decidedBy", l.decided_at AS "decidedAt",
                l.note, ${side('a')} AS a, ${side('b')} AS b
         ${from} WHERE ${where} ORDER BY l.score DESC, l.id LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS total ${from} WHERE ${where}`, filterParams),
    ]);
    return { items, total };
  }

  async decide(id: string, status: 'confirmed' | 'rejected', actor: string | undefined, note?: string) {
    const link = await this.dataSource.manager.findOneBy(RecommendationLink, { id });
    if (!link) throw DomainError.notFound('Link', id);
    await this.dataSource.transaction((manager) =>
      manager.update(RecommendationLink, id, {
        status,
        decidedBy: actor ?? null,
        decidedAt: new Date(),
        note: note ?? null,
      }),
    );
    return this.dataSource.manager.findOneByOrFail(RecommendationLink, { id });
  }

  /** A link the coordinator sees that detection did not offer. */
  async linkByHand(aId: string, bId: string, actor: string | undefined, note?: string) {
    if (aId === bId) throw new DomainError('unprocessable', 'A recommendation cannot be linked to itself');
    const [a, b] = aId < bId ? [aId, bId] : [bId, aId];
    const id = await this.dataSource.transaction(async (manager) => {
      const found: { state: string | null }[] = await manager.query(
        `SELECT state_under_review AS state FROM recommendations WHERE id = ANY($1::uuid[])`,
        [[a, b]],
      );
      if (found.length !== 2) throw new DomainError('not_found', 'Both recommendations must exist');
      // A detection running on either State would otherwise COPY this pair too; it is waited for.
      const states = [...new Set(found.map((row) => row.state))]
        .filter((state): state is string => state !== null)
        .sort();
      for (const state of states) await stateLock(manager, state);
      // No foreign key holds the pair (see migration 1767000001200): a deletion that took a State's lock
      // first has committed by now, and these row locks keep any other from deleting them until commit.
      const locked: unknown[] = await manager.query(
        `SELECT id FROM recommendations WHERE id = ANY($1::uuid[]) FOR KEY SHARE`,
        [[a, b]],
      );
      if (locked.length !== 2) throw new DomainError('not_found', 'Both recommendations must exist');
      const [row]: { id: string }[] = await manager.query(
        `INSERT INTO recommendation_links (id, a_id, b_id, score, method, explanation, status, decided_by, decided_at, note)
         VALUES (gen_random_uuid(), $1, $2, 1, 'manual', '{}'::jsonb, 'confirmed', $3, now(), $4)
         ON CONFLICT (a_id, b_id) DO UPDATE SET status = 'confirmed', decided_by = $3, decided_at = now(), note = $4
         RETURNING id`,
        [a, b, actor ?? null, note ?? null],
      );
      return row.id;
    });
    return this.dataSource.manager.findOneByOrFail(RecommendationLink, { id });
  }
}
