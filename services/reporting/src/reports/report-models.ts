import type { EntityManager } from 'typeorm';
import { themeLabel, type ReportLanguage } from '../documents/messages';
import type {
  ActionLine,
  AnnexModel,
  RecommendationEntry,
  TaskListModel,
  ThemeCluster,
  TreatyFollowUpModel,
} from '../documents/report-model';
import type { ReportFilters } from './report.entity';

/**
 * Fills the report models from reporting's read model (services/reporting/src/read-model/README.md).
 * Not projected yet, so left empty in the reports: indicators and their measurements, progress
 * narratives, evidence files and the coordinator's assessment (they live in the actions service).
 */

interface RecommendationRow {
  id: string;
  document_symbol: string;
  paragraph: string;
  text: string;
  recommending_states: string[];
  position: string;
  implementation_status: string;
  themes: string[];
}

interface ActionRow {
  action_id: string;
  title: string;
  institution: string | null;
  lead_institution_id: string | null;
  supporting_institution_ids: string[];
  status: string;
  due_at: Date | null;
}

const byParagraph = (a: { documentSymbol: string; paragraph: string }, b: typeof a) =>
  a.documentSymbol.localeCompare(b.documentSymbol) ||
  a.paragraph.localeCompare(b.paragraph, undefined, { numeric: true });

const RECOMMENDATION_COLUMNS = `r.id, r.document_symbol, r.paragraph, r.text, r.recommending_states, r.position,
  r.implementation_status, r.themes`;

function entry(row: RecommendationRow, actions: ActionLine[]): RecommendationEntry {
  return {
    id: row.id,
    documentSymbol: row.document_symbol,
    paragraph: row.paragraph,
    text: row.text,
    recommendingStates: row.recommending_states,
    position: row.position,
    implementationStatus: row.implementation_status,
    actions,
    indicators: [],
    narrative: '',
    evidence: [],
    assessment: '',
  };
}

/**
 * Actions serving the recommendations, by recommendation (an action serving several is under each):
 * the served ids are joined by hash, not compared against an array row by row.
 */
async function actionsOf(manager: EntityManager, ids: string[]): Promise<Map<string, ActionLine[]>> {
  const byRecommendation = new Map<string, ActionLine[]>();
  if (ids.length === 0) return byRecommendation;
  const rows: (ActionRow & { served: string })[] = await manager.query(
    `SELECT a.action_id, s.id AS served, a.title, a.institution, a.lead_institution_id,
            a.supporting_institution_ids, a.status, a.due_at
       FROM action_view a
      CROSS JOIN LATERAL unnest(CASE WHEN cardinality(a.recommendation_ids) > 0 THEN a.recommendation_ids
                                     ELSE ARRAY[a.recommendation_id] END) AS s (id)
       JOIN (SELECT DISTINCT unnest($1::uuid[]) AS id) wanted ON wanted.id = s.id
      ORDER BY a.due_at NULLS LAST, a.action_id`,
    [ids],
  );
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${row.action_id}:${row.served}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line: ActionLine = {
      title: row.title,
      institution: row.institution ?? row.lead_institution_id,
      supportingInstitutions: row.supporting_institution_ids,
      status: row.status,
      dueAt: row.due_at,
    };
    byRecommendation.set(row.served, [...(byRecommendation.get(row.served) ?? []), line]);
  }
  return byRecommendation;
}

async function entries(manager: EntityManager, rows: RecommendationRow[]): Promise<RecommendationEntry[]> {
  const actions = await actionsOf(
    manager,
    rows.map((row) => row.id),
  );
  return rows.map((row) => entry(row, actions.get(row.id) ?? [])).sort(byParagraph);
}

/**
 * A State's UPR recommendations of one cycle, clustered as in the OHCHR matrices: under the first
 * theme of each, clusters in the order of their labels in the report's language, untagged ones last.
 */
