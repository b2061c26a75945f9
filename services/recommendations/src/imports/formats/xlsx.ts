import { FileFormatError, type ReaderLimits, resolveLimits, tooManyRows } from './errors';
import { isType, mainPart, MAX_LISTED, readRelationships } from './opc';
import { ESCAPE_WIDTH, finishText, SharedStrings, SPREADSHEET_NS, type SharedString } from './shared-strings';
import {
  type Attributes,
  localName,
  parseXml,
  parseXmlFully,
  prefixFor,
  TextBuffer,
  type XmlHandler,
} from './xml-stream';
import { ZipArchive } from './zip';

/** One sheet or CSV row; cells are strings exactly as a user sees them (numbers as their stored text). */
export interface SheetRow {
  /** 1-based, as Excel shows it (rows absent from the file are not yielded, so numbers can jump). */
  rowNumber: number;
  cells: string[];
  /** 0-based columns whose text exceeded maxCellChars (the text is truncated). */
  oversized: number[];
}

const MAX_COLUMNS = 16_384; // XFD, Excel's last column
const MAX_ROW_NUMBER = 1_048_576;
const RELATIONSHIPS_NS = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
];

/** Rows of the workbook's first worksheet, streamed; shared strings are read first, whatever the zip order. */
export async function* readXlsxRows(path: string, limits?: Partial<ReaderLimits>): AsyncIterable<SheetRow> {
  const resolved = resolveLimits(limits);
  const zip = await ZipArchive.open(path, resolved);
  let strings: SharedStrings | undefined;
  try {
    const parts = await locateParts(zip);
    strings = parts.sharedStrings
      ? await SharedStrings.load(zip.read(parts.sharedStrings), parts.sharedStrings, resolved)
      : SharedStrings.empty();
    let count = 0;
    const handler = new SheetHandler(strings, resolved.maxCellChars);
    for await (const row of parseXml(zip.read(parts.sheet), parts.sheet, handler)) {
      if (++count > resolved.maxRows) throw tooManyRows(resolved);
      yield row;
    }
  } finally {
    await strings?.dispose();
    await zip.close();
  }
}

/** The first visible worksheet in workbook order (falling back to the first hidden one) and the string table. */
async function locateParts(zip: ZipArchive): Promise<{ sheet: string; sharedStrings?: string }> {
  const workbook = await mainPart(zip, 'xl/workbook.xml');
  if (!zip.has(workbook)) {
    throw new FileFormatError(
      'no_worksheet',
      zip.has('word/document.xml')
        ? 'This is a Word document, not an Excel workbook. Upload it as a UPR matrix (.docx) instead.'
        : 'This file is not an Excel workbook: it has no worksheet. Upload an .xlsx saved from Excel.',
    );
  }
  const relationships = await readRelationships(zip, workbook);
  if (relationships.length === 0 && zip.has('xl/worksheets/sheet1.xml')) {
    // No xl/_rels/workbook.xml.rels (hand-made or minimal writers): fall back on the conventional names.
    const sharedStrings = zip.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined;
    return { sheet: 'xl/worksheets/sheet1.xml', sharedStrings };
  }
  const handler = new WorkbookHandler();
  await parseXmlFully(zip.read(workbook), workbook, handler);

  const worksheets = handler.sheets
    .map((sheet) => ({ ...sheet, rel: relationships.find((r) => r.id === sheet.id) }))
    .filter((sheet) => sheet.rel && isType(sheet.rel, 'worksheet') && zip.has(sheet.rel.target));
  const sheet = (worksheets.find((s) => !s.hidden) ?? worksheets[0])?.rel?.target;
  if (!sheet) {
    throw new FileFormatError(
      'no_worksheet',
      'The workbook has no worksheet (only chart sheets, or none at all). Put the data on a worksheet and upload it again.',
    );
  }
  const sharedStrings = relationships.find((r) => isType(r, 'sharedStrings') && zip.has(r.target))?.target;
  return { sheet, sharedStrings };
}

class WorkbookHandler implements XmlHandler<never> {
  readonly out: never[] = [];
  readonly sheets: { id: string; hidden: boolean }[] = [];
  private ns: string | undefined;
  private relNs = 'r:';

  open(name: string, attrs: Attributes): void {
    if (this.ns === undefined) {
      this.ns = prefixFor(attrs, SPREADSHEET_NS, '');
      this.relNs = prefixFor(attrs, RELATIONSHIPS_NS, 'r:');
    } else if (localName(name, this.ns) === 'sheet') {
      const id = attrs[`${this.relNs}id`];
      if (id && this.sheets.length < MAX_LISTED)
        this.sheets.push({ id, hidden: attrs.state === 'hidden' || attrs.state === 'veryHidden' });
    }
  }
}

interface CellStart {
  column: number;
  type: string;
  ref: string;
}

interface RowBuilder {
  rowNumber: number;
  cells: string[];
  oversized: number[];
}

