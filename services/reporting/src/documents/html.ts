import { message } from './messages';
import type { ReportDocument } from './report-document';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? '',
  );

// Noto from Debian's fonts-noto-core and fonts-noto-cjk: Latin, Cyrillic, Arabic and Chinese in one stack.
const fontStack: Record<string, string> = {
  ar: `'Noto Naskh Arabic', 'Noto Sans Arabic', 'Noto Sans', 'Noto Sans CJK SC', sans-serif`,
  zh: `'Noto Sans', 'Noto Sans CJK SC', 'Noto Naskh Arabic', sans-serif`,
  default: `'Noto Sans', 'Noto Naskh Arabic', 'Noto Sans CJK SC', sans-serif`,
};

// The @page margins; the text area between them is also the width the printer lays the page out at.
const MARGIN_MM = { vertical: 14, horizontal: 10 };
const A4_MM = { short: 210, long: 297 };
const px = (mm: number) => Math.round((mm * 96) / 25.4);

/** The text area of the document's pages in CSS pixels (A4 less the margins, turned in landscape). */
export function printLayout(document: ReportDocument): { viewport: { width: number; height: number } } {
  const [width, height] = document.landscape ? [A4_MM.long, A4_MM.short] : [A4_MM.short, A4_MM.long];
  return {
    viewport: { width: px(width - 2 * MARGIN_MM.horizontal), height: px(height - 2 * MARGIN_MM.vertical) },
  };
}

const cssString = (text: string) => text.replace(/["\\\n]/g, '');

const cell = (text: string) => text.split('\n').map(escapeHtml).join('<br>');

/** A slice of the report printed on its own: Chromium's print time grows faster than the page count. */
export interface HtmlPart {
  withTitle: boolean;
  /** A section cut between two parts goes on without its heading, under the table's header row. */
  sections: { heading: string | null; paragraphs: string[]; rows: string[][] }[];
}

/** The report in parts of at most `rowsPerPart` table rows, cut between rows. */
export function htmlParts(document: ReportDocument, rowsPerPart = Number.POSITIVE_INFINITY): HtmlPart[] {
  const parts: HtmlPart[] = [{ withTitle: true, sections: [] }];
  let room = rowsPerPart;
  for (const section of document.sections) {
    let rows = section.rows;
    let heading: string | null = section.heading;
    do {
      if (room <= 0) {
        parts.push({ withTitle: false, sections: [] });
        room = rowsPerPart;
      }
      const taken = rows.slice(0, room);
      parts[parts.length - 1].sections.push({
        heading,
        paragraphs: heading === null ? [] : section.paragraphs,
        rows: taken,
      });
      room -= Math.max(taken.length, 1);
      rows = rows.slice(taken.length);
      heading = null;
    } while (rows.length > 0);
  }
  return parts;
}

/** The whole report as one HTML page. */
export function reportHtml(document: ReportDocument): string {
  return partHtml(document, htmlParts(document)[0], 1);
}

/**
 * One part as an HTML page: what Chromium prints to PDF. `dir` and `lang` on the root let the
 * browser lay Arabic out right to left and pick the fonts; each cell is isolated (`dir=auto`), so an
 * English recommendation in an Arabic report keeps its own direction. Pages are numbered from
 * `firstPage`, so the parts of one report number on.
 */
export function partHtml(document: ReportDocument, part: HtmlPart, firstPage: number): string {
  const counterStyle = document.language === 'ar' ? ', arabic-indic' : '';
  // A column empty throughout (no narratives written yet, say) is left out of the printed copy, so
  // the others get its width and the annex fewer pages; the editable DOCX and XLSX keep it to fill in.
  const kept = document.columns
    .map((_, index) => index)
    .filter((index) => document.sections.some((section) => section.rows.some((row) => row[index])));
  const columns = kept.map((index) => document.columns[index]);
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  const colgroup = columns
    .map((column) => `<col style="width:${((column.width / total) * 100).toFixed(2)}%">`)
    .join('');
  const head = `<thead><tr>${columns.map((column) => `<th>${escapeHtml(column.label)}</th>`).join('')}</tr></thead>`;
  const sections = part.sections
    .map((section) => {
      const heading = section.heading === null ? '' : `<h2 dir="auto">${escapeHtml(section.heading)}</h2>`;
      const paragraphs = section.paragraphs.map((text) => `<p dir="auto">${cell(text)}</p>`).join('');
      const rows = section.rows
        .map((row) => `<tr>${kept.map((index) => `<td dir="auto">${cell(row[index])}</td>`).join('')}</tr>`)
        .join('');
      const table = rows
        ? `<table><colgroup>${colgroup}</colgroup>${head}<tbody>${rows}</tbody></table>`
        : '';
      return `<section>${heading}${paragraphs}${table}</section>`;
    })
    .join('\n');
  const facts = document.facts
    .map(
      (fact) =>
        `<tr><th scope="row">${escapeHtml(fact.label)}</th><td dir="auto">${escapeHtml(fact.value)}</td></tr>`,
    )
    .join('');
  const title = part.withTitle
    ? `<h1>${escapeHtml(document.title)}</h1>
<p class="subtitle">${escapeHtml(document.subtitle)}</p>
<table class="facts">${facts}</table>`
    : '';
  const numbering = firstPage > 1 ? `@page :first { counter-increment: page ${firstPage}; }` : '';
  return `<!doctype html>
<html lang="${document.language}" dir="${document.rightToLeft ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title>
<style>
@page {
  size: A4 ${document.landscape ? 'landscape' : 'portrait'}; margin: ${MARGIN_MM.vertical}mm ${MARGIN_MM.horizontal}mm;
  @bottom-center { content: "${cssString(message(document.language, 'page'))} " counter(page${counterStyle}); font-size: 7pt; }
}
${numbering}
body { font-family: ${fontStack[document.language] ?? fontStack.default}; font-size: 8pt; line-height: 1.25; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
.subtitle { font-size: 10pt; margin: 0 0 10pt; color: #333; }
h2 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
/* The header row is not repeated on each page: it doubles Chromium's printing time of a long annex (the DOCX repeats it). */
thead { display: table-row-group; break-after: avoid; }
thead tr { break-after: avoid; }
th, td { border: 0.5pt solid #777; padding: 2pt 3pt; vertical-align: top; text-align: start; overflow-wrap: anywhere; }
th { background: #e8edf3; font-size: 8pt; overflow-wrap: normal; hyphens: auto; }
tr { break-inside: avoid; }
table.facts { width: auto; margin-bottom: 8pt; }
table.facts th, table.facts td { border: none; background: none; padding: 1pt 6pt 1pt 0; }
</style></head>
<body>
${title}
${sections}
</body></html>`;
}
