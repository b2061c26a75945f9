// What the public portal reads: published recommendations, the actions of published plans, published
// progress reports and assessments, and the reporting service's counts of published items.

export interface PublicRecommendation {
  id: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
  body: string;
  mechanism: string;
  recommendingStates: string[];
  themes: string[];
  sdgGoals: string[];
  implementationStatus: string | null;
  published: boolean;
}

export interface SearchPage {
  items: PublicRecommendation[];
  total: number;
}

export interface PublicAction {
  id: string;
  title: string;
  status: string;
  leadInstitutionName: string | null;
  dueAt: string | null;
}

export interface PublishedReport {
  id: string;
  actionId: string;
  percentage: number;
  narrative: string;
  final: boolean;
  createdAt: string;
  publishedAt?: string;
}

export interface Count {
  count: number;
}

export interface Breakdown {
  asOf: string;
  total: Count;
  byStatus: Record<string, Count>;
  groups: { key: string; total: Count; byStatus: Record<string, Count> }[];
}

export const IMPLEMENTATION_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
] as const;

/** The newest published report of each action: the progress a reader sees first. */
export function latestByAction(reports: PublishedReport[]): Map<string, PublishedReport> {
  const latest = new Map<string, PublishedReport>();
  for (const report of reports) {
    const known = latest.get(report.actionId);
    if (!known || Date.parse(report.createdAt) > Date.parse(known.createdAt))
      latest.set(report.actionId, report);
  }
  return latest;
}

/** The search's address: the words and the page, so a result can be shared. */
export function searchPath(words: string, offset: number, limit: number): string {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (words.trim()) query.set('q', words.trim());
  return `/recommendations?${query}`;
}
