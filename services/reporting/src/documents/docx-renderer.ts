import { AlignmentType, Document, HeadingLevel, Packer, PageOrientation, Paragraph, TextRun } from 'docx';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { ReportDocument } from './report-document';

const ARABIC_SCRIPT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
// A4 in twentieths of a point, less 2 cm margins.
const PAGE = { long: 16_838, short: 11_906, margin: 1_134 };
const TABLE_MARK = (index: number) => `@@nmirf-table-${index}@@`;

/**
 * The editable Word document the UN asks for. In Arabic every paragraph is bidirectional (`<w:bidi/>`)
 * and the tables run right to left (`<w:bidiVisual/>`); a run is marked right to left (`<w:rtl/>`)
 * when it is in a right-to-left script, so English content inside an Arabic report keeps its order.
 *
 * `docx` builds the document (styles, page, title, headings). The tables' rows are written as
 * WordprocessingML directly in place of a marker paragraph: docx's object model costs about half a
 * millisecond per cell, 40 s for an annex of 10,000 recommendations, where strings take well under one.
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

  const tables: string[] = [];
  const children: Paragraph[] = [
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
    children.push(new Paragraph({ children: [new TextRun(TABLE_MARK(tables.length))] }));
    tables.push(tableXml(document, widths, pageWidth, section.rows));
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
  const packed = await Packer.toBuffer(word);
  if (tables.length === 0) return packed;
  return replaceEntry(packed, 'word/document.xml', (xml) => {
    let index = 0;
    // Each marker sits alone in a paragraph: the paragraph becomes the table.
    const replaced = xml.replace(/<w:p>(?:(?!<w:p>).)*?@@nmirf-table-(\d+)@@.*?<\/w:p>/gs, (_, n: string) => {
      index += 1;
      return tables[Number(n)];
    });
    if (index !== tables.length) throw new Error(`placed ${index} of ${tables.length} tables`);
    return replaced;
  });
}

// Characters XML 1.0 cannot hold are dropped.
const escapeXml = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '',
  );

function cellXml(text: string, width: number, rtl: boolean, header: boolean): string {
  const pPr = rtl ? '<w:pPr><w:bidi/></w:pPr>' : '';
  const lines = text.split('\n').map((line) => {
    const rPr = (header ? '<w:b/><w:bCs/>' : '') + (ARABIC_SCRIPT.test(line) ? '<w:rtl/>' : '');
    const body = line
      ? `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r>`
      : '';
    return `<w:p>${pPr}${body}</w:p>`;
  });
  const shading = header ? '<w:shd w:val="clear" w:color="auto" w:fill="E8EDF3"/>' : '';
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${shading}</w:tcPr>${lines.join('')}</w:tc>`;
}

function tableXml(document: ReportDocument, widths: number[], pageWidth: number, rows: string[][]): string {
  const rtl = document.rightToLeft;
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="777777"/>`;
  const parts = [
    `<w:tbl><w:tblPr><w:tblW w:w="${pageWidth}" w:type="dxa"/>${rtl ? '<w:bidiVisual/>' : ''}`,
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>`,
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr>`,
    `<w:tblGrid>${widths.map((width) => `<w:gridCol w:w="${width}"/>`).join('')}</w:tblGrid>`,
    // The header row repeats on every page and never splits.
    `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`,
    ...document.columns.map((column, index) => cellXml(column.label, widths[index], rtl, true)),
    '</w:tr>',
  ];
  for (const row of rows) {
    parts.push('<w:tr>', ...row.map((text, index) => cellXml(text, widths[index], rtl, false)), '</w:tr>');
  }
  parts.push('</w:tbl>');
  return parts.join('');
}

/** Rewrites one entry of a ZIP package, copying the others as they are. */
async function replaceEntry(zip: Buffer, name: string, change: (text: string) => string): Promise<Buffer> {
  const entries = await new Promise<{ fileName: string; data: Buffer }[]>((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(error);
      const out: { fileName: string; data: Buffer }[] = [];
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ fileName: entry.fileName, data: Buffer.concat(chunks) });
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(out));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
  const output = new yazl.ZipFile();
  for (const entry of entries) {
    const data =
      entry.fileName === name ? Buffer.from(change(entry.data.toString('utf8')), 'utf8') : entry.data;
    output.addBuffer(data, entry.fileName);
  }
  output.end();
  const chunks: Buffer[] = [];
  for await (const chunk of output.outputStream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
