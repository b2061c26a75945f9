import type { ReportLanguage } from './messages';

/**
 * The laid-out report every renderer reads: title, key facts, then sections, each a heading with
 * paragraphs and a table. Labels are already translated; cells hold the content as entered.
 */
export interface ReportDocument {
  language: ReportLanguage;
  rightToLeft: boolean;
  title: string;
  subtitle: string;
  /** Key facts under the title: State, cycle, compiled on, word count. */
  facts: { label: string; value: string }[];
  sections: ReportSection[];
  /** Columns of every section's table (the sections share one layout). */
  columns: ReportColumn[];
  /** The sections' heading as a column of the flat spreadsheet, e.g. "Theme". */
  sectionLabel: string;
  landscape: boolean;
  /** Also the spreadsheet's sheet name (at most 31 characters). */
  shortTitle: string;
  wordCount: number | null;
}

export interface ReportColumn {
  label: string;
  /** Relative width; renderers scale the columns to the page. */
  width: number;
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  /** One row per entry; a cell's lines are separated by "\n". */
  rows: string[][];
}

/** Every piece of text in reading order: what the word count counts. */
export function documentText(document: ReportDocument): string {
  const parts = [document.title, document.subtitle, ...document.columns.map((column) => column.label)];
  for (const section of document.sections) {
    parts.push(section.heading, ...section.paragraphs);
    for (const row of section.rows) parts.push(...row);
  }
  return parts.join('\n');
}
