import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';

/** The page's text area in CSS pixels, the width the document is laid out at. */
export interface PrintLayout {
  viewport: { width: number; height: number };
}

const A4_PORTRAIT: PrintLayout = { viewport: { width: 794, height: 1123 } };

// Text in each script the reports print, in the fonts they print it in: printed once when the
// worker starts, so the first report finds the fonts loaded and the shaping caches warm.
const WARM_UP_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 14mm 10mm; @bottom-center { content: "Page " counter(page); font-size: 7pt; } }
body { font-family: 'Noto Sans', 'Noto Naskh Arabic', 'Noto Sans CJK SC', sans-serif; font-size: 8pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; } td { border: 0.5pt solid #777; }
</style></head><body><table><tr><td dir="auto">Recommendation 1.1: Ratify the Optional Protocol (OP-CAT)</td>
<td dir="auto">توصية: التصديق على البروتوكول الاختياري ١٢٣</td><td dir="auto">建议：批准任择议定书</td>
<td dir="auto">Рекомендация: ратифицировать Факультативный протокол</td></tr></table></body></html>`;

/**
 * Prints HTML to PDF with Debian's Chromium (never a downloaded browser): it shapes Arabic, lays
 * bidirectional text out and finds the Noto fonts. One browser serves every report of the process,
 * and its tabs are kept between reports: a new tab is a renderer process with cold font and shaping
 * caches, which cost a report of 1,000 rows a third of its print time.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;
  /** Tabs no report is printing in, ready for the next (as many as reports printed at once). */
  private idle: Page[] = [];
  private warming: Promise<void> | null = null;

  constructor(
    private readonly executablePath: string,
    private readonly pdfunitePath = 'pdfunite',
  ) {}

  /**
   * Starts Chromium and warms a tab, so the first report does not wait for either (the worker calls
   * this when it starts). A failure is left to the first report, which launches afresh.
   */
  start(): Promise<void> {
    this.warming ??= (async () => {
      const tab = await this.newTab();
      await tab.setContent(WARM_UP_HTML, { waitUntil: 'load' });
      await tab.pdf({ preferCSSPageSize: true });
      this.idle.push(tab);
    })().finally(() => (this.warming = null));
    return this.warming;
  }

  /** Page size and the page numbers come from the HTML's `@page` rule (margin boxes print faster than footer templates). */
  async print(html: string, layout: PrintLayout = A4_PORTRAIT): Promise<Buffer> {
    const [file] = await this.printParts(1, () => html, layout);
    return file;
  }

  /**
   * Prints the parts of one document in order in one tab, each numbering its pages on from the last
   * (`html(index, firstPage)`). The tab is laid out as print media at the width of the page's text
   * area, so the print reuses the layout `setContent` did rather than doing it again at another
   * width. One tab for every part: a tab per part would cost a renderer process and cold caches
   * each time, and a second tab loading the next part meanwhile gained nothing on two busy cores.
   */
  async printParts(
    count: number,
    html: (index: number, firstPage: number) => string,
    layout: PrintLayout,
    /** Told after each part, with how many are printed: a report's progress while it prints. */
    printed?: (parts: number) => Promise<void>,
  ): Promise<Buffer[]> {
    await this.warming?.catch(() => undefined);
    const tab = this.idle.pop() ?? (await this.newTab());
    let reusable = false;
    try {
      await tab.setViewportSize(layout.viewport);
      const files: Buffer[] = [];
      let nextPage = 1;
      for (let index = 0; index < count; index++) {
        await tab.setContent(html(index, nextPage), { waitUntil: 'load', timeout: 0 });
        const file = await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
        files.push(file);
        nextPage += pdfPageCount(file);
        await printed?.(index + 1);
      }
      reusable = true;
      return files;
    } finally {
      // A tab that failed may be broken (renderer crashed): it is closed, not kept.
      if (reusable && !tab.isClosed()) {
        // The last report's document would stay in memory until the next: blank it.
        await tab.setContent('').catch(() => (reusable = false));
      }
      if (reusable && !tab.isClosed()) this.idle.push(tab);
      else await tab.close().catch(() => undefined);
    }
  }

  /** Joins PDFs into one with poppler's pdfunite (installed with Chromium by the project's scripts). */
  async merge(files: Buffer[]): Promise<Buffer> {
    if (files.length === 1) return files[0];
    const dir = await mkdtemp(join(tmpdir(), 'nmirf-pdf-'));
    try {
      const names = files.map((_, index) => join(dir, `${String(index).padStart(4, '0')}.pdf`));
      await Promise.all(files.map((file, index) => writeFile(names[index], file)));
      const out = join(dir, 'merged.pdf');
      await promisify(execFile)(this.pdfunitePath, [...names, out]);
      return await readFile(out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.warming?.catch(() => undefined);
    const browser = this.browser;
    this.browser = null;
    this.idle = [];
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }

  /** A tab laid out as print media, so the print reuses the layout of `setContent`. */
  private async newTab(): Promise<Page> {
    const tab = await (await this.launch()).newPage();
    await tab.emulateMedia({ media: 'print' });
    return tab;
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // Loaded on the first print: the API process never prints, and the library is slow to load.
      this.browser = import('playwright-core').then(({ chromium }) =>
        chromium.launch({
          executablePath: this.executablePath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
        }),
      );
      // A browser that failed to start (or crashed) is launched afresh by the next report.
      this.browser.then(
        (browser) =>
          browser.on('disconnected', () => {
            this.browser = null;
            this.idle = [];
          }),
        () => (this.browser = null),
      );
    }
    return this.browser;
  }
}

/** Pages in a PDF that Chromium wrote (its page objects are plain dictionaries). */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}
