import type { EntityManager } from 'typeorm';
import { themeLabel, type ReportLanguage } from '../documents/messages';
import type {
  ActionLine,
  AnnexModel,
  AssessmentLine,
  IndicatorLine,
  RecommendationEntry,
  TaskListModel,
  ThemeCluster,
  TreatyFollowUpModel,
} from '../documents/report-model';
import type { ReportFilters } from './report.entity';

/**
 * Fills the report models from reporting's read model (services/reporting/src/read-model/README.md).
 * Only what has been accepted or published goes in: the narrative and evidence of progress reports
 * the coordinator accepted, and the independent assessments on the public record.
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

interface ServingAction extends ActionLine {
  id: string;
}

/** What the actions service says about a recommendation beyond statuses. */
interface Content {
  indicators: IndicatorLine[];
  narrative: string;
  evidence: string[];
  assessments: AssessmentLine[];
}

function entry(row: RecommendationRow, actions: ServingAction[], content: Content): RecommendationEntry {
  return {
    id: row.id,
    documentSymbol: row.document_symbol,
    paragraph: row.paragraph,
    text: row.text,
    recommendingStates: row.recommending_states,
    position: row.position,
    implementationStatus: row.implementation_status,
    actions: actions.map(({ id: _id, ...line }) => line),
    indicators: content.indicators,
    narrative: content.narrative,
    evidence: content.evidence,
    assessments: content.assessments,
  };
}

/**
 * Actions serving the recommendations, by recommendation (an action serving several is under each):
 * the served ids are joined by hash, not compared against an array row by row.
 */
