import {
  formatDate,
  formatNumber,
  isRightToLeft,
  message,
  statusName,
  type ReportLanguage,
} from './messages';
import type { ReportDocument, ReportSection } from './report-document';
import {
  distinctRecommendations,
  recommendationCount,
  type ActionLine,
  type AnnexModel,
  type AssessmentLine,
  type IndicatorLine,
  type RecommendationEntry,
  type TaskListModel,
  type TreatyFollowUpModel,
} from './report-model';
import { countWords, NATIONAL_REPORT_WORD_LIMIT } from './word-count';
import { documentText } from './report-document';

/** The report kinds and the formats each is produced in (issue 11). */
export const DOCUMENT_FORMATS = {
  'upr-annex': ['docx', 'pdf', 'xlsx'],
  'treaty-follow-up': ['docx', 'pdf'],
  'task-list': ['pdf', 'xlsx'],
  'thematic-matrix': ['docx', 'xlsx'],
} as const;
export type DocumentKind = keyof typeof DOCUMENT_FORMATS;
export type DocumentFormat = 'docx' | 'pdf' | 'xlsx';

const lines = (values: string[]): string => values.filter(Boolean).join('\n');

function actionCell(language: ReportLanguage, action: ActionLine): string {
  const who = [action.institution, ...action.supportingInstitutions].filter(Boolean).join(', ');
  const status = statusName(language, 'action', action.status);
  const due = action.dueAt
    ? `, ${message(language, 'word.due', { date: formatDate(language, action.dueAt) })}`
    : '';
  return `${action.title}${who ? ` (${who})` : ''}: ${status}${due}`;
}

function indicatorCell(language: ReportLanguage, indicator: IndicatorLine): string {
  const unit = indicator.unit ? ` ${indicator.unit}` : '';
  const latest = indicator.latest
    ? `${indicator.latest.value}${unit} (${formatDate(language, indicator.latest.measuredAt)})`
    : message(language, 'word.notMeasured');
  const target = indicator.target
    ? `; ${message(language, 'word.target', { value: indicator.target + unit })}`
    : '';
  return `${indicator.name}: ${latest}${target}`;
}

function assessmentCell(language: ReportLanguage, assessment: AssessmentLine): string {
  const author = statusName(language, 'author', assessment.authorKind);
  const status = assessment.status ? `: ${statusName(language, 'implementation', assessment.status)}` : '';
  const narrative = assessment.narrative ? `. ${assessment.narrative}` : '';
  return `${author} (${assessment.organisation})${status}${narrative}`;
}

/** The narrative with its evidence beneath it: a column of its own would be too narrow for file names. */
function narrativeCell(language: ReportLanguage, entry: RecommendationEntry): string {
  if (entry.evidence.length === 0) return entry.narrative;
  return lines([entry.narrative, `${message(language, 'column.evidence')}: ${entry.evidence.join(', ')}`]);
}

function recommendationCell(entry: RecommendationEntry): string {
  return entry.text;
}

function withWordCount(document: ReportDocument): ReportDocument {
  const count = countWords(documentText(document));
  const key = count > NATIONAL_REPORT_WORD_LIMIT ? 'meta.wordCountOver' : 'meta.wordCountValue';
  const value = message(document.language, key, {
    count: formatNumber(document.language, count),
    limit: formatNumber(document.language, NATIONAL_REPORT_WORD_LIMIT),
  });
  return {
    ...document,
    wordCount: count,
    facts: [...document.facts, { label: message(document.language, 'meta.wordCount'), value }],
  };
}

function statusCounts(language: ReportLanguage, entries: RecommendationEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries)
    counts.set(entry.implementationStatus, (counts.get(entry.implementationStatus) ?? 0) + 1);
  return [...counts]
    .map(
      ([status, count]) =>
        `${statusName(language, 'implementation', status)}: ${formatNumber(language, count)}`,
    )
    .join('; ');
}

