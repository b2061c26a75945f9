/**
 * What a compiled report says, independent of its format. The loaders in ../reports fill these from
 * the read model; the renderers here turn them into DOCX, PDF and XLSX. Content (texts, titles,
 * narratives) stays in the language it was entered in; only labels are translated.
 */

export interface ActionLine {
  title: string;
  /** The lead institution; null while the action is unassigned. */
  institution: string | null;
  supportingInstitutions: string[];
  /** not_started, in_progress, blocked, completed or cancelled. */
  status: string;
  dueAt: Date | null;
}

export interface IndicatorLine {
  name: string;
  unit: string | null;
  target: string | null;
  latest: { value: string; measuredAt: Date } | null;
}

export interface RecommendationEntry {
  id: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
  recommendingStates: string[];
  /** supported, noted, supported_in_part, pending or unspecified. */
  position: string;
  /** not_started, in_progress, partially_implemented, implemented or no_longer_applicable. */
  implementationStatus: string;
  actions: ActionLine[];
  indicators: IndicatorLine[];
  /** What the State says it did: the latest accepted progress report of each action serving it. */
  narrative: string;
  /** The evidence files' names, from the accepted progress reports. */
  evidence: string[];
  /** Independent assessments of the level of implementation on the public record (matrix column). */
  assessments: AssessmentLine[];
}

/** An assessment by the national human rights institution or civil society, as published. */
export interface AssessmentLine {
  organisation: string;
  /** nhri or civil_society. */
  authorKind: string;
  /** The author's view, in the implementation-status vocabulary; null when it did not give one. */
  status: string | null;
  narrative: string;
}

export interface ThemeCluster {
  /** The theme's label (or the national cluster's name); null for the recommendations without one, listed last. */
  theme: string | null;
  recommendations: RecommendationEntry[];
}

/** UPR annex and thematic matrix: recommendations of a State and cycle, clustered by theme. */
export interface AnnexModel {
  /** By first theme (the OHCHR matrices), or by national cluster: a recommendation under each of its clusters. */
  groupedBy: 'theme' | 'cluster';
  state: string;
  cycle: number | null;
  documentSymbols: string[];
  compiledAt: Date;
  clusters: ThemeCluster[];
}

/** Treaty-body follow-up: the paragraphs a committee marked for follow-up. */
export interface TreatyFollowUpModel {
  state: string;
  committee: string;
  documentSymbols: string[];
  compiledAt: Date;
  recommendations: RecommendationEntry[];
}

export interface TaskLine {
  title: string;
  role: 'lead' | 'support';
  documentSymbol: string;
  paragraph: string;
  recommendation: string;
  status: string;
  dueAt: Date | null;
  overdue: boolean;
}

/** A ministry's task list, the page a focal point prints for their minister. */
export interface TaskListModel {
  institution: string;
  compiledAt: Date;
  tasks: TaskLine[];
}

/** Each recommendation once, though one in several national clusters is listed under each. */
export function distinctRecommendations(model: AnnexModel): RecommendationEntry[] {
  const byId = new Map<string, RecommendationEntry>();
  for (const cluster of model.clusters)
    for (const entry of cluster.recommendations) byId.set(entry.id, entry);
  return [...byId.values()];
}

export function recommendationCount(model: AnnexModel): number {
  return distinctRecommendations(model).length;
}
