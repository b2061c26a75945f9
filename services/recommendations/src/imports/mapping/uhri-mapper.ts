import { parseDocumentSymbol, parseParagraph, unreadableParagraph } from '../../taxonomy/document-symbols';
import { parseSdgCell } from '../../taxonomy/sdg';
import { parseStateList, resolveState } from '../../taxonomy/states';
import { parseUprSession, uprCycleOfSession } from '../../taxonomy/upr';
import { resolveBody } from '../../taxonomy/mechanisms';
import type { Position, RecommendationType } from '../../catalogue/position';
import { bulletList, cleanText, headerKey, parseDateCell, singleValue, stripMarkup, unique } from './cells';
import type { SheetRow } from '../formats';
import type { ImportedRecommendation, MappedRow } from '../../catalogue/merged-record';
import { classifyThemes, unmatchedLabelWarnings, WrongLayoutError } from './vocabulary';

/** The 16 headers of the UHRI full export, in OHCHR's own spelling and order. */
export const UHRI_EXPORT_HEADERS = [
  'Text',
  'Countries Concerned',
  'Reccomending Body',
  'Document Symbol',
  'Themes',
  'Affected Persons',
  'Sdgs',
  'Document Publication Date',
  'UPR Reccomending States',
  'UPR Position',
  'Type',
  'OHCHR Annotation Id',
  'UPR Session',
  'Regions Concerned',
  'Recommending Regions',
  'Date of publication on UHRI',
] as const;

/** The UHRI full export's columns, each with the spellings exports have used (OHCHR's included). */
const COLUMNS = {
  text: ['Text', 'Recommendation', 'Annotation text'],
  countries: ['Countries Concerned', 'Country Concerned', 'Country', 'State under review'],
  body: ['Reccomending Body', 'Recommending Body', 'Body', 'Mechanism'],
  symbol: ['Document Symbol', 'Symbol'],
  themes: ['Themes', 'Theme'],
  groups: ['Affected Persons', 'Affected persons or groups', 'Groups of persons'],
  sdgs: ['Sdgs', 'SDG', 'SDG targets'],
  published: ['Document Publication Date', 'Publication Date'],
  states: ['UPR Reccomending States', 'UPR Recommending States', 'Recommending States'],
  position: ['UPR Position', 'Position'],
  type: ['Type', 'Annotation type'],
  annotation: ['OHCHR Annotation Id', 'Annotation Id'],
  session: ['UPR Session', 'Session'],
  regions: ['Regions Concerned'],
  recommendingRegions: ['Recommending Regions', 'Reccomending Regions'],
  indexed: ['Date of publication on UHRI', 'UHRI publication date'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['text', 'body', 'symbol'];

type Labels = ReturnType<typeof classifyThemes> & { unmatched: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parsePosition(value: string): Position | null | undefined {
  const key = value.toLowerCase().replace(/\s+/g, ' ').trim();
  if (key === '') return null;
  if (key === 'supported' || key === 'accepted') return 'supported';
  if (key === 'noted' || key === 'not supported') return 'noted';
  // "Supported/Noted": the State supported part of the recommendation and noted the rest.
  if (/^supported ?\/ ?noted$/.test(key) || key === 'supported in part' || key === 'partially supported') {
    return 'supported_in_part';
  }
  if (key === 'pending') return 'pending';
  return undefined;
}

export function parseType(value: string): RecommendationType | undefined {
  const key = value.toLowerCase().replace(/\s+/g, '');
  if (key === '' || key.startsWith('recommendation')) return 'recommendation';
  if (key.startsWith('concern') || key.startsWith('observation')) return 'observation';
  return undefined;
}

/** What the uploader can say for the rows that lack it. */
export interface UhriContext {
  /** The document of rows whose "Document Symbol" cell is empty. */
  documentSymbol?: string;
}

/** Results by cell text, forgotten all at once past a bound so a file of unique cells stays small. */
class CellMemo<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly bound = 5000) {}

  get(key: string, compute: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.bound) this.values.clear();
      value = compute();
      this.values.set(key, value);
    }
    return value;
  }
}

