import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ReportDocument } from './report-document';

const ARABIC_SCRIPT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
// A4 in twentieths of a point, less 2 cm margins.
const PAGE = { long: 16_838, short: 11_906, margin: 1_134 };

/**
 * The editable Word document the UN asks for. In Arabic every paragraph is bidirectional (`<w:bidi/>`)
 * and the tables run right to left; a run is marked right to left (`<w:rtl/>`) when it is in a
 * right-to-left script, so English content inside an Arabic report keeps its own order.
 */
export async function renderDocx(document: ReportDocument): Promise<Buffer> {
  const rtl = document.rightToLeft;
  const run = (text: string, options: { bold?: boolean } = {}) =>
    new TextRun({ text, bold: options.bold, rightToLeft: ARABIC_SCRIPT.test(text) || undefined });
  const paragraphs = (text: string, options: { bold?: boolean } = {}) =>
    text.split('\n').map((line) => new Paragraph({ bidirectional: rtl, children: [run(line, options)] }));

  const pageWidth = (document.landscape ? PAGE.long : PAGE.short) - 2 * PAGE.margin;
  const total = document.columns.reduce((sum, column) => sum + column.width, 0);
  const widths = document.columns.map((column) => Math.floor((column.width / total) * pageWidth));
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: document.columns.map(
      (column, index) =>
        new TableCell({
          width: { size: widths[index], type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, fill: 'E8EDF3', color: 'auto' },
          children: paragraphs(column.label, { bold: true }),
        }),
    ),
  });

  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, bidirectional: rtl, children: [run(document.title)] }),
    new Paragraph({ bidirectional: rtl, children: [run(document.subtitle)] }),
    ...document.facts.map(
      (fact) =>
        new Paragraph({
          bidirectional: rtl,
          children: [run(`${fact.label}: `, { bold: true }), run(fact.value)],
        }),
    ),
  ];
  for (const section of document.sections) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        bidirectional: rtl,
        keepNext: true,
        children: [run(section.heading)],
      }),
    );
    for (const text of section.paragraphs) children.push(...paragraphs(text));
    if (section.rows.length === 0) continue;
    children.push(
      new Table({
        visuallyRightToLeft: rtl,
        width: { size: pageWidth, type: WidthType.DXA },
        columnWidths: widths,
        rows: [
          headerRow,
          ...section.rows.map(
            (row) =>
              new TableRow({
                children: row.map(
                  (text, index) =>
                    new TableCell({
                      width: { size: widths[index], type: WidthType.DXA },
                      children: paragraphs(text),
                    }),
                ),
              }),
          ),
        ],
      }),
    );
  }

  const word = new Document({
    creator: 'NMIRF platform',
    title: document.title,
    styles: {
      default: {
        document: {
          run: {
            font: {
              ascii: 'Noto Sans',
              hAnsi: 'Noto Sans',
              cs: 'Noto Naskh Arabic',
              eastAsia: 'Noto Sans CJK SC',
            },
            size: 18,
          },
          paragraph: { alignment: AlignmentType.START },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: {
              orientation: document.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
              width: PAGE.short,
              height: PAGE.long,
            },
            margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(word);
}
