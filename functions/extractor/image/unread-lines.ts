/**
 * Printed lines an OCR reading left out. Tesseract's automatic layout now and then drops a whole
 * line a person reads plainly, most often one right under a dashed rule on a till receipt
 * ("Date : 18/04/2017", "RECEIPT #: CS00251915 DATE: 29/10/2017"). Such a line shows up as a band
 * of rows holding a text line's worth of ink that no word of the reading covers.
 */
import type { GrayImage } from './gray.ts';
import { inkedRowRuns, inkThreshold } from './text-scale.ts';

export interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Band {
  top: number;
  bottom: number;
}

/** At most this share of a band's ink inside words read, and it counts as unread. */
const MAX_COVERED_SHARE = 0.2;
/** A text line's band is this many median word heights tall (rules and specks are thinner; logos taller). */
const LINE_HEIGHTS = { min: 0.6, max: 1.8 };
/** Ink spread over at least this many line heights across: a few characters, not a speck or a stroke. */
const MIN_INKED_WIDTH = 3;

/**
 * Bands of rows (in `img`'s pixels, with a margin) that look like unread text lines, given the
 * boxes of the words read. Empty when nothing was read: a page OCR found no word on is no page
 * this repairs.
 */
export function unreadBands(img: GrayImage, words: readonly PixelBox[]): Band[] {
  const lineH = medianHeight(words);
  if (!lineH) return [];
  const ink = inkMap(img);
  const bands: Band[] = [];
  for (const run of inkRuns(ink, img.width, img.height)) {
    const h = run.bottom - run.top;
    if (h < LINE_HEIGHTS.min * lineH || h > LINE_HEIGHTS.max * lineH) continue;
    if (inkedColumns(ink, img.width, run) < MIN_INKED_WIDTH * lineH) continue;
    if (coveredShare(ink, img.width, run, words) > MAX_COVERED_SHARE) continue;
    bands.push(run);
  }
  return withMargins(bands, lineH, img.height);
}

function medianHeight(words: readonly PixelBox[]): number | null {
  if (words.length < 3) return null;
  const hs = words.map((w) => w.bottom - w.top).sort((a, b) => a - b);
  return hs[Math.floor(hs.length / 2)]! || null;
}

/** 1 where a pixel is ink (darker than the image's Otsu threshold). */
function inkMap(img: GrayImage): Uint8Array {
  const threshold = inkThreshold(img);
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i]! <= threshold ? 1 : 0;
  return out;
}

/** Runs of rows holding ink. */
function inkRuns(ink: Uint8Array, width: number, height: number): Band[] {
  const perRow = new Int32Array(height);
  for (let y = 0; y < height; y++) for (let x = 0, i = y * width; x < width; x++, i++) perRow[y]! += ink[i]!;
  return inkedRowRuns(perRow);
}

function inkedColumns(ink: Uint8Array, width: number, band: Band): number {
  let n = 0;
  for (let x = 0; x < width; x++) {
    for (let y = band.top; y < band.bottom; y++) {
      if (ink[y * width + x]) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** The share of the band's ink that lies inside the boxes of words read. */
function coveredShare(ink: Uint8Array, width: number, band: Band, words: readonly PixelBox[]): number {
  let total = 0;
  for (let y = band.top; y < band.bottom; y++) for (let x = 0, i = y * width; x < width; x++, i++) total += ink[i]!;
  if (!total) return 1;
  const seen = new Uint8Array(width * (band.bottom - band.top));
  let covered = 0;
  for (const w of words) {
    const top = Math.max(band.top, Math.floor(w.top));
    const bottom = Math.min(band.bottom, Math.ceil(w.bottom));
    const left = Math.max(0, Math.floor(w.left));
    const right = Math.min(width, Math.ceil(w.right));
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const s = (y - band.top) * width + x;
        if (seen[s]) continue;
        seen[s] = 1;
        covered += ink[y * width + x]!;
      }
    }
  }
  return covered / total;
}

/** Each band grown by half a line height (OCR misreads glyphs touching the edge), neighbours merged. */
function withMargins(bands: Band[], lineH: number, height: number): Band[] {
  const pad = Math.round(lineH / 2);
  const out: Band[] = [];
  for (const b of bands) {
    const grown = { top: Math.max(0, b.top - pad), bottom: Math.min(height, b.bottom + pad) };
    const last = out[out.length - 1];
    if (last && grown.top <= last.bottom) last.bottom = grown.bottom;
    else out.push(grown);
  }
  return out;
}
