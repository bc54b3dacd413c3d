/** Headless Chromium (Debian's, through playwright-core): HTML → text-layer PDF and degraded image. */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { DEGRADE_SCRIPT, type Degradation } from './degradation.ts';
import type { GeneratedDoc } from './document.ts';
import { hash32 } from './prng.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CSS_DPI = 96;

export class Renderer {
  private contexts = new Map<number, BrowserContext>();

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<Renderer> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    return new Renderer(browser);
  }

  /** One context per resolution: deviceScaleFactor sets the screenshot's dpi. */
  private async context(dpi: number): Promise<BrowserContext> {
    let ctx = this.contexts.get(dpi);
    if (!ctx) {
      ctx = await this.browser.newContext({ viewport: { width: 794, height: 1123 }, deviceScaleFactor: dpi / CSS_DPI });
      this.contexts.set(dpi, ctx);
    }
    return ctx;
  }

  /** A4 PDF with a real text layer; long tables flow onto further pages (header row repeated). */
  async pdf(doc: GeneratedDoc): Promise<Buffer> {
    const page = await (await this.context(CSS_DPI)).newPage();
    try {
      await page.setContent(doc.html);
      const numbered = doc.model.kind === 'invoice' && (doc.model.lines.length > 20 || hash32(doc.id) % 3 === 0);
      const label = doc.model.lang.labels
        .page(0, 0)
        .replace('0', '<span class="pageNumber"></span>')
        .replace('0', '<span class="totalPages"></span>');
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: numbered,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:8px;width:100%;text-align:right;margin-right:14mm">${label}</div>`,
        margin: { top: '14mm', bottom: '18mm', left: '14mm', right: '14mm' },
      });
    } finally {
      await page.close();
    }
  }

  /** The page (receipts: the paper only) at the chosen dpi, then degraded on a canvas. */
  async image(doc: GeneratedDoc): Promise<{ bytes: Buffer; ext: 'png' | 'jpg' }> {
    const d: Degradation = doc.degradation;
    const page = await (await this.context(d.dpi)).newPage();
    try {
      await page.setContent(doc.html);
      const shot =
        doc.kind === 'receipt' ? await page.locator('.paper').screenshot() : await page.screenshot({ fullPage: true });
      const out = (await page.evaluate(
        `(${DEGRADE_SCRIPT})(${JSON.stringify([shot.toString('base64'), d])})`,
      )) as string;
      return { bytes: Buffer.from(out, 'base64'), ext: d.jpegQuality === null ? 'png' : 'jpg' };
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
