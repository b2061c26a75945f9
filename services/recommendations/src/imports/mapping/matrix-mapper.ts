import { findState, parseStateList } from '../../taxonomy/states';
import { parseDocumentSymbol, parseParagraph, unreadableParagraph } from '../../taxonomy/document-symbols';
import { parseSdgCell } from '../../taxonomy/sdg';
import { stripBullet } from '../../taxonomy/labels';
import { uprCycleOfSession } from '../../taxonomy/upr';
import { cleanText, headerKey, unique } from './cells';
import type { TableRow } from '../formats';
import type { ImportedRecommendation, MappedRow } from '../../catalogue/merged-record';
import { parsePosition } from './uhri-mapper';
import { classifyThemes } from './vocabulary';

/** What the matrix's page header or the uploader says about the whole document. */
export interface MatrixContext {
  stateUnderReview?: string;
  uprSession?: number;
  documentSymbol?: string;
}

/** "UPR of Slovenia (2nd Cycle – 20th session)" → the State and the session. */
export function parseMatrixTitle(text: string): MatrixContext {
  const context: MatrixContext = {};
  const state = /UPR of\s+(.+?)\s*\(/i.exec(text);
  if (state) {
    const found = findState(state[1]);
    if (found) context.stateUnderReview = found.iso3;
  }
  const session = /(\d+)\s*(?:st|nd|rd|th)?\s*session/i.exec(text);
  if (session) context.uprSession = Number(session[1]);
  return context;
}

interface Layout {
  name: 'cycle 2/3' | 'cycle 4';
  recommendation: number;
  position: number;
  themes: number;
  sdgs?: number;
}

/**
 * Cycles 2–3: Recommendation | Position | Full list of themes | Assessment/comments.
 * Cycle 4: Recommendation and recommending State | Position of the State under review |
 * Human rights themes and groups of persons | Relevant SDGs.
 */
function detectLayout(cells: string[]): Layout | undefined {
  const keys = cells.map(headerKey);
  const find = (test: (key: string) => boolean) => keys.findIndex(test);
  const recommendation = find((key) => key.startsWith('recommendation'));
  const position = find((key) => key.startsWith('position'));
  const themes = find((key) => key.includes('theme'));
  if (recommendation < 0 || position < 0 || themes < 0) return undefined;
  const sdgs = find((key) => key.includes('sdg'));
  return {
    name: keys[recommendation].includes('recommendingstate') || sdgs >= 0 ? 'cycle 4' : 'cycle 2/3',
    recommendation,
    position,
    themes,
    sdgs: sdgs >= 0 ? sdgs : undefined,
  };
}

const SOURCE_OF_POSITION = /^source of position\s*:?\s*/i;
const RECOMMENDING_STATES = /^recommending states?\s*:?\s*/i;
const SECTION = /^(affected persons|groups of persons|persons or groups|sdgs?|themes?)\s*:?\s*$/i;

/** Parenthesised groups, allowing one level of nesting: "(Bolivia (Plurinational State of))". */
const PARENTHESES = /\(((?:[^()]|\([^()]*\))*)\)/g;

/** The recommending States named in the text's parentheses; other parentheses ("(No. 29)") are ignored. */
export function statesInText(text: string): string[] {
  const states: string[] = [];
  for (const match of text.matchAll(PARENTHESES)) {
    const parsed = parseStateList(match[1]);
    if (parsed.states.length > 0 && parsed.unknown.length === 0) states.push(...parsed.states);
  }
  return unique(states);
}

/** Maps the rows of an OHCHR thematic matrix (UPR cycles 2–4) to recommendations. */
export class MatrixMapper {
  private layout?: Layout;
  private heading?: string;
  private table = -1;
  /** Whether the current table is (part of) the matrix; undecided for its first rows. */
  private tableIsMatrix: boolean | undefined;
  private rowsSeen = 0;

  /** The symbol given with the upload, normalised: used for rows that do not name their own. */
  private readonly contextSymbol?: string;

  constructor(private readonly context: MatrixContext) {
    const given = context.documentSymbol ? parseDocumentSymbol(context.documentSymbol) : undefined;
    this.contextSymbol = given
      ? (given.report ?? given.normalized)
      : context.documentSymbol?.trim() || undefined;
  }

  get layoutName(): string | undefined {
    return this.layout?.name;
  }

  /** Undefined for header and heading rows, which only set state for the rows below them, and for other tables. */
  map(row: TableRow, rowNumber: number): MappedRow | undefined {
    const texts = row.cells.map((paragraphs) => paragraphs.map(cleanText).filter((line) => line !== ''));
    const firstLines = texts.map((lines) => lines.join(' '));
    if (row.tableIndex !== this.table) {
      this.table = row.tableIndex;
      this.tableIsMatrix = undefined;
      this.rowsSeen = 0;
    }
    this.rowsSeen += 1;
    if (this.tableIsMatrix === false) return undefined;
    const header = detectLayout(firstLines);
    if (header) {
      this.layout = header;
      this.tableIsMatrix = true;
      return undefined;
    }
    if (!this.layout) return undefined; // before any matrix header: a title block or another table
    const distinct = unique(firstLines.filter((line) => line !== ''));
    if (distinct.length === 0) return undefined;
    const numbered = parseParagraph(distinct[0], { upr: true }) !== undefined;
    if (this.tableIsMatrix === undefined) {
      // A table after the matrix: a continuation if it has the matrix's columns and numbered rows.
      if (numbered && row.cells.length >= this.layout.themes) this.tableIsMatrix = true;
      else if (this.rowsSeen >= 3) this.tableIsMatrix = false;
      if (!this.tableIsMatrix) return undefined;
    }
    if (distinct.length === 1 && !numbered) {
      this.heading = distinct[0].replace(/^theme\s*:\s*/i, '').trim();
      return undefined;
    }
    return this.mapRecommendation(texts, rowNumber, row.oversized);
  }

  private mapRecommendation(cells: string[][], rowNumber: number, oversized: boolean): MappedRow {
    const layout = this.layout as Layout;
    const problems: string[] = [];
    if (oversized) problems.push('A cell is longer than the 32,767 characters a cell may hold.');
    const recommendationLines = cells[layout.recommendation] ?? [];
    const positionLines = cells[layout.position] ?? [];
    const sourceLine = [...recommendationLines, ...positionLines].find((line) =>
      SOURCE_OF_POSITION.test(line),
    );
    const positionSource = sourceLine ? sourceLine.replace(SOURCE_OF_POSITION, '').trim() : null;
    const stateLine = recommendationLines.find((line) => RECOMMENDING_STATES.test(line));
    const text = cleanText(
      recommendationLines
        .filter((line) => !SOURCE_OF_POSITION.test(line) && !RECOMMENDING_STATES.test(line))
        .join(' '),
    );
    const parsed = parseParagraph(text, { upr: true });
    const unreadable = parsed ? undefined : unreadableParagraph(text);
    if (unreadable) {
      problems.push(
        `The paragraph number "${unreadable}" at the start of "${text.length > 80 ? `${text.slice(0, 80)}…` : text}" is ambiguous: write it as the report numbers it (e.g. "115.1").`,
      );
    } else if (!parsed) {
      problems.push('No paragraph number at the start of the recommendation (e.g. "115.1 …").');
    }

    const positionText = positionLines.find((line) => !SOURCE_OF_POSITION.test(line)) ?? '';
    const position = parsePosition(positionText);
    if (position === undefined)
      problems.push(`Unknown position "${positionText}": expected Supported or Noted.`);

    // "A/HRC/28/15/Add.1 - Para. 3", with a hyphen or a dash, or "(para. 3)": the symbol comes first.
    const sourceSymbol = positionSource?.split(/\s*[-–—]\s*para|\s*\(\s*para|\s+[-–—]\s+|\s+para/i)[0];
    const fromSource = sourceSymbol ? parseDocumentSymbol(sourceSymbol) : undefined;
    const documentSymbol = fromSource?.report ?? fromSource?.normalized ?? this.contextSymbol;
    if (!documentSymbol) {
      problems.push(
        'No outcome-report symbol: the row has no "Source of position" and none was given with the upload.',
      );
    }

    const { themes: themeLines, groups: groupLines, sdgs: sdgLines } = sections(cells[layout.themes] ?? []);
    if (layout.sdgs !== undefined) sdgLines.push(...(cells[layout.sdgs] ?? []));

    if (problems.length > 0 || !parsed || position === undefined || !documentSymbol) {
      return { rowNumber, problems, documentSymbol, paragraph: parsed?.paragraph };
    }
    const uprCycle = this.context.uprSession ? (uprCycleOfSession(this.context.uprSession) ?? null) : null;
    const sdgs = sdgLines.map(parseSdgCell);
    const recommendingStates = stateLine
      ? (({ states, unknown }) => unique([...states, ...unknown]))(
          parseStateList(stateLine.replace(RECOMMENDING_STATES, '')),
        )
      : statesInText(parsed.text);
    const record: ImportedRecommendation = {
      source: 'upr_matrix',
      annotationId: null,
      mechanism: 'upr',
      body: 'UPR',
      bodies: ['UPR'],
      type: 'recommendation',
      documentSymbol,
      paragraph: parsed.paragraph,
      text: parsed.text,
      language: 'en',
      stateUnderReview: this.context.stateUnderReview ?? null,
      uprCycle,
      uprSession: this.context.uprSession ?? null,
      publishedOn: null,
      indexedOn: null,
      recommendingStates,
      recommendingRegions: [],
      regions: [],
      position: position ?? 'pending',
      positionSource,
      ...classifyThemes(themeLines, groupLines, uprCycle),
      sdgGoals: unique(sdgs.flatMap((sdg) => sdg.goals)),
      sdgTargets: unique(sdgs.flatMap((sdg) => sdg.targets)),
      clusterHeadings: this.heading ? [this.heading] : [],
    };
    return { rowNumber, record };
  }
}

/** Splits a themes cell into its themes, "Affected persons:" and "SDGs:" sections. */
function sections(lines: string[]): { themes: string[]; groups: string[]; sdgs: string[] } {
  const result = { themes: [] as string[], groups: [] as string[], sdgs: [] as string[] };
  let current = result.themes;
  for (const line of lines) {
    const marker = SECTION.exec(line);
    if (marker) {
      const name = marker[1].toLowerCase();
      current = name.startsWith('sdg')
        ? result.sdgs
        : name.startsWith('theme')
          ? result.themes
          : result.groups;
      continue;
    }
    const value = stripBullet(line);
    if (value) current.push(value);
  }
  return result;
}
