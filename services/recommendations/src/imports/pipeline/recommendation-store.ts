import type { EntityManager } from 'typeorm';
import { copyBinary, type BinaryColumnType } from '@nmirf/platform';
import type { Position } from '../../recommendations/recommendation.entity';
import type { ImportedRecommendation, MergedFields, SourceKind } from '../../catalogue/merged-record';
import type { BatchPlan, RowReport, StoredRecommendation } from '../../catalogue/batch-plan';

/** Merged fields ↔ columns; `position` is stored as imported_position, the edited one lives apart. */
const COLUMNS: [keyof MergedFields, string, BinaryColumnType][] = [
  ['annotationId', 'annotation_id', 'uuid'],
  ['mechanism', 'mechanism', 'text'],
  ['body', 'body', 'text'],
  ['bodies', 'bodies', 'text[]'],
  ['type', 'type', 'text'],
  ['documentSymbol', 'document_symbol', 'text'],
  ['paragraph', 'paragraph', 'text'],
  ['text', 'text', 'text'],
  ['language', 'language', 'text'],
  ['stateUnderReview', 'state_under_review', 'text'],
  ['uprCycle', 'upr_cycle', 'smallint'],
  ['uprSession', 'upr_session', 'smallint'],
  ['publishedOn', 'published_on', 'date'],
  ['indexedOn', 'indexed_on', 'date'],
  ['recommendingStates', 'recommending_states', 'text[]'],
  ['recommendingRegions', 'recommending_regions', 'text[]'],
  ['regions', 'regions', 'text[]'],
  ['position', 'imported_position', 'text'],
  ['positionSource', 'position_source', 'text'],
  ['themes', 'themes', 'text[]'],
  ['themeLabels', 'theme_labels', 'text[]'],
  ['groups', 'groups', 'text[]'],
  ['groupLabels', 'group_labels', 'text[]'],
  ['sdgGoals', 'sdg_goals', 'text[]'],
  ['sdgTargets', 'sdg_targets', 'text[]'],
  ['clusterHeadings', 'cluster_headings', 'text[]'],
  ['sources', 'sources', 'text[]'],
];

/** A new record's columns, as COPY writes them. */
const CREATED_COLUMNS: [string, BinaryColumnType][] = [
  ['id', 'uuid'],
  ['position', 'text'],
  ...COLUMNS.map(([, column, type]): [string, BinaryColumnType] => [column, type]),
];

const SELECT_FIELDS = COLUMNS.map(([field, column, type]) =>
  type === 'date'
    ? `r.${column}::text AS "${field}"`
    : // Stored before joint bodies were kept: the one body.
      column === 'bodies'
      ? `CASE WHEN cardinality(r.bodies) = 0 THEN ARRAY[r.body] ELSE r.bodies END AS "${field}"`
      : `r.${column} AS "${field}"`,
).join(', ');
const RECORDSET = (extra: string) =>
  `jsonb_to_recordset($1::jsonb) AS x(${[extra, ...COLUMNS.map(([, column, type]) => `${column} ${type}`)].join(', ')})`;

/** A GIN pending list of this size (kB) is merged when a batch overflows it, with this much memory. */
const GIN_PENDING_KB = 32 * 1024;
const GIN_MERGE_MB = 64;

const toRecord = (fields: MergedFields): Record<string, unknown> =>
  Object.fromEntries(COLUMNS.map(([field, column]) => [column, fields[field]]));

/** Set-based reads and writes of one import batch, in the caller's transaction. */
export class RecommendationStore {
  constructor(readonly manager: EntityManager) {}