async function actionsOf(manager: EntityManager, ids: string[]): Promise<Map<string, ServingAction[]>> {
  const byRecommendation = new Map<string, ServingAction[]>();
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
    const line: ServingAction = {
      id: row.action_id,
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

const day = (value: string): Date => new Date(`${value}T00:00:00Z`);

/** Indicators of the recommendations and of the actions serving them, by subject. */
async function indicatorsOf(
  manager: EntityManager,
  subjects: string[],
): Promise<Map<string, IndicatorLine[]>> {
  const bySubject = new Map<string, IndicatorLine[]>();
  if (subjects.length === 0) return bySubject;
  const rows: Array<{
    subject_id: string;
    name: string;
    unit: string;
    target_value: number | null;
    latest_value: number | null;
    latest_measured_on: string | null;
  }> = await manager.query(
    `SELECT subject_id, name, unit, target_value, latest_value,
            to_char(latest_measured_on, 'YYYY-MM-DD') AS latest_measured_on
       FROM indicator_view WHERE subject_id = ANY ($1::uuid[])
      ORDER BY name, indicator_id`,
    [subjects],
  );
  for (const row of rows) {
    const line: IndicatorLine = {
      name: row.name,
      unit: row.unit || null,
      target: row.target_value === null ? null : String(row.target_value),
      latest:
        row.latest_value === null || row.latest_measured_on === null
          ? null
          : { value: String(row.latest_value), measuredAt: day(row.latest_measured_on) },
    };
    bySubject.set(row.subject_id, [...(bySubject.get(row.subject_id) ?? []), line]);
  }
  return bySubject;
}

/**
 * Each action's progress reports the coordinator accepted: the latest one's narrative, and the
 * evidence of all of them (a file attached twice is listed once).
 */
async function acceptedReportsOf(
  manager: EntityManager,
  actionIds: string[],
): Promise<Map<string, { narrative: string; evidence: string[] }>> {
  const byAction = new Map<string, { narrative: string; evidence: string[]; seen: Set<string> }>();
  if (actionIds.length === 0) return byAction;
  const rows: Array<{
    action_id: string;
    narrative: string;
    files: Array<{ sha256: string; name: string }>;
  }> = await manager.query(
    `SELECT action_id, narrative, files FROM progress_report_view
        WHERE action_id = ANY ($1::uuid[]) AND status = 'accepted_by_coordinator'
        ORDER BY accepted_at, version, report_id`,
    [actionIds],
  );
  for (const row of rows) {
    const reports = byAction.get(row.action_id) ?? { narrative: '', evidence: [], seen: new Set<string>() };
    if (row.narrative) reports.narrative = row.narrative;
    for (const file of row.files)
      if (!reports.seen.has(file.sha256)) {
        reports.seen.add(file.sha256);
        reports.evidence.push(file.name);
      }
    byAction.set(row.action_id, reports);
  }
  return byAction;
}

/** The independent assessments on the public record, oldest first. */
async function assessmentsOf(manager: EntityManager, ids: string[]): Promise<Map<string, AssessmentLine[]>> {
  const byRecommendation = new Map<string, AssessmentLine[]>();
  if (ids.length === 0) return byRecommendation;
  const rows: Array<{
    recommendation_id: string;
    author_organisation_id: string;
    author_kind: string;
    status: string | null;
    narrative: string;
  }> = await manager.query(
    `SELECT recommendation_id, author_organisation_id, author_kind, status, narrative FROM assessment_view
      WHERE recommendation_id = ANY ($1::uuid[]) ORDER BY published_at, assessment_id`,
    [ids],
  );
  for (const row of rows) {
    const line: AssessmentLine = {
      organisation: row.author_organisation_id,
      authorKind: row.author_kind,
      status: row.status,
      narrative: row.narrative,
    };
    byRecommendation.set(row.recommendation_id, [
      ...(byRecommendation.get(row.recommendation_id) ?? []),
      line,
    ]);
  }
  return byRecommendation;
}

async function entries(manager: EntityManager, rows: RecommendationRow[]): Promise<RecommendationEntry[]> {
  const ids = rows.map((row) => row.id);
  const actions = await actionsOf(manager, ids);
  const actionIds = [...new Set([...actions.values()].flat().map((action) => action.id))];
  // One after the other: the report reads one snapshot, on one connection.
  const indicators = await indicatorsOf(manager, [...ids, ...actionIds]);
  const reports = await acceptedReportsOf(manager, actionIds);
  const assessments = await assessmentsOf(manager, ids);
  return rows
    .map((row) => {
      const serving = actions.get(row.id) ?? [];
      const said = serving.flatMap((action) => {
        const accepted = reports.get(action.id);
        return accepted ? [{ title: action.title, ...accepted }] : [];
      });
      // One action's narrative stands alone; several are told apart by their titles.
      const narratives = said.filter((report) => report.narrative);
      const narrative =
        narratives.length === 1
          ? narratives[0].narrative
          : narratives.map((report) => `${report.title}: ${report.narrative}`).join('\n\n');
      return entry(row, serving, {
        indicators: [row.id, ...serving.map((action) => action.id)].flatMap((id) => indicators.get(id) ?? []),
        narrative,
        evidence: [...new Set(said.flatMap((report) => report.evidence))],
        assessments: assessments.get(row.id) ?? [],
      });
    })
    .sort(byParagraph);
}

/**
 * A State's UPR recommendations of one cycle, clustered as in the OHCHR matrices: under the first
 * theme of each, clusters in the order of their labels in the report's language, untagged ones last.
 * Grouped by national cluster instead (`groupBy: 'cluster'`), a recommendation is under each of the
 * coordinator's clusters it belongs to, those in none last.
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
  const groupedBy = filters.groupBy ?? 'theme';
  const headingsOf =
    groupedBy === 'cluster'
      ? await clusterNamesOf(manager, rows)
      : new Map(rows.map((row) => [row.id, row.themes[0] ? [themeLabel(language, row.themes[0])] : []]));
  const clusters = new Map<string | null, RecommendationEntry[]>();
  for (const item of await entries(manager, rows)) {
    const headings = headingsOf.get(item.id) ?? [];
    for (const key of headings.length ? headings : [null])
      clusters.set(key, [...(clusters.get(key) ?? []), item]);
  }
  const ordered: ThemeCluster[] = [...clusters]
    .map(([theme, recommendations]) => ({ theme, recommendations }))
    .sort((a, b) =>
      a.theme === null
        ? 1
        : b.theme === null
          ? -1
          : a.theme.localeCompare(b.theme, language === 'zh' ? 'zh' : language),
    );
  return {
    groupedBy,
    state: filters.state ?? '',
    cycle: filters.cycle ?? null,
    documentSymbols: [...new Set(rows.map((row) => row.document_symbol))].sort(),
    compiledAt: new Date(),
    clusters: ordered,
  };
}

/** The names of the national clusters each recommendation belongs to (cluster_view, as entered). */
async function clusterNamesOf(
  manager: EntityManager,
  rows: RecommendationRow[],
): Promise<Map<string, string[]>> {
  const members: Array<{ recommendation_id: string; name: string }> = await manager.query(
    `SELECT m.recommendation_id, c.name FROM cluster_member_view m JOIN cluster_view c USING (cluster_id)
      WHERE m.recommendation_id = ANY ($1::uuid[]) ORDER BY c.name, c.cluster_id`,
    [rows.map((row) => row.id)],
  );
  const names = new Map<string, string[]>();
  for (const member of members)
    names.set(member.recommendation_id, [...(names.get(member.recommendation_id) ?? []), member.name]);
  return names;
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
