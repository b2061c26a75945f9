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

/** Rows per printed part: Chromium's print time grows faster than the page count past this. */
export const PDF_ROWS_PER_PART = 1000;

/** Prints the report part after part in one tab, each numbering its pages on from the last, and joins them. */
async function renderPdf(document: ReportDocument, pdf: PdfPrinter, rowsPerPart: number): Promise<Buffer> {
  const files = await pdf.withPage(async (print) => {
    const printed: Buffer[] = [];
    let nextPage = 1;
    for (const part of htmlParts(document, rowsPerPart)) {
      const file = await print(partHtml(document, part, nextPage));
      printed.push(file);
      nextPage += pdfPageCount(file);
    }
    return printed;
  });
  return pdf.merge(files);
}
