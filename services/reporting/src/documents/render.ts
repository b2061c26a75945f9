import { renderDocx } from './docx-renderer';
import { htmlParts, partHtml } from './html';
import type { DocumentFormat } from './layouts';
import { pdfPageCount, type PdfPrinter } from './pdf-printer';
import type { ReportDocument } from './report-document';
import { renderXlsx } from './xlsx-renderer';

export const MEDIA_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The laid-out report in one format; PDFs are the HTML printed by Chromium. */
export function renderDocument(
  document: ReportDocument,
  format: DocumentFormat,
  pdf: PdfPrinter,
  rowsPerPart = PDF_ROWS_PER_PART,
): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(document);
    case 'xlsx':
      return renderXlsx(document);
    case 'pdf':
      return renderPdf(document, pdf, rowsPerPart);
  }
}

/** Rows per printed part: Chromium prints a part of this size in about a second. */
export const PDF_ROWS_PER_PART = 500;

/** Prints the report part after part, each numbering its pages on from the last, and joins them. */
async function renderPdf(document: ReportDocument, pdf: PdfPrinter, rowsPerPart: number): Promise<Buffer> {
  const files: Buffer[] = [];
  let nextPage = 1;
  for (const part of htmlParts(document, rowsPerPart)) {
    const file = await pdf.print(partHtml(document, part, nextPage));
    files.push(file);
    nextPage += pdfPageCount(file);
  }
  return pdf.merge(files);
}