function annexFacts(language: ReportLanguage, model: AnnexModel) {
  const all = distinctRecommendations(model);
  return [
    { label: message(language, 'meta.state'), value: model.state },
    ...(model.cycle
      ? [{ label: message(language, 'meta.cycle'), value: formatNumber(language, model.cycle) }]
      : []),
    { label: message(language, 'meta.documents'), value: model.documentSymbols.join(', ') },
    {
      label: message(language, 'meta.recommendations'),
      value: formatNumber(language, recommendationCount(model)),
    },
    { label: message(language, 'meta.byStatus'), value: statusCounts(language, all) },
    { label: message(language, 'meta.generatedAt'), value: formatDate(language, model.compiledAt) },
  ];
}

const sectionHeading = (language: ReportLanguage, model: AnnexModel, heading: string | null) =>
  heading ?? message(language, model.groupedBy === 'cluster' ? 'cluster.none' : 'theme.none');

const sectionLabel = (language: ReportLanguage, model: AnnexModel) =>
  message(language, model.groupedBy === 'cluster' ? 'column.cluster' : 'column.theme');

/** UPR annex: per theme, each recommendation with its status, actions, indicators, narrative and evidence. */
export function annexDocument(model: AnnexModel, language: ReportLanguage): ReportDocument {
  const sections: ReportSection[] = model.clusters.map((cluster) => ({
    heading: sectionHeading(language, model, cluster.theme),
    paragraphs: [],
    rows: cluster.recommendations.map((entry) => [
      entry.paragraph,
      recommendationCell(entry),
      entry.recommendingStates.join(', '),
      statusName(language, 'position', entry.position),
      statusName(language, 'implementation', entry.implementationStatus),
      entry.actions.length
        ? lines(entry.actions.map((action) => actionCell(language, action)))
        : message(language, 'word.none'),
      lines(entry.indicators.map((indicator) => indicatorCell(language, indicator))),
      narrativeCell(language, entry),
    ]),
  }));
  return withWordCount({
    language,
    rightToLeft: isRightToLeft(language),
    title: message(language, 'annex.title'),
    subtitle: message(language, 'annex.subtitle'),
    facts: annexFacts(language, model),
    sections,
    columns: [
      { label: message(language, 'column.paragraph'), width: 7 },
      { label: message(language, 'column.recommendation'), width: 25 },
      { label: message(language, 'column.recommendingStates'), width: 10 },
      { label: message(language, 'column.position'), width: 8 },
      { label: message(language, 'column.implementationStatus'), width: 10 },
      { label: message(language, 'column.actions'), width: 16 },
      { label: message(language, 'column.indicators'), width: 12 },
      { label: message(language, 'column.narrative'), width: 14 },
    ],
    sectionLabel: sectionLabel(language, model),
    landscape: true,
    shortTitle: message(language, 'meta.recommendations'),
    wordCount: null,
  });
}

/** OHCHR matrix layout: recommendation with its States, position, themes, and an assessment column. */
export function matrixDocument(model: AnnexModel, language: ReportLanguage): ReportDocument {
  const sections: ReportSection[] = model.clusters.map((cluster) => ({
    heading: sectionHeading(language, model, cluster.theme),
    paragraphs: [],
    rows: cluster.recommendations.map((entry) => [
      `${entry.paragraph} ${entry.text}${entry.recommendingStates.length ? ` (${entry.recommendingStates.join(', ')})` : ''}`,
      statusName(language, 'position', entry.position),
      statusName(language, 'implementation', entry.implementationStatus),
      lines(entry.assessments.map((assessment) => assessmentCell(language, assessment))),
    ]),
  }));
  return withWordCount({
    language,
    rightToLeft: isRightToLeft(language),
    title: message(language, 'matrix.title'),
    subtitle: message(language, 'matrix.subtitle'),
    facts: annexFacts(language, model),
    sections,
    columns: [
      { label: message(language, 'column.recommendation'), width: 50 },
      { label: message(language, 'column.position'), width: 10 },
      { label: message(language, 'column.implementationStatus'), width: 12 },
      { label: message(language, 'column.assessment'), width: 28 },
    ],
    sectionLabel: sectionLabel(language, model),
    landscape: true,
    shortTitle: message(language, 'meta.recommendations'),
    wordCount: null,
  });
}

