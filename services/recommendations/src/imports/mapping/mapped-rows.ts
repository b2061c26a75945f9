import {
  readCsvRows,
  readDocxHeaderText,
  readDocxTableRows,
  readXlsxRows,
  sniffFormat,
  type ReaderLimits,
  type SheetRow,
} from '../formats';
import type { MappedRow } from '../../catalogue/merged-record';
import type { ImportFormat } from '../import.entity';
import { MatrixMapper, parseMatrixTitle, type MatrixContext } from './matrix-mapper';
import { TemplateMapper } from './template-mapper';
import { UhriMapper } from './uhri-mapper';
import { WrongLayoutError } from './vocabulary';

const HEADER_SEARCH_ROWS = 10;

export interface ReadOptions {
  /** Undefined: decided from the file's content. */
  format?: ImportFormat;
  matrix: MatrixContext;
  limits?: Partial<ReaderLimits>;
  /** Learns the format once the file's layout is recognised. */
  onFormat?: (format: ImportFormat) => void;
}

/** The rows of an uploaded file, mapped to recommendations (or to the reasons they are not). */
export async function* mappedRows(path: string, options: ReadOptions): AsyncGenerator<MappedRow> {
  const kind = await sniffFormat(path, options.limits);
  if (kind === 'docx') {
    if (options.format && options.format !== 'upr_matrix') throw expected(options.format, 'a Word document');
    options.onFormat?.('upr_matrix');
    // What the uploader gave wins over what the page header says.
    const title = parseMatrixTitle(await readDocxHeaderText(path, options.limits));
    const context = Object.fromEntries(
      Object.entries(options.matrix).filter(([, value]) => value !== undefined && value !== ''),
    );
    const mapper = new MatrixMapper({ ...title, ...context });
    let rowNumber = 0;
    let recommendations = 0;
    for await (const row of readDocxTableRows(path, options.limits)) {
      rowNumber += 1;
      const mapped = mapper.map(row, rowNumber);
      if (mapped) {
        recommendations += 1;
        yield mapped;
      }
    }
    if (!mapper.layoutName)
      throw new WrongLayoutError('The document has tables, but none is an OHCHR matrix of recommendations.');
    if (recommendations === 0) throw new WrongLayoutError('The matrix table has no recommendation rows.');
    return;
  }
  if (kind !== 'xlsx' && kind !== 'csv') {
    throw new WrongLayoutError(
      'Unrecognised file: upload a UHRI export (.xlsx), an OHCHR matrix (.docx) or the template (.csv or .xlsx).',
    );
  }
  if (options.format === 'upr_matrix') throw expected(options.format, 'a spreadsheet');
  const rows = kind === 'xlsx' ? readXlsxRows(path, options.limits) : readCsvRows(path, options.limits);
  let mapper: { map(row: SheetRow): MappedRow } | undefined;
  const skipped: SheetRow[] = [];
  let dataRows = 0;
  for await (const row of rows) {
    if (!mapper) {
      // The template's paragraph and mechanism columns set it apart; UHRI exports have neither.
      if (TemplateMapper.isHeader(row.cells) && options.format !== 'uhri') {
        mapper = TemplateMapper.fromHeader(row.cells);
        options.onFormat?.('template');
      } else if (UhriMapper.isHeader(row.cells) && options.format !== 'template') {
        mapper = UhriMapper.fromHeader(row.cells, { documentSymbol: options.matrix.documentSymbol });
        options.onFormat?.('uhri');
      } else {
        skipped.push(row);
        if (skipped.length >= HEADER_SEARCH_ROWS) break;
      }
      continue;
    }
    if (row.cells.every((cell) => cell.trim() === '')) continue;
    dataRows += 1;
    yield mapper.map(row);
  }
  if (mapper && dataRows === 0)
    throw new WrongLayoutError('The file has a header row but no recommendations.');
  if (!mapper) {
    const first = skipped.find((row) => row.cells.some((cell) => cell.trim() !== ''));
    if (!first) throw new WrongLayoutError('The file has no rows.');
    // Let the mapper of the expected format explain which columns are missing.
    if (options.format === 'template') TemplateMapper.fromHeader(first.cells);
    UhriMapper.fromHeader(first.cells);
  }
}

const expected = (format: ImportFormat, got: string) =>
  new WrongLayoutError(
    `The file is ${got}, which is not a ${format === 'upr_matrix' ? 'OHCHR matrix (.docx)' : format === 'uhri' ? 'UHRI export (.xlsx)' : 'template (.csv or .xlsx)'}.`,
  );
