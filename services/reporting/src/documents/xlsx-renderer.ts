import type { ReportDocument } from './report-document';

/**
 * Text that a spreadsheet program could take for a formula (or that turns into one when the sheet
 * is saved as CSV) gets a leading apostrophe: `=`, `+`, `-`, `@`, tab and carriage return.
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Report';

/**
 * One flat sheet a coordinator can filter: a header row (frozen, with an autofilter) under the title
 * and facts, the section (e.g. the theme) as the first column when there are several. An Arabic
 * report opens right to left.
 */
export async function renderXlsx(document: ReportDocument): Promise<Buffer> {
  // Loaded on the first workbook: it is slow to load and most processes never write one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'NMIRF platform';
  const withSection = document.sections.length > 1;
  const columns = withSection
    ? [{ label: document.sectionLabel, width: 14 }, ...document.columns]
    : document.columns;
  const headerRowNumber = document.facts.length + 3;
  const sheet = workbook.addWorksheet(sheetName(document.shortTitle), {
    views: [{ state: 'frozen', ySplit: headerRowNumber, rightToLeft: document.rightToLeft }],
    pageSetup: {
      orientation: document.landscape ? 'landscape' : 'portrait',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  sheet.columns = columns.map((column) => ({ width: Math.max(8, Math.round((column.width / total) * 180)) }));

  sheet.addRow([inertText(document.title)]).font = { bold: true, size: 14 };
  sheet.addRow([inertText(document.subtitle)]);
  for (const fact of document.facts) sheet.addRow([inertText(fact.label), inertText(fact.value)]);
  const header = sheet.addRow(columns.map((column) => column.label));
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EDF3' } };
  });
  if (header.number !== headerRowNumber) throw new Error('header row moved');

  for (const section of document.sections) {
    for (const row of section.rows) {
      const cells = (withSection ? [section.heading, ...row] : row).map(inertText);
      sheet.addRow(cells).alignment = { vertical: 'top', wrapText: true };
    }
  }
  sheet.autoFilter = {
    from: { row: headerRowNumber, column: 1 },
    to: { row: Math.max(headerRowNumber, sheet.rowCount), column: columns.length },
  };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
