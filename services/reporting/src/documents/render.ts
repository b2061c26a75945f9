import { renderDocx } from './docx-renderer';
import { reportHtml } from './html';
import type { DocumentFormat } from './layouts';
import type { PdfPrinter } from './pdf-printer';
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
): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(document);
    case 'xlsx':
      return renderXlsx(document);
    case 'pdf':
      return pdf.print(reportHtml(document));
  }
}
