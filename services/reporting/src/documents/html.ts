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

const cssString = (text: string) => text.replace(/["\\\n]/g, '');

const cell = (text: string) => text.split('\n').map(escapeHtml).join('<br>');

/**
 * The report as one HTML page: what Chromium prints to PDF. `dir` and `lang` on the root let the
 * browser lay Arabic out right to left and pick the fonts; each cell is isolated (`dir=auto`), so an
 * English recommendation in an Arabic report keeps its own direction.
 */
export function reportHtml(document: ReportDocument): string {
  const counterStyle = document.language === 'ar' ? ', arabic-indic' : '';
  const total = document.columns.reduce((sum, column) => sum + column.width, 0);
  const colgroup = document.columns
    .map((column) => `<col style="width:${((column.width / total) * 100).toFixed(2)}%">`)
    .join('');
  const head = `<thead><tr>${document.columns.map((column) => `<th>${escapeHtml(column.label)}</th>`).join('')}</tr></thead>`;
  const sections = document.sections
    .map((section) => {
      const paragraphs = section.paragraphs.map((text) => `<p dir="auto">${cell(text)}</p>`).join('');
      const rows = section.rows
        .map((row) => `<tr>${row.map((text) => `<td dir="auto">${cell(text)}</td>`).join('')}</tr>`)
        .join('');
      const table = rows
        ? `<table><colgroup>${colgroup}</colgroup>${head}<tbody>${rows}</tbody></table>`
        : '';
      return `<section><h2 dir="auto">${escapeHtml(section.heading)}</h2>${paragraphs}${table}</section>`;
    })
    .join('\n');
  const facts = document.facts
    .map(
      (fact) =>
        `<tr><th scope="row">${escapeHtml(fact.label)}</th><td dir="auto">${escapeHtml(fact.value)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${document.language}" dir="${document.rightToLeft ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title>
<style>
@page {
  size: A4 ${document.landscape ? 'landscape' : 'portrait'}; margin: 16mm 12mm;
  @bottom-center { content: "${cssString(message(document.language, 'page'))} " counter(page${counterStyle}) " / " counter(pages${counterStyle}); font-size: 7pt; }
}
body { font-family: ${fontStack[document.language] ?? fontStack.default}; font-size: 8.5pt; line-height: 1.3; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
.subtitle { font-size: 10pt; margin: 0 0 10pt; color: #333; }
h2 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
/* The header row is not repeated on each page: it doubles Chromium's printing time of a long annex (the DOCX repeats it). */
thead { display: table-row-group; }
th, td { border: 0.5pt solid #777; padding: 2pt 3pt; vertical-align: top; text-align: start; overflow-wrap: anywhere; }
th { background: #e8edf3; font-size: 8pt; overflow-wrap: normal; hyphens: auto; }
tr { break-inside: avoid; }
table.facts { width: auto; margin-bottom: 8pt; }
table.facts th, table.facts td { border: none; background: none; padding: 1pt 6pt 1pt 0; }
</style></head>
<body>
<h1>${escapeHtml(document.title)}</h1>
<p class="subtitle">${escapeHtml(document.subtitle)}</p>
<table class="facts">${facts}</table>
${sections}
</body></html>`;
}
