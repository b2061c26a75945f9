import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

/**
 * Prints HTML to PDF with Debian's Chromium (never a downloaded browser): it shapes Arabic, lays
 * bidirectional text out and finds the Noto fonts. One browser serves every report of the process.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(
    private readonly executablePath: string,
    private readonly pdfunitePath = 'pdfunite',
  ) {}

  /** Page size and the page numbers come from the HTML's `@page` rule (margin boxes print faster than footer templates). */
  async print(html: string): Promise<Buffer> {
    return this.withPage((print) => print(html));
  }

  /**
   * Prints one HTML page after another in one browser tab: a tab per part would cost Chromium a
   * renderer process of its own each time, fonts loaded afresh (twice the CPU of a 10,000-row annex).
   */
  async withPage<T>(work: (print: (html: string) => Promise<Buffer>) => Promise<T>): Promise<T> {
    const browser = await this.launch();
    const page = await browser.newPage();
    try {
      return await work(async (html) => {
        await page.setContent(html, { waitUntil: 'load', timeout: 0 });
        return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      });
    } finally {
      await page.close().catch(() => undefined);
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
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      this.browser = chromium.launch({
        executablePath: this.executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      // A browser that failed to start (or crashed) is launched afresh by the next report.
      this.browser.then(
        (browser) => browser.on('disconnected', () => (this.browser = null)),
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
