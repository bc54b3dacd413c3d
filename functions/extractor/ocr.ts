/**
 * OCR with tesseract.js: a small pool of reused workers (one per CPU, created lazily, closed
 * explicitly), language data from the npm packages `@tesseract.js-data/*` (never downloaded),
 * worker script and WASM core from node_modules. Pages are preprocessed (grey, ~300 dpi-equivalent
 * downscale) and tall pages are cut into bands at blank rows so that all workers serve one page.
 * Output: words with geometry in the same page-normalised frame as the PDF text layer.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { ExtractionError } from './errors.ts';
import { crop, downscale, quietRowNear, toPgm, upscale, type GrayImage } from './image/gray.ts';
import { detectLanguage, PAGE_LANGUAGES } from './ocr-language.ts';
import { installedModel, languageDir } from './ocr-models.ts';
import { letterheadBands, withAccentsFrom, withFiguresFrom, withLinesFrom } from './ocr-readings.ts';
import { DOUBTFUL_CONFIDENCE, unreadBands } from './image/unread-lines.ts';
import { rotate, skewAngle } from './image/skew.ts';
import { stretchContrast, TARGET_LINE_PX, textLineHeight } from './image/text-scale.ts';
import type { TextPage } from './layout.ts';
import type { Word } from './types.ts';

const require = createRequire(import.meta.url);

export interface OcrOptions {
  /** Tesseract language codes with an installed `@tesseract.js-data/<code>` package. Default: env DOCUHOOK_OCR_LANGS or "eng". */
  langs?: string[];
  /** Worker count; default: CPU count (at most 4). */
  poolSize?: number;
  /** Resolution pages are scaled down to before OCR (time grows with pixels; accuracy saturates). */
  targetDpi?: number;
  /** One band's OCR may take this long before its worker is killed and the page fails. */
  jobTimeoutMs?: number;
}

interface TessBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TessWord {
  text: string;
  confidence: number;
  bbox: TessBbox;
}
interface TessLine {
  words: TessWord[];
  bbox: TessBbox;
  baseline?: TessBbox;
  rowAttributes?: { rowHeight?: number; ascenders?: number; descenders?: number };
}
interface TessResult {
  data: { blocks: { paragraphs: { lines: TessLine[] }[] }[] | null };
}
interface TessWorker {
  recognize(image: Buffer, options?: object, output?: object): Promise<TessResult>;
  reinitialize(langs: string, oem: number): Promise<unknown>;
  setParameters(p: Record<string, string>): Promise<unknown>;
  terminate(): Promise<unknown>;
}
interface Tesseract {
  createWorker(langs: string, oem: number, options: object): Promise<TessWorker>;
}

export interface OcrWord {
  text: string;
  confidence: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  baseline: number;
  lineHeight: number;
  /** Slope (dy/dx) of the baseline of the text line the word sits on; 0 when unknown. */
  slope?: number;
}

class Slot {
  worker: Promise<TessWorker> | null = null;
  /** The model the worker is initialised with ("eng", "spa"). */
  model = '';
  busy = false;
}

