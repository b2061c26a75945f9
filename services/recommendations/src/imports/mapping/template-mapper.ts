import { resolveState, parseStateList } from '../../taxonomy/states';
import { normalizeDocumentSymbol } from '../../taxonomy/document-symbols';
import { parseSdgCell } from '../../taxonomy/sdg';
import { resolveBody } from '../../taxonomy/mechanisms';
import { stripBullet } from '../../taxonomy/labels';
import { uprCycleOfSession } from '../../taxonomy/upr';
import {
  MECHANISM_KINDS,
  RECOMMENDATION_TYPES,
  type MechanismKind,
  type RecommendationType,
} from '../../catalogue/position';
import { cleanText, headerKey, parseDateCell, unique } from './cells';
import type { SheetRow } from '../formats';
import type { ImportedRecommendation, MappedRow } from '../../catalogue/merged-record';
import { parsePosition } from './uhri-mapper';
import { classifyThemes, unmatchedLabelWarnings, WrongLayoutError } from './vocabulary';

/** The template's columns in order, as documented in the README and the downloadable sample. */
export const TEMPLATE_COLUMNS = [
  'mechanism',
  'body',
  'document_symbol',
  'paragraph',
  'text',
  'type',
  'state_under_review',
  'recommending_states',
  'position',
  'position_source',
  'themes',
  'groups_of_persons',
  'sdgs',
  'published_on',
  'language',
  'upr_session',
] as const;
type TemplateColumn = (typeof TEMPLATE_COLUMNS)[number];
const REQUIRED: TemplateColumn[] = ['mechanism', 'body', 'document_symbol', 'paragraph', 'text'];
const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'];

/** Lists in a template cell: one per line or separated by semicolons. */
const listCell = (cell: string): string[] =>
  cell
    .split(/[;\n]/)
    .map(stripBullet)
    .filter((value) => value !== '');

/** Regional mechanisms, national action plans and pledges, in the project's own template. */
export class TemplateMapper {
  private constructor(private readonly index: Map<TemplateColumn, number>) {}

  static isHeader(cells: string[]): boolean {
    const keys = new Set(cells.map(headerKey));
    return REQUIRED.every((column) => keys.has(headerKey(column)));
  }

  static fromHeader(cells: string[]): TemplateMapper {
    const positions = new Map(cells.map((cell, i) => [headerKey(cell), i] as const));
    const index = new Map<TemplateColumn, number>();
    for (const column of TEMPLATE_COLUMNS) {
      const i = positions.get(headerKey(column));
      if (i !== undefined) index.set(column, i);
    }
    const missing = REQUIRED.filter((column) => !index.has(column));
    if (missing.length > 0) {
      throw new WrongLayoutError(
        `Not the recommendations template: the columns ${missing.join(', ')} are missing. The template's columns are: ${TEMPLATE_COLUMNS.join(', ')}.`,
      );
    }
    return new TemplateMapper(index);
  }

  map(row: SheetRow): MappedRow {
    const cell = (column: TemplateColumn): string => {
      const i = this.index.get(column);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const problems: string[] = row.oversized.map(
      (i) => `Column ${i + 1} is longer than the 32,767 characters a cell may hold.`,
    );
    const mechanism = cell('mechanism')
      .toLowerCase()
      .replace(/[\s-]+/g, '_') as MechanismKind;
    if (!MECHANISM_KINDS.includes(mechanism)) {
      problems.push(
        `Unknown mechanism "${cell('mechanism')}": expected one of ${MECHANISM_KINDS.join(', ')}.`,
      );
    }
    // Known UN and regional bodies take their catalogue code, so template rows merge with and filter like
    // UN exports; a pledge or plan keeps its own name (HR75, NAP-2024).
    const national = ['voluntary_pledge', 'national_plan'].includes(mechanism);
    const body = national ? cell('body') : (resolveBody(cell('body'))?.code ?? cell('body'));
    if (!body) problems.push('The body is empty (e.g. IACHR, NAP-2024, HR75).');
    const typedSymbol = cell('document_symbol');
    const unSymbol = ['upr', 'treaty_body', 'special_procedure'].includes(mechanism);
    const documentSymbol = unSymbol && typedSymbol ? normalizeDocumentSymbol(typedSymbol) : typedSymbol;
    if (!documentSymbol) problems.push('The document symbol is empty.');
    const paragraph = cell('paragraph');
    if (!/^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/.test(paragraph)) {
      problems.push(`The paragraph "${paragraph}" is not a paragraph number such as 12 or 3.1.`);
    }
    const text = cleanText(cell('text'));
    if (!text) problems.push('The text is empty.');
    const type = (cell('type').toLowerCase() || 'recommendation') as RecommendationType;
    if (!RECOMMENDATION_TYPES.includes(type)) {
      problems.push(`Unknown type "${cell('type')}": expected ${RECOMMENDATION_TYPES.join(', ')}.`);
    }
    const position = parsePosition(cell('position'));
    if (position === undefined) problems.push(`Unknown position "${cell('position')}".`);
    const stateName = cell('state_under_review');
    const state = stateName ? resolveState(stateName) : undefined;
    if (stateName && !state)
      problems.push(`Unknown State under review "${stateName}": give its name or ISO alpha-3 code (SVN).`);
    const publishedOn = parseDateCell(cell('published_on'));
    if (publishedOn === undefined)
      problems.push(`The date "${cell('published_on')}" is not a date (YYYY-MM-DD).`);
    const language = cell('language').toLowerCase() || 'en';
    if (!LANGUAGES.includes(language))
      problems.push(`Unknown language "${language}": expected ${LANGUAGES.join(', ')}.`);
    const sessionText = cell('upr_session');
    const uprSession = sessionText ? Number(sessionText) : null;
    if (uprSession !== null && !(Number.isInteger(uprSession) && uprSession > 0)) {
      problems.push(`The UPR session "${sessionText}" is not a number.`);
    }
    if (problems.length > 0) return { rowNumber: row.rowNumber, problems, documentSymbol, paragraph };

    const uprCycle = uprSession ? (uprCycleOfSession(uprSession) ?? null) : null;
    const themeLabels = listCell(cell('themes'));
    const groupLabels = listCell(cell('groups_of_persons'));
    const warnings = unmatchedLabelWarnings(themeLabels, groupLabels, uprCycle);
    const states = listCell(cell('recommending_states')).map((name) => parseStateList(name));
    const sdgs = listCell(cell('sdgs')).map(parseSdgCell);
    const record: ImportedRecommendation = {
      source: 'template',
      annotationId: null,
      mechanism,
      body,
      bodies: [body],
      type,
      documentSymbol,
      paragraph,
      text,
      language,
      stateUnderReview: state?.iso3 ?? null,
      uprCycle,
      uprSession,
      publishedOn: publishedOn ?? null,
      indexedOn: null,
      recommendingStates: unique(states.flatMap((parsed) => [...parsed.states, ...parsed.unknown])),
      recommendingRegions: [],
      regions: [],
      position: position ?? (mechanism === 'upr' ? 'pending' : null),
      positionSource: cell('position_source') || null,
      ...classifyThemes(themeLabels, groupLabels, uprCycle),
      sdgGoals: unique(sdgs.flatMap((sdg) => sdg.goals)),
      sdgTargets: unique(sdgs.flatMap((sdg) => sdg.targets)),
      clusterHeadings: [],
    };
    return { rowNumber: row.rowNumber, record, ...(warnings.length > 0 ? { warnings } : {}) };
  }
}