  /** Every stored recommendation one of these records can match, by annotation id or symbol + paragraph. */
  /** Which of these recommendations the coordinator has published. */
  async publishedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM recommendations WHERE id = ANY($1::uuid[]) AND published`,
      [[...ids]],
    );
    return new Set(rows.map((row) => row.id));
  }

  async findMatching(records: ImportedRecommendation[]): Promise<StoredRecommendation[]> {
    if (records.length === 0) return [];
    const rows: (MergedFields & {
      id: string;
      version: number;
      editedPosition: Position | null;
      snapshots: StoredRecommendation['snapshots'] | null;
    })[] = await this.manager.query(
      `SELECT r.id, r.version, ${SELECT_FIELDS},
           CASE WHEN r.position_edited_at IS NOT NULL THEN r.position END AS "editedPosition",
           (SELECT jsonb_agg(jsonb_build_object('source', s.source, 'data', s.data, 'hash', s.content_hash,
                                                'importId', s.import_id))
              FROM recommendation_sources s WHERE s.recommendation_id = r.id) AS snapshots
         FROM recommendations r
         WHERE r.id IN (
           SELECT m.id FROM recommendations m JOIN unnest($1::uuid[]) AS a(id) ON m.annotation_id = a.id
           UNION
           SELECT m.id FROM recommendations m
             JOIN unnest($2::text[], $3::text[]) AS k(symbol, paragraph)
               ON m.document_symbol = k.symbol AND m.paragraph = k.paragraph)`,
      [
        records.map((record) => record.annotationId).filter((id) => id !== null),
        records.map((record) => record.documentSymbol),
        records.map((record) => record.paragraph),
      ],
    );
    return rows.map(({ id, version, editedPosition, snapshots, ...fields }) => ({
      id,
      version,
      editedPosition,
      fields: fields as MergedFields,
      snapshots: (snapshots ?? []).map((snapshot) => ({
        ...snapshot,
        source: snapshot.source as SourceKind,
      })),
    }));
  }

  /** The publication date the catalogue holds for each of these documents, where it holds one. */
  async publicationDates(symbols: readonly string[]): Promise<Map<string, string>> {
    const rows: { symbol: string; date: string }[] = await this.manager.query(
      `SELECT document_symbol AS symbol, min(published_on)::text AS date FROM recommendations
       WHERE document_symbol = ANY($1::text[]) AND published_on IS NOT NULL GROUP BY document_symbol`,
      [[...new Set(symbols)]],
    );
    return new Map(rows.map((row) => [row.symbol, row.date]));
  }

  /**
   * A large import fills the tables inside one transaction, where autovacuum cannot analyse them:
   * without fresh statistics the planner keeps scanning what it believes is an empty table.
   */
  async refreshStatistics(): Promise<void> {
    // Only the columns batches look rows up by: the text and its vector are the costly ones to sample.
    await this.manager.query(
      `ANALYZE recommendations (id, annotation_id, document_symbol, paragraph, published_on),
               recommendation_sources (recommendation_id, source)`,
    );
  }

  /**
   * Lets the GIN indexes of the catalogue and its search table collect a large import's entries in
   * their pending lists and merge them in a few large passes instead of one every 4 MB: a merge
   * touches each key once, and the search table's facet codes are few keys with long posting lists.
   */
  async deferGinMerges(): Promise<void> {
    await this.manager.query(
      `SELECT set_config('gin_pending_list_limit', $1, true), set_config('work_mem', $2, true)`,
      [String(GIN_PENDING_KB), `${GIN_MERGE_MB}MB`],
    );
  }

  /**
   * Merges what the pending lists hold, so that searches do not scan them row by row afterwards (an
   * aborted import's entries too: they would otherwise wait for autovacuum). Only indexes this role
   * owns: the function is refused on others.
   */
  async mergeGinPendingLists(): Promise<void> {
    await this.manager.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [`${GIN_MERGE_MB}MB`]);
    await this.manager.query(
      `SELECT count(gin_clean_pending_list(c.oid::regclass))
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
        WHERE a.amname = 'gin' AND pg_has_role(c.relowner, 'USAGE')
          AND i.indrelid = ANY (ARRAY['recommendations'::regclass, 'recommendation_search'::regclass])`,
    );
  }

  async apply(plan: BatchPlan, importId: string): Promise<void> {
    // Updates first: a row may move a recommendation off a paragraph that a later row creates.
    if (plan.updated.length > 0) {
      const moved = plan.updated
        .filter(({ changes }) => 'documentSymbol' in changes || 'paragraph' in changes)
        .map(({ id }) => id);
      // Renumbered paragraphs may swap or free each other's place: parked first, no row collides midway.
      if (moved.length > 0) {
        await this.manager.query(
          `UPDATE recommendations SET paragraph = paragraph || ' ' || id WHERE id = ANY($1::uuid[])`,
          [moved],
        );
      }
      await this.manager.query(
        `UPDATE recommendations r SET
           ${COLUMNS.map(([, column]) => `${column} = x.${column}`).join(', ')},
           position = CASE WHEN r.position_edited_at IS NULL THEN coalesce(x.imported_position, 'pending') ELSE r.position END,
           version = x.version, updated_at = now()
         FROM ${RECORDSET('id uuid, version integer')}
         WHERE r.id = x.id`,
        [
          JSON.stringify(
            plan.updated.map(({ id, version, fields }) => ({ id, version, ...toRecord(fields) })),
          ),
        ],
      );
      await this.manager.query(
        `INSERT INTO recommendation_history (recommendation_id, version, kind, import_id, changes)
         SELECT x.id, x.version, 'import', $2, x.changes
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, version integer, changes jsonb)`,
        [
          JSON.stringify(plan.updated.map(({ id, version, changes }) => ({ id, version, changes }))),
          importId,
        ],
      );
    }
    // New records and their first snapshots go in by COPY: no conflict is possible for a new id.
    const created = new Set(plan.created.map(({ id }) => id));
    if (plan.created.length > 0) {
      await copyBinary(
        this.manager,
        'recommendations',
        CREATED_COLUMNS,
        plan.created.map(({ id, fields }) => [
          id,
          fields.position ?? 'pending',
          ...COLUMNS.map(([field]) => fields[field]),
        ]),
      );
    }
    const [fresh, replaced] = partition(plan.snapshots, (s) => created.has(s.recommendationId));
    if (fresh.length > 0) {
      await copyBinary(
        this.manager,
        'recommendation_sources',
        [
          ['recommendation_id', 'uuid'],
          ['source', 'text'],
          ['data', 'jsonb'],
          ['content_hash', 'text'],
          ['import_id', 'uuid'],
        ],
        fresh.map((s) => [s.recommendationId, s.source, s.data, s.hash, importId]),
      );
    }
    if (replaced.length > 0) {
      await this.manager.query(
        `INSERT INTO recommendation_sources (recommendation_id, source, data, content_hash, import_id)
         SELECT x.recommendation_id, x.source, x.data, x.hash, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(recommendation_id uuid, source text, data jsonb, hash text)
         ON CONFLICT (recommendation_id, source) DO UPDATE
           SET data = EXCLUDED.data, content_hash = EXCLUDED.content_hash, import_id = EXCLUDED.import_id, updated_at = now()`,
        [
          JSON.stringify(
            replaced.map((snapshot) => ({
              recommendation_id: snapshot.recommendationId,
              source: snapshot.source,
              data: snapshot.data,
              hash: snapshot.hash,
            })),
          ),
          importId,
        ],
      );
    }
    if (plan.seen.length > 0) {
      await this.manager.query(
        `UPDATE recommendation_sources s SET import_id = $3
         FROM unnest($1::uuid[], $2::text[]) AS x(recommendation_id, source)
         WHERE s.recommendation_id = x.recommendation_id AND s.source = x.source`,
        [plan.seen.map((seen) => seen.recommendationId), plan.seen.map((seen) => seen.source), importId],
      );
    }
  }
}

/** Writes row reports; runs on its own connection so a preview's report outlives its rolled-back work. */
export async function insertRowReports(
  manager: EntityManager,
  importId: string,
  rows: RowReport[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyBinary(
    manager,
    'import_rows',
    [
      ['import_id', 'uuid'],
      ['row_number', 'integer'],
      ['outcome', 'text'],
      ['recommendation_id', 'uuid'],
      ['document_symbol', 'text'],
      ['paragraph', 'text'],
      ['changed_fields', 'text[]'],
      ['problems', 'text[]'],
      ['warnings', 'text[]'],
    ],
    rows.map((row) => [
      importId,
      row.rowNumber,
      row.outcome,
      row.recommendationId,
      row.documentSymbol,
      row.paragraph,
      row.changedFields,
      row.problems,
      row.warnings ?? [],
    ]),
  );
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