/** `<row>`/`<c>` → SheetRow. Cells are placed by their `r` reference so gaps become ''. */
class SheetHandler implements XmlHandler<SheetRow> {
  readonly out: SheetRow[] = [];
  private ns: string | undefined;
  private inSheetData = false;
  private lastRow = 0;
  private row: RowBuilder | undefined;
  private cell: CellStart | undefined;
  private nextColumn = 0;
  private capture: 'v' | 'is' | undefined;
  private inInline = false;
  private phonetic = 0;
  private readonly value: TextBuffer;
  private readonly inline: TextBuffer;

  constructor(
    private readonly strings: SharedStrings,
    private readonly maxChars: number,
  ) {
    this.value = new TextBuffer(maxChars * ESCAPE_WIDTH);
    this.inline = new TextBuffer(maxChars * ESCAPE_WIDTH);
  }

  open(name: string, attrs: Attributes): void {
    if (this.ns === undefined) {
      this.ns = prefixFor(attrs, SPREADSHEET_NS, '');
      return;
    }
    switch (localName(name, this.ns)) {
      case 'sheetData':
        this.inSheetData = true;
        break;
      case 'row':
        if (this.inSheetData) this.startRow(attrs.r);
        break;
      case 'c':
        if (this.row) this.startCell(this.row, attrs.r, attrs.t ?? 'n');
        break;
      case 'v':
        if (this.cell) this.capture = 'v';
        break;
      case 'is':
        if (this.cell) this.inInline = true;
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) this.capture = 'is';
        break;
    }
  }

  close(name: string): void {
    switch (localName(name, this.ns ?? '')) {
      case 'v':
      case 't':
        this.capture = undefined;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'c':
        if (this.row && this.cell) this.finishCell(this.row, this.cell);
        break;
      case 'row':
        if (this.row) this.finishRow(this.row);
        break;
      case 'sheetData':
        this.inSheetData = false;
        break;
    }
  }

  text(text: string): void {
    if (this.capture === 'v') this.value.add(text);
    else if (this.capture === 'is') this.inline.add(text);
  }

  private startRow(ref: string | undefined): void {
    const rowNumber = ref === undefined ? this.lastRow + 1 : Number(ref);
    if (!Number.isInteger(rowNumber) || rowNumber < 1 || rowNumber > MAX_ROW_NUMBER) {
      throw this.corrupt(`row number "${ref}" is not valid`);
    }
    this.row = { rowNumber, cells: [], oversized: [] };
    this.nextColumn = 0;
  }

  private startCell(row: RowBuilder, ref: string | undefined, type: string): void {
    const column = ref === undefined ? this.nextColumn : columnIndex(ref);
    if (column < 0 || column >= MAX_COLUMNS) throw this.corrupt(`cell reference "${ref}" is not valid`);
    this.cell = { column, type, ref: ref ?? `row ${row.rowNumber}, column ${column + 1}` };
    this.value.reset();
    this.inline.reset();
  }

  private finishCell(row: RowBuilder, { column, type, ref }: CellStart): void {
    const { text, oversized } = this.cellValue(type, ref);
    if (text !== '' || oversized) {
      while (row.cells.length < column) row.cells.push('');
      row.cells[column] = text;
      if (oversized) row.oversized.push(column);
    }
    this.cell = undefined;
    this.capture = undefined;
    this.nextColumn = column + 1;
  }

  private cellValue(type: string, ref: string): SharedString {
    switch (type) {
      case 's': {
        const raw = this.value.take().trim();
        if (raw === '') return { text: '', oversized: false };
        const found = this.strings.get(Number(raw));
        if (!found) {
          throw this.corrupt(
            `cell ${ref} refers to text #${raw}, but the workbook has only ${this.strings.count} texts`,
          );
        }
        return found;
      }
      case 'inlineStr':
        return finishText(this.inline, this.maxChars);
      case 'str':
        return finishText(this.value, this.maxChars);
      case 'b': {
        const raw = this.value.take();
        return { text: raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw, oversized: false };
      }
      default:
        // numbers, errors (#N/A) and ISO dates: the stored text as is
        return finishText(this.value, this.maxChars);
    }
  }

  private finishRow(row: RowBuilder): void {
    // a repeated cell reference could list a column twice
    const oversized = row.oversized.length > 0 ? [...new Set(row.oversized)].sort((a, b) => a - b) : [];
    this.out.push({ rowNumber: row.rowNumber, cells: row.cells, oversized });
    this.lastRow = row.rowNumber;
    this.row = undefined;
  }

  private corrupt(reason: string): FileFormatError {
    return new FileFormatError(
      'corrupt',
      `The file is damaged: in the worksheet, ${reason}. Open it in Excel, save it again and upload the new copy.`,
    );
  }
}

/** "D12" → 3; -1 when the reference has no column letters or is past Excel's last column. */
function columnIndex(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) & ~0x20; // upper-case letters; digits fall below 'A'
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
    if (column > MAX_COLUMNS) return -1;
  }
  return i === 0 ? -1 : column - 1;
}