/** Treaty-body follow-up: one section per paragraph, with the measures and the evidence behind them. */
export function treatyFollowUpDocument(model: TreatyFollowUpModel, language: ReportLanguage): ReportDocument {
  const sections: ReportSection[] = model.recommendations.map((entry) => ({
    heading: `${entry.documentSymbol}, ${message(language, 'column.paragraph')} ${entry.paragraph}`,
    paragraphs: [entry.text, ...(entry.narrative ? [entry.narrative] : [])],
    rows: [
      [
        statusName(language, 'implementation', entry.implementationStatus),
        entry.actions.length
          ? lines(entry.actions.map((action) => actionCell(language, action)))
          : message(language, 'word.none'),
        lines(entry.indicators.map((indicator) => indicatorCell(language, indicator))),
        lines(entry.evidence),
      ],
    ],
  }));
  return {
    language,
    rightToLeft: isRightToLeft(language),
    title: message(language, 'treatyFollowUp.title'),
    subtitle: message(language, 'treatyFollowUp.subtitle'),
    facts: [
      { label: message(language, 'meta.state'), value: model.state },
      { label: message(language, 'meta.committee'), value: model.committee },
      { label: message(language, 'meta.documents'), value: model.documentSymbols.join(', ') },
      {
        label: message(language, 'meta.recommendations'),
        value: formatNumber(language, model.recommendations.length),
      },
      { label: message(language, 'meta.generatedAt'), value: formatDate(language, model.compiledAt) },
    ],
    sections,
    columns: [
      { label: message(language, 'column.implementationStatus'), width: 14 },
      { label: message(language, 'column.actions'), width: 36 },
      { label: message(language, 'column.indicators'), width: 25 },
      { label: message(language, 'column.evidence'), width: 25 },
    ],
    sectionLabel: message(language, 'column.recommendation'),
    landscape: false,
    shortTitle: message(language, 'meta.committee'),
    wordCount: null,
  };
}

/** A ministry's actions, overdue first within each status, with due dates. */
export function taskListDocument(model: TaskListModel, language: ReportLanguage): ReportDocument {
  const yes = message(language, 'word.yes');
  const no = message(language, 'word.no');
  return {
    language,
    rightToLeft: isRightToLeft(language),
    title: `${message(language, 'taskList.title')}: ${model.institution}`,
    subtitle: message(language, 'taskList.subtitle'),
    facts: [
      { label: message(language, 'meta.institution'), value: model.institution },
      { label: message(language, 'meta.actions'), value: formatNumber(language, model.tasks.length) },
      { label: message(language, 'meta.generatedAt'), value: formatDate(language, model.compiledAt) },
    ],
    sections: [
      {
        heading: message(language, 'meta.actions'),
        paragraphs: [],
        rows: model.tasks.map((task) => [
          task.title,
          message(language, task.role === 'lead' ? 'role.lead' : 'role.support'),
          lines([`${task.documentSymbol} ${task.paragraph}`.trim(), task.recommendation]),
          task.dueAt ? formatDate(language, task.dueAt) : '',
          statusName(language, 'action', task.status),
          task.overdue ? yes : no,
        ]),
      },
    ],
    columns: [
      { label: message(language, 'column.action'), width: 28 },
      { label: message(language, 'column.role'), width: 8 },
      { label: message(language, 'column.source'), width: 36 },
      { label: message(language, 'column.dueDate'), width: 10 },
      { label: message(language, 'column.status'), width: 10 },
      { label: message(language, 'column.overdue'), width: 8 },
    ],
    sectionLabel: message(language, 'meta.actions'),
    landscape: true,
    shortTitle: message(language, 'taskList.title'),
    wordCount: null,
  };
}