export class OcrPool {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];
  private readonly langs: string[];
  /** The pool's languages and every page language whose model is installed: what a worker may switch to. */
  private readonly models: string[];
  private closed = false;
  readonly targetDpi: number;
  private readonly jobTimeoutMs: number;

  constructor(options: OcrOptions = {}) {
    const envLangs = process.env.DOCUHOOK_OCR_LANGS?.split(/[+,\s]+/).filter(Boolean);
    this.langs = options.langs ?? envLangs ?? ['eng'];
    for (const l of this.langs)
      if (!installedModel(l))
        throw new ExtractionError(
          'INTERNAL_ERROR',
          `OCR language "${l}" is not installed (npm package @tesseract.js-data/${l}).`,
        );
    this.models = [...new Set([...this.langs, ...PAGE_LANGUAGES.filter((l) => installedModel(l))])];
    const size = options.poolSize ?? Math.max(1, Math.min(4, availableParallelism()));
    this.slots = Array.from({ length: size }, () => new Slot());
    this.targetDpi = options.targetDpi ?? (Number(process.env.DOCUHOOK_OCR_DPI) || 300);
    this.jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  }

  get size(): number {
    return this.slots.length;
  }

  private async spawn(): Promise<TessWorker> {
    const T = require('tesseract.js') as Tesseract;
    const w = await T.createWorker(this.langs.join('+'), 1 /* OEM.LSTM_ONLY */, {
      langPath: languageDir(this.models),
      cacheMethod: 'none', // never write traineddata into the working directory
      gzip: true,
      logger: () => undefined,
      errorHandler: () => undefined,
    });
    await this.configure(w);
    return w;
  }

  private async configure(w: TessWorker): Promise<void> {
    await w.setParameters({
      preserve_interword_spaces: '0',
      user_defined_dpi: String(this.targetDpi),
      // tessedit_do_invert stays on: table headers are often white on a dark band.
    });
  }

  /** The slot's worker, started if needed and switched to `model` (a switch costs ~0.1-0.25 s). */
  private async workerFor(slot: Slot, model: string): Promise<TessWorker> {
    if (!slot.worker) {
      slot.worker = this.spawn();
      slot.model = this.langs.join('+');
    }
    let worker: TessWorker;
    try {
      worker = await slot.worker;
      if (slot.model !== model) {
        slot.model = '';
        await worker.reinitialize(model, 1);
        await this.configure(worker);
        slot.model = model;
      }
    } catch (e) {
      slot.worker = null;
      throw new ExtractionError(
        'INTERNAL_ERROR',
        `The OCR engine could not start: ${(e as Error)?.message ?? String(e)}`,
      );
    }
    return worker;
  }

  private async acquire(model: string): Promise<Slot> {
    for (;;) {
      if (this.closed)
        throw new ExtractionError('INTERNAL_ERROR', 'The OCR engine was shut down while a document was being read.');
      // A free worker already in the wanted language saves a switch.
      const free = this.slots.find((s) => !s.busy && s.model === model) ?? this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  /** OCR one raster; returns words in its pixel coordinates. */
  async recognizeRaster(
    img: GrayImage,
    layout: PageLayout = 'page',
    timeoutMs = this.jobTimeoutMs,
    langs: readonly string[] = this.langs,
  ): Promise<OcrWord[]> {
    const model = langs.join('+');
    const slot = await this.acquire(model);
    try {
      const worker = await this.workerFor(slot, model);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ExtractionError(
                'EXTRACTION_FAILED',
                `OCR of a page took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Upload a cleaner scan or a PDF with selectable text.`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        await worker.setParameters({ tessedit_pageseg_mode: PAGE_SEG_MODE[layout] });
        const res = await Promise.race([
          worker.recognize(Buffer.from(toPgm(img)), {}, { blocks: true, text: false }),
          timeout,
        ]);
        return wordsOf(res);
      } catch (e) {
        // A stuck or crashed worker is replaced, never reused.
        slot.worker = null;
        void worker.terminate().catch(() => undefined);
        if (e instanceof ExtractionError) throw e;
        throw new ExtractionError(
          'EXTRACTION_FAILED',
          `OCR failed on this image: ${String((e as Error)?.message ?? e)}. Upload a clearer scan or a PDF with selectable text.`,
        );
      } finally {
        clearTimeout(timer);
      }
    } finally {
      this.release(slot);
    }
  }

  /**
   * One page: downscale to the target resolution, read it with the model of its language (bands
   * cut at blank rows, read in parallel), and return a TextPage in normalised coordinates.
   */
  async recognizePage(source: GrayImage, pageNumber: number): Promise<TextPage> {
    const img = prepare(source, this.targetDpi);
    const t0 = performance.now();
    const strip = isStrip(source);
    const read = await this.readInItsLanguage(img);
    let found = await this.withSecondReadings(img, read.words, read.langs);
    const firstMs = performance.now() - t0;
    // A till receipt whose amounts column the automatic layout dropped: read it again as lines of
    // text and add what that pass found where the first found nothing. (Not on full pages: on a
    // noisy A4 scan the line mode reads specks as text, ten times slower.) Bounded in time: a
    // reading that takes much longer than the first is noise, and the first reading stands.
    if (strip && fewAmountsAtRight(found, img.width)) {
      const again = await this.recognizeRaster(
        img,
        'lines',
        Math.min(this.jobTimeoutMs, 2_000 + 3 * firstMs),
        read.langs,
      ).catch(() => []);
      found = withFiguresFrom(found, again);
    }
    const words = repairNumberSigns(repairDollarPrefixes(repairLegalForms(deskew(found, img.width, img.height))));
    return { pageNumber, width: img.width, height: img.height, words: words.map((w) => toWord(w, img, pageNumber)) };
  }

  /**
   * The page read with its own language's model: the pool's model cannot read other languages'
   * accents ("Lefevre", "Instalacion", "BahnhofstraRe") or their words as well. The page is read
   * with the pool's model; when its words are another language, it is read again whole with that
   * language's model, and that reading stands. (Reading only part of the page first to decide
   * would cut it where the pool's reading does not, and change what an English page reads.)
   */
  private async readInItsLanguage(img: GrayImage): Promise<{ words: OcrWord[]; langs: readonly string[] }> {
    const words = await this.recognizeBands(img, 'page', this.langs);
    const lang = this.foreignLanguage(words);
    if (!lang) return { words, langs: this.langs };
    return { words: await this.recognizeBands(img, 'page', [lang]), langs: [lang] };
  }

  /**
   * Bands of the page read again on their own as lines of text, all at once (the workers share
   * them): lines the layout pass dropped or misread (see unreadBands), whose confident words join
   * the reading where it found nothing or only doubtful words; and the letterhead, for its accents
   * (the page's automatic layout reads a bold letterhead's accents apart from their letters,
   * "MULLER" for "MÜLLER", and the shop's name is the field that most needs them; not on pages
   * read in English).
   */
  private async withSecondReadings(img: GrayImage, words: OcrWord[], langs: readonly string[]): Promise<OcrWord[]> {
    const unread = unreadBands(img, words).slice(0, MAX_UNREAD_BANDS);
    // A letterhead an unread band already holds is read once.
    const letterhead = (langs.some((l) => l !== 'eng') ? letterheadBands(words, img.height) : []).filter(
      (b) => !unread.some((u) => u.top <= b.top && u.bottom >= b.bottom),
    );
    const readings = await Promise.all(
      [...unread, ...letterhead].map(async (b) =>
        (await this.recognizeRaster(crop(img, b.top, b.bottom), 'lines', this.jobTimeoutMs, langs).catch(() => [])).map(
          (w) => shift(w, b.top),
        ),
      ),
    );
    const lines = withLinesFrom(words, readings.slice(0, unread.length).flat(), DOUBTFUL_CONFIDENCE);
    return withAccentsFrom(lines, readings.flat());
  }

  /** The words' language when it is not one of the pool's and its model is installed. */
  private foreignLanguage(words: readonly OcrWord[]): string | null {
    const lang = detectLanguage(words.map((w) => w.text));
    return lang && !this.langs.includes(lang) && this.models.includes(lang) ? lang : null;
  }

  private async recognizeBands(img: GrayImage, layout: PageLayout, langs: readonly string[]): Promise<OcrWord[]> {
    const bands = bandsOf(img, this.slots.length);
    const results = await Promise.all(
      bands.map(async (b) =>
        (await this.recognizeRaster(crop(img, b.top, b.bottom), layout, this.jobTimeoutMs, langs)).map((w) =>
          shift(w, b.top),
        ),
      ),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.waiting.splice(0)) r();
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        if (w) await (await w.catch(() => null))?.terminate().catch(() => undefined);
      }),
    );
  }
}