/** Maps rows of a UHRI full export (any spelling of its headers) to recommendations. */
export class UhriMapper {
  // Shared between the rows that repeat a cell: never mutated.
  private readonly stateMemo = new CellMemo<ReturnType<typeof parseStateList>>();
  private readonly sdgMemo = new CellMemo<{ goals: string[]; targets: string[] }>();
  private readonly labelMemo = new CellMemo<Labels>();

  private constructor(
    private readonly index: Partial<Record<Column, number>>,
    private readonly headers: string[],
    private readonly context: UhriContext,
  ) {}

  /** The header row; throws when the required columns are missing. */
  static fromHeader(cells: string[], context: UhriContext = {}): UhriMapper {
    const positions = new Map(cells.map((cell, i) => [headerKey(cell), i] as const));
    const index: Partial<Record<Column, number>> = {};
    for (const [column, spellings] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
      const found = spellings.map(headerKey).find((key) => positions.has(key));
      if (found !== undefined) index[column] = positions.get(found);
    }
    const missing = REQUIRED.filter((column) => index[column] === undefined);
    if (missing.length > 0) {
      const found = cells.filter((cell) => cell.trim() !== '').slice(0, 20);
      throw new WrongLayoutError(
        `Not a UHRI export: the column${missing.length > 1 ? 's' : ''} ${missing
          .map((column) => `"${COLUMNS[column][0]}"`)
          .join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. Found: ${
          found.length ? found.map((cell) => `"${cell}"`).join(', ') : 'no headers'
        }.`,
      );
    }
    return new UhriMapper(index, cells, context);
  }

  /** Whether a row looks like the header row, to skip title rows above it. */
  static isHeader(cells: string[]): boolean {
    const keys = new Set(cells.map(headerKey));
    return REQUIRED.every((column) => COLUMNS[column].some((spelling) => keys.has(headerKey(spelling))));
  }

