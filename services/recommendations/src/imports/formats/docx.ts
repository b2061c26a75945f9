import { FileFormatError, type ReaderLimits, resolveLimits, tooManyRows } from './errors';
import { mainPart } from './opc';
import {
  type Attributes,
  localName,
  parseXml,
  parseXmlFully,
  prefixFor,
  TextBuffer,
  truncate,
  type XmlHandler,
} from './xml-stream';
import { ZipArchive } from './zip';

/** One table row of a .docx: each cell is its list of paragraph texts. */
export interface TableRow {
  /** 0-based index among the document's top-level tables. */
  tableIndex: number;
  /** 0-based index within the table. */
  rowIndex: number;
  cells: string[][];
  /** Some cell exceeded maxCellChars (its text is truncated) or the row had too many cells. */
  oversized: boolean;
}

const WORD_NS = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const COMPATIBILITY_NS = ['http://schemas.openxmlformats.org/markup-compatibility/2006'];
/** Word allows 63 columns; more cells in a row are dropped (and the row flagged) to bound memory. */
const MAX_CELLS = 1_024;

/**
 * Rows of the top-level tables of word/document.xml, in document order. Text of nested tables is
 * appended to the enclosing cell's paragraphs.
 */
export async function* readDocxTableRows(
  path: string,
  limits?: Partial<ReaderLimits>,
): AsyncIterable<TableRow> {
  const resolved = resolveLimits(limits);
  const zip = await ZipArchive.open(path, resolved);
  try {
    const document = await mainPart(zip, 'word/document.xml');
    if (!zip.has(document)) {
      throw new FileFormatError(
        'no_table',
        zip.has('xl/workbook.xml')
          ? 'This is an Excel workbook, not a Word document. Upload it as a spreadsheet (.xlsx) instead.'
          : 'This file is not a Word document (.docx). Upload the UPR matrix saved from Word.',
      );
    }
    const handler = new DocumentHandler(resolved.maxCellChars);
    let count = 0;
    for await (const row of parseXml(zip.read(document), document, handler)) {
      if (++count > resolved.maxRows) throw tooManyRows(resolved);
      yield row;
    }
    if (!handler.sawTable) {
      throw new FileFormatError(
        'no_table',
        'The document has no table. Upload the UPR matrix whose recommendations are laid out in a table.',
      );
    }
  } finally {
    await zip.close();
  }
}

class DocumentHandler implements XmlHandler<TableRow> {
  readonly out: TableRow[] = [];
  sawTable = false;
  private ns: string | undefined;
  private fallback = 'mc:Fallback';
  /** Depth inside content to ignore: deleted revisions and alternate-content fallbacks (duplicates). */
  private skip = 0;
  private tableDepth = 0;
  private tableIndex = -1;
  private rowIndex = -1;
  private row: TableRow | undefined;
  private cell: string[] | undefined;
  private cellChars = 0;
  /** One buffer per open paragraph (text-box paragraphs nest inside runs); undefined outside cells. */
  private readonly paragraphs: (TextBuffer | undefined)[] = [];
  private runDepth = 0;
  private inText = false;

  constructor(private readonly maxChars: number) {}