/**
 * 'page': Tesseract's automatic layout (columns, blocks). 'lines': one uniform block of text, each
 * printed line read whole: on till receipts the automatic layout can split the right-aligned
 * amounts into blocks of their own and drop them, while names and headings read better with it.
 */
export type PageLayout = 'page' | 'lines';
const PAGE_SEG_MODE: Record<PageLayout, string> = { page: '3', lines: '6' };

/** A till receipt: an upright image of no page size (a strip, or a short slip). */
export function isStrip(img: GrayImage): boolean {
  return estimateDpi(img) === null && img.height >= img.width;
}

const MONEY = /\d[.,]\d{2}\)?$/;

/** Fewer than four money figures in the right 40 % of the image: totals lost, or no receipt. */
export function fewAmountsAtRight(words: readonly OcrWord[], width: number): boolean {
  return words.filter((w) => MONEY.test(w.text) && w.right > 0.6 * width).length < 4;
}

/**
 * Resolution estimate: the file's own dpi when plausible, else from the page width assuming a
 * Letter/A4-like page (portrait or landscape); narrow strips (receipts) are left alone.
 */
export function estimateDpi(img: GrayImage): number | null {
  if (img.dpi && img.dpi >= 100 && img.dpi <= 1200) return img.dpi;
  const ratio = img.height / img.width;
  if (ratio > 1.2 && ratio < 1.6) return img.width / 8.4;
  if (ratio > 0.6 && ratio < 0.85) return img.width / 11.3;
  return null;
}

/** A page as OCR reads it best: contrast stretched, slant turned back, scaled to the target resolution. */
export function prepare(source: GrayImage, targetDpi: number): GrayImage {
  const img = stretchContrast(source);
  // Turned before scaling: fewer pixels to turn, and text lines measure true once level.
  return scaled(rotate(img, skewAngle(img)), targetDpi);
}