  map(row: SheetRow): MappedRow {
    const cell = (column: Column): string => {
      const i = this.index[column];
      return i === undefined ? '' : (row.cells[i] ?? '');
    };
    const problems: string[] = [];
    for (const i of row.oversized) {
      problems.push(
        `The "${this.headers[i] ?? `column ${i + 1}`}" cell is longer than the 32,767 characters a cell may hold.`,
      );
    }

    const rawText = cleanText(stripMarkup(cell('text')));
    const symbolCell = singleValue(cell('symbol')) || (this.context.documentSymbol ?? '');
    const documentSymbol = parseDocumentSymbol(symbolCell)?.normalized ?? symbolCell;
    const annotation = singleValue(cell('annotation'));
    const warnings: string[] = [];

    // Joint Special Procedures texts list each mandate on its own line ("- SR …", "- WG …").
    const bodyLines = bulletList(cell('body'));
    const bodies = bodyLines.map((line) => ({ line, body: resolveBody(line) }));
    const known = bodies.flatMap((entry) => (entry.body ? [entry.body] : []));
    const body = known[0];
    if (!body) problems.push(`Unknown recommending body "${bodyLines.join('; ')}".`);
    else if (known.length < bodies.length) {
      const unknown = bodies.filter((entry) => !entry.body).map((entry) => `"${entry.line}"`);
      warnings.push(
        `Several bodies in one cell: the recommendation is filed under ${unique(known.map((b) => b.code)).join(', ')}; not recognised: ${unknown.join(', ')}.`,
      );
    }

    const parsed = parseParagraph(rawText, { upr: body?.kind === 'upr' });
    const paragraph = parsed?.paragraph;
    if (rawText === '') problems.push('The text is empty.');
    else if (!paragraph) {
      const unreadable = unreadableParagraph(rawText);
      problems.push(
        unreadable
          ? `The paragraph number "${unreadable}" at the start of "${excerpt(rawText)}" is ambiguous: write it as the report numbers it (e.g. "135.1").`
          : 'No paragraph number at the start of the text (e.g. "137.197 …" or "49. …").',
      );
    }
    if (documentSymbol === '') {
      problems.push(
        annotation
          ? `The document symbol is empty: annotation ${annotation} cannot be matched to its report without it. Fill the "Document Symbol" column, or send documentSymbol with the upload for the rows that lack it.`
          : 'The document symbol is empty.',
      );
    }

    const type = parseType(singleValue(cell('type')));
    if (!type)
      problems.push(
        `Unknown type "${singleValue(cell('type'))}": expected Recommendations or Concerns/Observations.`,
      );

    const positionText = singleValue(cell('position'));
    const position = parsePosition(positionText);
    if (position === undefined)
      problems.push(`Unknown UPR position "${positionText}": expected Supported, Noted or Supported/Noted.`);

    if (annotation !== '' && !UUID.test(annotation))
      problems.push(`The annotation id "${annotation}" is not a UUID.`);

    const publishedOn = parseDateCell(cell('published'));
    if (publishedOn === undefined)
      problems.push(`The publication date "${cell('published')}" is not a date.`);
    const indexedOn = parseDateCell(cell('indexed'));
    if (indexedOn === undefined)
      problems.push(`The UHRI publication date "${cell('indexed')}" is not a date.`);

    const countryName = singleValue(cell('countries'));
    const country = countryName ? resolveState(countryName) : undefined;
    if (countryName && !country) problems.push(`Unknown country concerned "${countryName}".`);

    const sessionText = singleValue(cell('session'));
    const uprSession = sessionText ? parseUprSession(sessionText) : undefined;
    if (sessionText && uprSession === undefined) problems.push(`Unknown UPR session "${sessionText}".`);

    if (problems.length > 0 || !paragraph || !body || !type || position === undefined) {
      return { rowNumber: row.rowNumber, problems, documentSymbol, paragraph };
    }

    const states = this.stateMemo.get(cell('states'), () => parseStateList(cell('states')));
    const sdgs = this.sdgMemo.get(cell('sdgs'), () => {
      const cells = bulletList(cell('sdgs')).map(parseSdgCell);
      return {
        goals: unique(cells.flatMap((sdg) => sdg.goals)),
        targets: unique(cells.flatMap((sdg) => sdg.targets)),
      };
    });
    const uprCycle = uprSession ? (uprCycleOfSession(uprSession) ?? null) : null;
    // Exports repeat the same few label cells thousands of times: each combination is classified once.
    const { themes, themeLabels, groups, groupLabels, unmatched } = this.labelMemo.get(
      `${uprCycle}\u0001${cell('themes')}\u0001${cell('groups')}`,
      () => {
        const classified = classifyThemes(bulletList(cell('themes')), bulletList(cell('groups')), uprCycle);
        return {
          ...classified,
          unmatched: unmatchedLabelWarnings(classified.themeLabels, classified.groupLabels, uprCycle),
        };
      },
    );
    warnings.push(...unmatched);
    const record: ImportedRecommendation = {
      source: 'uhri',
      annotationId: annotation ? annotation.toLowerCase() : null,
      mechanism: body.kind,
      body: body.code,
      bodies: unique(known.map((entry) => entry.code)),
      type,
      documentSymbol,
      paragraph,
      text: parsed.text,
      language: 'en',
      stateUnderReview: country?.iso3 ?? null,
      uprCycle,
      uprSession: uprSession ?? null,
      publishedOn: publishedOn ?? null,
      indexedOn: indexedOn ?? null,
      recommendingStates: unique([...states.states, ...states.unknown]),
      recommendingRegions: bulletList(cell('recommendingRegions')),
      regions: bulletList(cell('regions')),
      // No position in the export says nothing: another source (the matrix) may know it.
      position,
      positionSource: null,
      themes,
      themeLabels,
      groups,
      groupLabels,
      sdgGoals: sdgs.goals,
      sdgTargets: sdgs.targets,
      clusterHeadings: [],
    };
    return { rowNumber: row.rowNumber, record, ...(warnings.length > 0 ? { warnings } : {}) };
  }
}

/** The start of a long text, to quote it in a message. */
const excerpt = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
