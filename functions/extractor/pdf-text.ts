/**
 * PDF text layer → positioned words. pdfjs (bundled in unpdf) gives text runs in PDF user
 * space; we turn them into words in page-normalised coordinates (0..1, origin top-left), the
 * same frame as Textract's BoundingBox, so layout/fields/tables work unchanged on OCR words later.
 */
import { DEFAULT_TIMEOUT_MS } from './budget.ts';
import { ExtractionError, NoTextLayerError } from './errors.ts';
import { deadline, openPdf, type PdfjsDoc, type PdfjsPage } from './pdf-doc.ts';
import type { Word } from './types.ts';

export interface PdfPageText {
  pageNumber: number;
  /** Page size in PDF points (after /Rotate), to turn normalised sizes back into points. */
  widthPt: number;
  heightPt: number;
  words: Word[];
}

export interface PdfText {
  pageCount: number;
  pages: PdfPageText[];
}

export interface PdfTextOptions {
  maxPages?: number;
  timeoutMs?: number;
}

export const DEFAULT_MAX_PAGES = 50;
export { DEFAULT_TIMEOUT_MS };

/** A piece of text on one baseline, in viewport points (y grows downwards). */
interface Token {
  text: string;
  x0: number;
  x1: number;
  baseline: number;
  size: number;
  /** Index of the pdfjs item it came from; tokens split from one item never re-merge. */
  run: number;
}

/**
 * Words of a text item: runs of non-space, except that a number grouped in thousands by spaces
 * ("46 630,60", "1 500", with a normal, no-break or thin space) stays one word.
 */
const WORD_RE = /(?<!\S)[-(]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d{1,4})?(?=$|[\s€$£%)]|[.,](?!\d))|\S+/gu;

interface PdfjsTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}

/** Page count checks shared by every PDF path. */
export function checkPageCount(pageCount: number, maxPages: number): void {
  if (pageCount === 0) {
    throw new ExtractionError(
      'EXTRACTION_FAILED',
      'This PDF has no pages, so there is nothing to extract. Check that the file was exported completely.',
    );
  }
  if (pageCount > maxPages) {
    throw new ExtractionError(
      'TOO_MANY_PAGES',
      `This PDF has ${pageCount} pages; at most ${maxPages} pages are processed per document. Split the file and upload the invoices separately.`,
    );
  }
}

/** Letters and digits on all pages: fewer than a handful means no usable text layer (a scan). */
export function textChars(pages: PdfPageText[]): number {
  return pages.reduce((s, p) => s + p.words.reduce((t, w) => t + w.text.replace(/[^\p{L}\p{N}]/gu, '').length, 0), 0);
}

/** Text layer of every page of an open document. */
export async function readDocText(doc: PdfjsDoc, checkpoint: () => Promise<void>): Promise<PdfPageText[]> {
  const pages: PdfPageText[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    pages.push(await readPage(page, n));
    page.cleanup();
    await checkpoint();
  }
  return pages;
}

export async function readPdfText(bytes: Uint8Array, options: PdfTextOptions = {}): Promise<PdfText> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const d = deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'PDF');
  let doc: PdfjsDoc | undefined;
  const work = async (): Promise<PdfText> => {
    await d.checkpoint();
    doc = await openPdf(bytes);
    await d.checkpoint();
    checkPageCount(doc.numPages, maxPages);
    const pages = await readDocText(doc, d.checkpoint);
    // A handful of stray characters (a page number, a stamp) does not make a usable text layer.
    if (textChars(pages) < 8) throw new NoTextLayerError();
    return { pageCount: doc.numPages, pages };
  };
  try {
    return await Promise.race([work(), d.timeout]);
  } finally {
    d.clear();
    await (doc as PdfjsDoc | undefined)?.destroy().catch(() => undefined);
  }
}

export async function readPage(page: PdfjsPage, pageNumber: number): Promise<PdfPageText> {
  const vp = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const tokens: Token[] = [];
  content.items.forEach((raw, run) => {
    const item = raw as PdfjsTextItem;
    if (!item.str || !item.transform || !item.str.trim()) return;
    // Item matrix in viewport space (handles /Rotate and crop-box offsets).
    const m = multiply(vp.transform, item.transform);
    const [a, b, c, d, e, f] = m as [number, number, number, number, number, number];
    // Horizontal text only: vertical margin notes would corrupt line building.
    if (Math.abs(b) > 0.2 * Math.abs(a) || a <= 0) return;
    const size = Math.hypot(c, d) || Math.abs(a);
    const width = (item.width ?? 0) * Math.hypot(vp.transform[0] ?? 1, vp.transform[1] ?? 0);
    const str = item.str;
    const perChar = str.length > 0 ? width / str.length : 0;
    for (const match of str.matchAll(WORD_RE)) {
      const start = match.index;
      tokens.push({
        text: match[0],
        x0: e + start * perChar,
        x1: e + (start + match[0].length) * perChar,
        baseline: f,
        size,
        run,
      });
    }
  });
  return {
    pageNumber,
    widthPt: vp.width,
    heightPt: vp.height,
    words: tokensToWords(tokens, vp.width, vp.height, pageNumber),
  };
}

function multiply(m1: number[], m2: number[]): number[] {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [
    a2 * a1 + b2 * c1,
    a2 * b1 + b2 * d1,
    c2 * a1 + d2 * c1,
    c2 * b1 + d2 * d1,
    e2 * a1 + f2 * c1 + e1,
    e2 * b1 + f2 * d1 + f1,
  ];
}

/**
 * Many generators emit one item per glyph or per kerning chunk, and some draw text twice for
 * fake bold; rebuild real words: drop duplicates, then join tokens that touch on one baseline.
 */
function tokensToWords(tokens: Token[], pageW: number, pageH: number, page: number): Word[] {
  const sorted = [...tokens].sort((p, q) => p.baseline - q.baseline || p.x0 - q.x0);
  // Cluster baselines so tokens of one line sort strictly left to right.
  const lines: Token[][] = [];
  for (const t of sorted) {
    const line = lines[lines.length - 1];
    const ref = line?.[0];
    if (line && ref && Math.abs(t.baseline - ref.baseline) < 0.3 * Math.min(t.size, ref.size)) line.push(t);
    else lines.push([t]);
  }
  const words: Word[] = [];
  for (const line of lines) {
    line.sort((p, q) => p.x0 - q.x0);
    const kept: Token[] = [];
    for (const t of line) {
      const dup = kept.find(
        (k) =>
          k.text === t.text && Math.abs(k.x0 - t.x0) < 0.3 * t.size && Math.abs(k.baseline - t.baseline) < 0.3 * t.size,
      );
      if (!dup) kept.push(t);
    }
    let cur: Token | undefined;
    const flush = (): void => {
      if (!cur) return;
      const ascent = 0.8 * cur.size;
      words.push({
        text: cur.text,
        page,
        left: clamp01(cur.x0 / pageW),
        top: clamp01((cur.baseline - ascent) / pageH),
        width: clamp01((cur.x1 - cur.x0) / pageW),
        height: clamp01(cur.size / pageH),
        baseline: cur.baseline / pageH,
        fontSize: cur.size,
        confidence: 99,
      });
    };
    for (const t of kept) {
      const gap = cur ? t.x0 - cur.x1 : Infinity;
      if (cur && cur.run !== t.run && gap < 0.12 * Math.min(cur.size, t.size) && gap > -0.5 * t.size) {
        cur = { ...cur, text: cur.text + t.text, x1: Math.max(cur.x1, t.x1), run: t.run };
      } else {
        flush();
        cur = { ...t };
      }
    }
    flush();
  }
  return words;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