function scaled(img: GrayImage, targetDpi: number): GrayImage {
  const dpi = estimateDpi(img);
  // No resolution to go by (receipts, odd sizes): the text's own line height decides the scale.
  if (!dpi && img.width * img.height < 6_000_000) {
    const lineH = textLineHeight(img);
    if (lineH && lineH < 0.75 * TARGET_LINE_PX) return upscale(img, Math.min(3, TARGET_LINE_PX / lineH));
  }
  // Low-resolution renderings (a page at ~70-140 dpi): enlarge, small text is unreadable otherwise.
  // From ~150 dpi on, LSTM recognition copes and enlarging would only cost time.
  if (dpi && dpi < Math.min(150, 0.75 * targetDpi) && img.width * img.height < 4_000_000) {
    return upscale(img, Math.min(3, targetDpi / dpi));
  }
  let factor = dpi && dpi > targetDpi * 1.15 ? dpi / targetDpi : 1;
  // Whatever the dpi, more than ~2600 px across only costs time.
  factor = Math.max(factor, img.width / 2600);
  return factor > 1.05 ? downscale(img, factor) : img;
}

/** A page with more unread bands than this is noise or a picture; the first ones are read. */
const MAX_UNREAD_BANDS = 8;

/** Bands of fewer rows than this are not worth a worker of their own (~18 text lines at 32 px each). */
const MIN_BAND_PX = 600;

function bandsOf(img: GrayImage, workers: number): { top: number; bottom: number }[] {
  const n = Math.min(workers, Math.floor(img.height / MIN_BAND_PX));
  if (n <= 1) return [{ top: 0, bottom: img.height }];
  const cuts = [0];
  for (let k = 1; k < n; k++) cuts.push(quietRowNear(img, (img.height * k) / n, img.height / (4 * n)));
  cuts.push(img.height);
  const out: { top: number; bottom: number }[] = [];
  for (let k = 0; k < cuts.length - 1; k++)
    if (cuts[k + 1]! - cuts[k]! > 8) out.push({ top: cuts[k]!, bottom: cuts[k + 1]! });
  return out;
}

function wordsOf(res: TessResult): OcrWord[] {
  const out: OcrWord[] = [];
  for (const b of res.data.blocks ?? []) {
    for (const p of b.paragraphs) {
      for (const l of p.lines) {
        const lineH =
          l.rowAttributes?.rowHeight && l.rowAttributes.rowHeight > 0
            ? l.rowAttributes.rowHeight
            : l.bbox.y1 - l.bbox.y0;
        const bl = l.baseline;
        for (const w of l.words) {
          const text = w.text.trim();
          if (!text) continue;
          // Baseline at the word's centre, from the line's baseline segment.
          let baseline = w.bbox.y1;
          if (bl && bl.x1 !== bl.x0) {
            const cx = (w.bbox.x0 + w.bbox.x1) / 2;
            baseline = bl.y0 + ((bl.y1 - bl.y0) * (cx - bl.x0)) / (bl.x1 - bl.x0);
            // A skewed or bogus baseline must not move the word off its own box.
            if (baseline < w.bbox.y0 || baseline > w.bbox.y1 + lineH * 0.3) baseline = w.bbox.y1;
          }
          const slope = bl && bl.x1 - bl.x0 > 4 * lineH ? (bl.y1 - bl.y0) / (bl.x1 - bl.x0) : undefined;
          out.push({
            text,
            confidence: w.confidence,
            left: w.bbox.x0,
            top: w.bbox.y0,
            right: w.bbox.x1,
            bottom: w.bbox.y1,
            baseline,
            lineHeight: lineH,
            slope,
          });
        }
      }
    }
  }
  return out;
}

/**
 * A scan fed in at a slant: the text lines' baselines share one slope. Turning every word back by
 * it puts the cells of one printed row on one line again (a 1° skew moves the right edge of an A4
 * row by a whole line height) and the right edges of one column under each other again (down a
 * long page the same 1° moves them sideways by a few per cent of its width). Below ~0.1° nothing
 * is changed.
 */
export function deskew(words: OcrWord[], width: number, height: number): OcrWord[] {
  const slopes = words
    .filter((w) => w.slope !== undefined)
    .map((w) => w.slope!)
    .sort((a, b) => a - b);
  if (slopes.length < 5) return words;
  const slope = slopes[Math.floor(slopes.length / 2)]!;
  if (Math.abs(slope) < 0.002 || Math.abs(slope) > 0.1) return words;
  const cx = width / 2;
  const cy = height / 2;
  // A small rotation: y' = y − s·(x − cx), x' = x + s·(y − cy).
  return words.map((w) => {
    const dy = -slope * ((w.left + w.right) / 2 - cx);
    const dx = slope * ((w.top + w.bottom) / 2 - cy);
    return {
      ...w,
      left: Math.max(0, w.left + dx),
      right: Math.min(width, w.right + dx),
      top: w.top + dy,
      bottom: w.bottom + dy,
      baseline: w.baseline + dy,
    };
  });
}

