import { parse } from 'csv-parse/sync';
import { TextDecoder } from 'node:util';
import {
  distinct,
  draftProblems,
  INSTITUTION_KINDS,
  NAME_LANGUAGES,
  type InstitutionDraft,
  type InstitutionKind,
  type InstitutionNames,
} from './institution';

/** A directory is a few hundred rows; these bound what one request may make the service parse. */
export const CSV_MAX_BYTES = 2 * 1024 * 1024;
export const CSV_MAX_ROWS = 5_000;
/** Errors listed in one answer; a file with more is usually the wrong file. */
export const CSV_MAX_ERRORS = 100;

const NAME_COLUMNS = NAME_LANGUAGES.map((language) => `name_${language}` as const);
export const CSV_COLUMNS = [
  'id',
  'kind',
  'parent_id',
  ...NAME_COLUMNS,
  'acronym',
  'focal_point_ids',
  'validator_ids',
  'active',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
type Column = CsvColumn;
const REQUIRED: Column[] = ['id', 'kind', 'name_en'];

/** A problem with one line of the file; line 1 is the header. */
export interface LineError {
  line: number;
  field: string;
  messages: string[];
}

export interface ParsedCsv {
  /** The columns the header names: a column left out leaves that field of existing entries as it is. */
  columns: ReadonlySet<CsvColumn>;
  rows: Array<{ line: number; draft: InstitutionDraft }>;
  errors: LineError[];
}

/** The draft's field names as the file's columns, so an error names what the user sees. */
const COLUMN_OF_FIELD: Record<string, Column> = {
  id: 'id',
  kind: 'kind',
  parentId: 'parent_id',
  acronym: 'acronym',
  focalPointIds: 'focal_point_ids',
  validatorIds: 'validator_ids',
  ...Object.fromEntries(NAME_LANGUAGES.map((language) => [`names.${language}`, `name_${language}`])),
};

const TRUE = new Set(['', 'true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/**
 * Reads the directory's CSV: UTF-8 (a byte-order mark is fine), `,` `;` or tab separated, a header
 * row naming the columns (any order, any case). Every row is checked; the caller applies the rows only
 * when `errors` is empty.
 */
export function parseInstitutionsCsv(bytes: Buffer): ParsedCsv {
  if (bytes.length > CSV_MAX_BYTES) return fileError(`The file is larger than ${CSV_MAX_BYTES} bytes`);
  const text = decode(bytes);
  if (typeof text !== 'string') return text;
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with where it ended.
    records = parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof records;
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    return fileError(message, lines ?? 1);
  }
  // Where each record starts: the line after the previous one ended (a quoted cell may span lines).
  const lines = records.map((_, index) => (index === 0 ? 1 : records[index - 1].info.lines + 1));
  const filled = records
    .map(({ record }, index) => ({ cells: record, line: lines[index] }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  if (filled.length === 0)
    return fileError('The file is empty: it needs a header row and one row per institution');
  const [header, ...body] = filled;
  const columns = readHeader(header.cells);
  if ('errors' in columns)
    return {
      columns: new Set(),
      rows: [],
      errors: columns.errors.map((error) => ({ ...error, line: header.line })),
    };
  if (body.length > CSV_MAX_ROWS)
    return fileError(`The file has more than ${CSV_MAX_ROWS} rows; split it`, body[CSV_MAX_ROWS].line);

  const rows: ParsedCsv['rows'] = [];
  const errors: LineError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { cells, line } of body) {
    if (cells.length > columns.width) {
      errors.push({
        line,
        field: '(row)',
        messages: [`The row has ${cells.length} cells; the header has ${columns.width}`],
      });
      continue;
    }
    const cell = (column: Column) => {
      const index = columns.index.get(column);
      return index === undefined ? '' : (cells[index] ?? '').trim();
    };
    const { draft, problems } = toDraft(cell);
    const seenAt = firstLineOf.get(draft.id.toLowerCase());
    if (seenAt !== undefined)
      problems.push({ field: 'id', messages: [`id ${draft.id} is already on line ${seenAt}`] });
    else if (draft.id) firstLineOf.set(draft.id.toLowerCase(), line);
    for (const problem of problems) errors.push({ line, ...problem });
    if (problems.length === 0) rows.push({ line, draft });
  }
  return { columns: new Set(columns.index.keys()), rows, errors: capped(errors) };
}

/**
 * The entry a row makes: the row's fields where the file has the column, the existing entry's (or,
 * for a new entry, the defaults the row already holds) where it does not.
 */
export function mergeRow(
  existing: InstitutionDraft | undefined,
  row: InstitutionDraft,
  columns: ReadonlySet<CsvColumn>,
): InstitutionDraft {
  if (!existing) return row;
  const names = { ...existing.names };
  for (const language of NAME_LANGUAGES) {
    if (!columns.has(`name_${language}`)) continue;
    if (row.names[language] === undefined) delete names[language as Exclude<typeof language, 'en'>];
    else names[language] = row.names[language] as string;
  }
  const pick = <K extends keyof InstitutionDraft>(field: K, column: CsvColumn) =>
    columns.has(column) ? row[field] : existing[field];
  return {
    id: existing.id,
    kind: row.kind,
    parentId: pick('parentId', 'parent_id'),
    names,
    acronym: pick('acronym', 'acronym'),
    focalPointIds: pick('focalPointIds', 'focal_point_ids'),
    validatorIds: pick('validatorIds', 'validator_ids'),
    active: pick('active', 'active'),
  };
}

function capped(errors: LineError[]): LineError[] {
  if (errors.length <= CSV_MAX_ERRORS) return errors;
  const rest = errors.length - CSV_MAX_ERRORS;
  const last = errors[CSV_MAX_ERRORS];
  return [
    ...errors.slice(0, CSV_MAX_ERRORS),
    { line: last.line, field: '(file)', messages: [`${rest} more errors from this line on are not listed`] },
  ];
}

type CellError = Omit<LineError, 'line'>;

function toDraft(cell: (column: Column) => string): { draft: InstitutionDraft; problems: CellError[] } {
  const problems: CellError[] = [];
  const names = Object.fromEntries(
    NAME_LANGUAGES.map((language) => [language, cell(`name_${language}`)]).filter(
      ([language, name]) => language === 'en' || name !== '',
    ),
  ) as InstitutionNames;
  const kind = cell('kind')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const active = cell('active').toLowerCase();
  if (!TRUE.has(active) && !FALSE.has(active))
    problems.push({ field: 'active', messages: ['active must be true or false (or empty for true)'] });
  const draft: InstitutionDraft = {
    id: cell('id'),
    kind: kind as InstitutionKind,
    parentId: cell('parent_id') || null,
    names,
    acronym: cell('acronym') || null,
    focalPointIds: list(cell('focal_point_ids')),
    validatorIds: list(cell('validator_ids')),
    active: !FALSE.has(active),
  };
  if (kind === '')
    problems.push({ field: 'kind', messages: [`kind is required: one of ${INSTITUTION_KINDS.join(', ')}`] });
  for (const problem of draftProblems(draft)) {
    if (problem.field === 'kind' && kind === '') continue;
    const column = COLUMN_OF_FIELD[problem.field] ?? problem.field;
    problems.push({
      field: column,
      messages: problem.messages.map((message) => message.split(problem.field).join(column)),
    });
  }
  return { draft, problems };
}

/** Users are listed in one cell, separated by `;` or line breaks. */
function list(cell: string): string[] {
  return distinct(
    cell
      .split(/[;\r\n]+/)
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

function readHeader(
  cells: string[],
): { index: Map<Column, number>; width: number } | { errors: CellError[] } {
  const index = new Map<Column, number>();
  const errors: CellError[] = [];
  cells.forEach((cell, position) => {
    const name = cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (name === '') return;
    if (!(CSV_COLUMNS as readonly string[]).includes(name))
      errors.push({
        field: cell.trim(),
        messages: [`Unknown column "${cell.trim()}"; the columns are ${CSV_COLUMNS.join(', ')}`],
      });
    else if (index.has(name as Column))
      errors.push({ field: name, messages: [`The column ${name} appears twice`] });
    else index.set(name as Column, position);
  });
  const missing = REQUIRED.filter((column) => !index.has(column));
  if (missing.length > 0)
    errors.push({
      field: '(header)',
      messages: [`The header row lacks the required columns ${missing.join(', ')}`],
    });
  return errors.length > 0 ? { errors } : { index, width: cells.length };
}

/** Strict UTF-8, its byte-order mark dropped; anything else is a file-level error saying what to do. */
function decode(bytes: Buffer): string | ParsedCsv {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    return fileError('This is an Excel file, not CSV text: save it as "CSV UTF-8" and upload it again');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return fileError('The file is UTF-16 text: save it as "CSV UTF-8" and upload it again');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fileError('The file is not UTF-8 text: save it as "CSV UTF-8" and upload it again');
  }
}

/** The most frequent of , ; tab outside quotes on the first line; ties go in that order. */
function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char]++;
  }
  return [',', ';', '\t'].reduce((best, delimiter) => (counts[delimiter] > counts[best] ? delimiter : best));
}

function fileError(message: string, line = 1): ParsedCsv {
  return { columns: new Set(), rows: [], errors: [{ line, field: '(file)', messages: [message] }] };
}