  open(name: string, attrs: Attributes): void {
    if (this.ns === undefined) {
      this.ns = prefixFor(attrs, WORD_NS, 'w:');
      this.fallback = `${prefixFor(attrs, COMPATIBILITY_NS, 'mc:')}Fallback`;
      return;
    }
    if (this.skip > 0 || name === this.fallback) {
      this.skip++;
      return;
    }
    switch (localName(name, this.ns)) {
      case 'del':
      case 'moveFrom':
        this.skip++;
        break;
      case 'tbl':
        if (++this.tableDepth === 1) {
          this.sawTable = true;
          this.tableIndex++;
          this.rowIndex = -1;
        }
        break;
      case 'tr':
        if (this.tableDepth === 1) {
          this.row = { tableIndex: this.tableIndex, rowIndex: ++this.rowIndex, cells: [], oversized: false };
        }
        break;
      case 'tc':
        if (this.tableDepth === 1 && this.row) {
          this.cell = undefined;
          if (this.row.cells.length < MAX_CELLS) this.row.cells.push((this.cell = []));
          else this.row.oversized = true;
          this.cellChars = 0;
        }
        break;
      case 'p':
        this.paragraphs.push(this.cell ? new TextBuffer(this.maxChars) : undefined);
        break;
      case 'r':
        this.runDepth++;
        break;
      case 't':
        this.inText = true;
        break;
      // Inside a run these are characters; elsewhere (e.g. w:tabs in paragraph properties) they are not.
      case 'tab':
        if (this.runDepth > 0) this.append('\t');
        break;
      case 'br':
      case 'cr':
        if (this.runDepth > 0) this.append('\n');
        break;
      case 'noBreakHyphen':
        if (this.runDepth > 0) this.append('-');
        break;
    }
  }

  close(name: string): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    switch (localName(name, this.ns ?? 'w:')) {
      case 't':
        this.inText = false;
        break;
      case 'r':
        this.runDepth--;
        break;
      case 'p': {
        const paragraph = this.paragraphs.pop();
        if (paragraph && this.cell && this.row) this.addParagraph(this.row, this.cell, paragraph);
        break;
      }
      case 'tc':
        if (this.tableDepth === 1) this.cell = undefined;
        break;
      case 'tr':
        if (this.tableDepth === 1 && this.row) {
          this.out.push(this.row);
          this.row = undefined;
        }
        break;
      case 'tbl':
        this.tableDepth--;
        break;
    }
  }

  text(text: string): void {
    if (this.inText && this.skip === 0) this.append(text);
  }

  private append(text: string): void {
    this.paragraphs[this.paragraphs.length - 1]?.add(text);
  }

  /** A cell's budget is maxChars over all its paragraphs (each also costs one, for the break). */
  private addParagraph(row: TableRow, cell: string[], buffer: TextBuffer): void {
    const text = buffer.take();
    const room = this.maxChars - this.cellChars;
    if (buffer.overflow || text.length > Math.max(room, 0)) row.oversized = true;
    if (room <= 0) return;
    const kept = truncate(text, room);
    cell.push(kept);
    this.cellChars += kept.length + 1;
  }
}

const HEADER_PARTS = ['word/header1.xml', 'word/header2.xml', 'word/header3.xml', 'word/header4.xml'];
/** A page header is a line or two; longer text is cut so a hostile header costs little. */
const MAX_HEADER_CHARS = 1_000;

/**
 * The text of the page headers, one line per paragraph: OHCHR matrices name the State, cycle and
 * session there ("UPR of Slovenia (2nd Cycle – 20th session)").
 */
export async function readDocxHeaderText(path: string, limits?: Partial<ReaderLimits>): Promise<string> {
  const zip = await ZipArchive.open(path, resolveLimits(limits));
  const handler: XmlHandler<never> & { lines: string[]; line: string; inText: boolean } = {
    out: [],
    lines: [],
    line: '',
    inText: false,
    open(name: string) {
      if (name.replace(/^.*:/, '') === 't') this.inText = true;
    },
    close(name: string) {
      const local = name.replace(/^.*:/, '');
      if (local === 't') this.inText = false;
      if (local === 'p') {
        if (this.line.trim() && this.lines.length < 20) this.lines.push(this.line.trim());
        this.line = '';
      }
    },
    text(text: string) {
      if (this.inText) this.line = (this.line + text).slice(0, MAX_HEADER_CHARS);
    },
  };
  try {
    for (const part of HEADER_PARTS.filter((name) => zip.has(name))) {
      await parseXmlFully(zip.read(part), part, handler);
    }
  } finally {
    await zip.close();
  }
  return handler.lines.join('\n');
}