/**
 * "Sdn Bhd" misread by one letter ("SIN BHD", "SUN BHD", "Sih Bhd", "SN BHD"): before "Bhd" the
 * only word that fits is the legal form, so it is restored (company names are matched on it).
 */
export function repairLegalForms(words: OcrWord[]): OcrWord[] {
  return words.map((w, i) => {
    const next = words[i + 1];
    if (!next || !/^bhd\.?,?$/i.test(next.text) || /^sdn\.?$/i.test(w.text) || !/^[s5][a-z0-9]{1,2}\.?$/i.test(w.text))
      return w;
    // Two or three characters starting with S: a company name's last word is hardly ever that short.
    const letters = w.text.replace(/\.$/, '');
    if (letters.length < 2 || /^s[iao]x$/i.test(letters)) return w;
    return { ...w, text: w.text === w.text.toUpperCase() ? 'SDN' : 'Sdn' };
  });
}

/**
 * The degree sign of "N°" read as "®" or "¢" ("Facturen®", "Documento N¢"): after an N at the end
 * of a word (or before its colon) no other sign makes sense, so the number sign is restored. Read
 * as a small "e" ("Ne: RE-84528", "Ne F2018-570"), it is restored where the word is only that and
 * a colon or a number follows: the French "Ne" of a sentence is followed by words.
 */
export function repairNumberSigns<T extends { text: string }>(words: T[]): T[] {
  return words.map((w, i) => {
    if (/[Nn][®¢](?=$|[:.])/.test(w.text)) return { ...w, text: w.text.replace(/([Nn])[®¢](?=$|[:.])/, '$1°') };
    const next = words[i + 1]?.text ?? '';
    if (w.text === 'Ne:' || (w.text === 'Ne' && /\d/.test(next))) return { ...w, text: w.text.replace('Ne', 'N°') };
    return w;
  });
}

/** Dollar prefixes whose "$" OCR reads as "S": "USS 981.67", "CAS1,250.00". */
const DOLLAR_MISREAD = /^(US|CA|AU|NZ|HK|SG|C|A)S(?=$|\d)/;

/**
 * "US$", "CA$", "A$" read as "USS", "CAS", "AS" before an amount, or a two-letter one after it
 * ("187,15 CAS"): no word of a price column looks like that, so the dollar sign is restored (the
 * currency is read from it).
 */
export function repairDollarPrefixes(words: OcrWord[]): OcrWord[] {
  // Money only (cents printed): "CS15612396" is an invoice number, not C$.
  const money = /^\d[\d,.' ]*[.,]\d{2}$/;
  return words.map((w, i) => {
    const m = DOLLAR_MISREAD.exec(w.text);
    if (!m) return w;
    const rest = w.text.slice(m[0].length);
    const amountFollows = rest ? money.test(rest) : money.test(words[i + 1]?.text ?? '');
    const prev = words[i - 1];
    const amountBefore = !rest && m[1]!.length === 2 && !!prev && money.test(prev.text) && sameLine(prev, w);
    return amountFollows || amountBefore ? { ...w, text: `${m[1]}$${rest}` } : w;
  });
}

function sameLine(a: OcrWord, b: OcrWord): boolean {
  return Math.abs(a.baseline - b.baseline) < Math.max(a.lineHeight, b.lineHeight) / 2;
}

function shift(w: OcrWord, dy: number): OcrWord {
  return { ...w, top: w.top + dy, bottom: w.bottom + dy, baseline: w.baseline + dy };
}

function toWord(w: OcrWord, img: GrayImage, page: number): Word {
  const H = img.height;
  const W = img.width;
  const lineH = Math.max(w.lineHeight, w.bottom - w.top, 1);
  return {
    text: w.text,
    page,
    left: w.left / W,
    top: w.top / H,
    width: Math.max(0, w.right - w.left) / W,
    height: lineH / H,
    baseline: w.baseline / H,
    // Font size in pixels, the unit of TextPage.width for OCR pages.
    fontSize: lineH,
    confidence: Math.max(0, Math.min(100, w.confidence)),
  };
}

// ---------------------------------------------------------------- shared default pool

let shared: OcrPool | null = null;

/** The process-wide pool, created on first use. */
export function ocrPool(): OcrPool {
  shared ??= new OcrPool();
  return shared;
}

/** Terminate the shared pool's workers (shutdown; tests). A later OCR call starts a new pool. */
export async function closeOcr(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
