import { renderDocx } from './docx-renderer';
import { htmlParts, partHtml, printLayout } from './html';
import type { DocumentFormat } from './layouts';
import type { PdfPrinter } from './pdf-printer';
import type { ReportDocument } from './report-document';
import { renderXlsx } from './xlsx-renderer';

export const MEDIA_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** How a document is rendered: PDF parts of `rowsPerPart` rows, and the share done as it goes. */
export interface RenderOptions {
  rowsPerPart?: number;
  /** The share of the rendering done (0–1), after each printed part of a PDF. */
  progress?: (done: number) => Promise<void>;
}

/** The laid-out report in one format; PDFs are the HTML printed by Chromium. */
export function renderDocument(
  document: ReportDocument,
  format: DocumentFormat,
  pdf: PdfPrinter,
  options: RenderOptions = {},
): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(document);
    case 'xlsx':
      return renderXlsx(document);
    case 'pdf':
      return renderPdf(document, pdf, options);
  }
}

/** Rows per printed part: Chromium's print time grows faster than the page count past this. */
export const PDF_ROWS_PER_PART = 1000;

/** Prints the report part after part in one tab, and joins them. */
async function renderPdf(document: ReportDocument, pdf: PdfPrinter, options: RenderOptions): Promise<Buffer> {
  const parts = htmlParts(document, options.rowsPerPart ?? PDF_ROWS_PER_PART);
  const progress = options.progress;
  const files = await pdf.printParts(
    parts.length,
    (index, firstPage) => partHtml(document, parts[index], firstPage),
    printLayout(document),
    progress && ((printed) => progress(printed / parts.length)),
  );
  return pdf.merge(files);
}
