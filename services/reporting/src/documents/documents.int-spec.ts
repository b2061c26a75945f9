import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { htmlParts } from './html';
import { taskListDocument, treatyFollowUpDocument } from './layouts';
import { pdfPageCount, PdfPrinter } from './pdf-printer';
import { renderDocument } from './render';
import { countWords } from './word-count';

jest.setTimeout(120_000);

// 120 tasks: enough for several pages, printed in parts of 25 rows.
const model = {
  institution: 'Ministry of Justice',
  compiledAt: new Date('2026-11-29T00:00:00Z'),
  tasks: Array.from({ length: 120 }, (_, index) => ({
    title: `Task ${index + 1}: train judges and prosecutors on the rights of persons with disabilities`,
    role: 'lead' as const,
    documentSymbol: 'A/HRC/43/15',
    paragraph: `121.${index + 1}`,
    recommendation: 'Continue efforts to protect persons with disabilities (Lebanon);',
    status: 'in_progress',
    dueAt: new Date('2027-01-15T00:00:00Z'),
    overdue: false,
  })),
};

describe('PDF printed in parts', () => {
  const pdf = new PdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  const dir = mkdtempSync(join(tmpdir(), 'documents-it-'));
  afterAll(async () => {
    await pdf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts between rows, the title in the first part only', () => {
    const parts = htmlParts(taskListDocument(model, 'en'), 25);
    expect(parts.map((part) => part.sections.reduce((sum, section) => sum + section.rows.length, 0))).toEqual(
      [25, 25, 25, 25, 20],
    );
    expect(parts.map((part) => part.withTitle)).toEqual([true, false, false, false, false]);
    expect(parts[1].sections[0].heading).toBeNull();
  });

  it('joins the parts into one PDF whose pages number on across parts, in Arabic-Indic digits in Arabic', async () => {
    for (const language of ['en', 'ar'] as const) {
      const document = taskListDocument(model, language);
      const whole = await renderDocument(document, 'pdf', pdf);
      const shares: number[] = [];
      const inParts = await renderDocument(document, 'pdf', pdf, {
        rowsPerPart: 25,
        progress: async (done) => void shares.push(done),
      });
      // Each of the five parts moves the report's progress on.
      expect(shares).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
      const file = join(dir, `${language}.pdf`);
      writeFileSync(file, inParts);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
      expect(pdfPageCount(inParts)).toBe(pages);
      expect(pages).toBeGreaterThanOrEqual(pdfPageCount(whole));
      const text = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-'], {
        encoding: 'utf8',
      });
      const last =
        language === 'ar' ? String(pages).replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]) : String(pages);
      // pdftotext writes Arabic lines in visual order: the number and the label on one line.
      const footer = text.split('\n').find((line) => line.includes(language === 'ar' ? 'صفحة' : 'Page'));
      expect(footer).toContain(last);
      expect(text).toContain('Task 120');
    }
  });

  it('prints one report after another in its kept tab, each at its own page size and with only its own content', async () => {
    await pdf.start();
    const landscape = await renderDocument(taskListDocument(model, 'en'), 'pdf', pdf);
    const portrait = await renderDocument(
      treatyFollowUpDocument(
        {
          state: 'SVN',
          committee: 'CEDAW',
          documentSymbols: ['CEDAW/C/SVN/CO/7'],
          compiledAt: new Date('2026-11-29T00:00:00Z'),
          recommendations: [],
        },
        'en',
      ),
      'pdf',
      pdf,
    );
    const info = (file: Buffer, name: string) => {
      writeFileSync(join(dir, name), file);
      return execFileSync('pdfinfo', [join(dir, name)], { encoding: 'utf8' });
    };
    expect(info(landscape, 'landscape.pdf')).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+/);
    expect(info(portrait, 'portrait.pdf')).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+/);
    const text = execFileSync('pdftotext', [join(dir, 'portrait.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('CEDAW/C/SVN/CO/7');
    expect(text).not.toContain('Task 1');
  });

  it('counts words as Word does, each Chinese character one', () => {
    expect(countWords('Ratify the Optional Protocol (OP-CAT), 2027.')).toBe(6);
    expect(countWords('批准和加入国际文书 CAT')).toBe(10);
    expect(countWords('تنفيذ توصيات الاستعراض')).toBe(3);
  });
});