export async function loadAnnexModel(
  manager: EntityManager,
  filters: ReportFilters,
  language: ReportLanguage,
): Promise<AnnexModel> {
  const rows: RecommendationRow[] = await manager.query(
    `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendation_view r
      WHERE r.mechanism_kind = 'upr' AND upper(r.state_under_review) = upper($1) AND r.upr_cycle = $2`,
    [filters.state, filters.cycle],
  );
  const themeOf = new Map(rows.map((row) => [row.id, row.themes[0] ?? null]));
  const clusters = new Map<string | null, RecommendationEntry[]>();
  for (const item of await entries(manager, rows)) {
    const key = themeOf.get(item.id) ?? null;
    clusters.set(key, [...(clusters.get(key) ?? []), item]);
  }
  const ordered: ThemeCluster[] = [...clusters]
    .map(([key, recommendations]) => ({
      theme: key === null ? null : themeLabel(language, key),
      recommendations,
    }))
    .sort((a, b) =>
      a.theme === null
        ? 1
        : b.theme === null
          ? -1
          : a.theme.localeCompare(b.theme, language === 'zh' ? 'zh' : language),
    );
  return {
    state: filters.state ?? '',
    cycle: filters.cycle ?? null,
    documentSymbols: [...new Set(rows.map((row) => row.document_symbol))].sort(),
    compiledAt: new Date(),
    clusters: ordered,
  };
}

/** A committee's recommendations to the State in one document, or only the paragraphs it marked for follow-up. */
export async function loadTreatyFollowUpModel(
  manager: EntityManager,
  filters: ReportFilters,
): Promise<TreatyFollowUpModel> {
  const parameters: unknown[] = [filters.committee, filters.state, filters.documentSymbol];
  let paragraphs = '';
  if (filters.paragraphs?.length) {
    parameters.push(filters.paragraphs);
    paragraphs = `AND r.paragraph = ANY($4::text[])`;
  }
  const rows: RecommendationRow[] = await manager.query(
    `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendation_view r
      WHERE upper(r.mechanism) = upper($1) AND upper(r.state_under_review) = upper($2) AND r.document_symbol = $3
            ${paragraphs}`,
    parameters,
  );
  return {
    state: filters.state ?? '',
    committee: filters.committee ?? '',
    documentSymbols: [...new Set(rows.map((row) => row.document_symbol))].sort(),
    compiledAt: new Date(),
    recommendations: await entries(manager, rows),
  };
}

/** An institution's actions, as lead (by directory id or, before ActionChanged, by name) or in support. */
export async function loadTaskListModel(
  manager: EntityManager,
  filters: ReportFilters,
): Promise<TaskListModel> {
  const rows: Array<{
    title: string;
    lead: boolean;
    document_symbol: string | null;
    paragraph: string | null;
    text: string | null;
    status: string;
    due_at: Date | null;
    overdue: boolean;
  }> = await manager.query(
    `SELECT a.title,
            (lower(a.lead_institution_id) = lower($1) OR lower(a.institution) = lower($1)) IS TRUE AS lead,
            r.document_symbol, r.paragraph, r.text, a.status, a.due_at,
            (a.status NOT IN ('completed', 'cancelled') AND a.due_at < now()) IS TRUE AS overdue
       FROM action_view a LEFT JOIN recommendation_view r ON r.id = a.recommendation_id
      WHERE lower(a.lead_institution_id) = lower($1) OR lower(a.institution) = lower($1)
         OR lower($1) = ANY (SELECT lower(s) FROM unnest(a.supporting_institution_ids) s)
      ORDER BY a.status IN ('completed', 'cancelled'), a.due_at NULLS LAST, a.title, a.action_id`,
    [filters.institution],
  );
  return {
    institution: filters.institution ?? '',
    compiledAt: new Date(),
    tasks: rows.map((row) => ({
      title: row.title,
      role: row.lead ? 'lead' : 'support',
      documentSymbol: row.document_symbol ?? '',
      paragraph: row.paragraph ?? '',
      recommendation: row.text ?? '',
      status: row.status,
      dueAt: row.due_at,
      overdue: row.overdue,
    })),
  };
}
