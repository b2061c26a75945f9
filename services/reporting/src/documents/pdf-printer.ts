import { chromium, type Browser } from 'playwright-core';

/**
 * Prints HTML to PDF with Debian's Chromium (never a downloaded browser): it shapes Arabic, lays
 * bidirectional text out and finds the Noto fonts. One browser serves every report of the process.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly executablePath: string) {}

  /** Page size and the page numbers come from the HTML's `@page` rule (margin boxes print faster than footer templates). */
  async print(html: string): Promise<Buffer> {
    const browser = await this.launch();
    const page = await browser.newPage();
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await page.close().catch(() => undefined);
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
