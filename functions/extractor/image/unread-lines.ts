/**
 * Printed lines an OCR reading left out. Tesseract's automatic layout now and then drops a whole
 * line a person reads plainly, most often one right under a dashed rule on a till receipt
 * ("Date : 18/04/2017", "RECEIPT #: CS00251915 DATE: 29/10/2017"), or reads it as a few doubtful
 * words. Such a line shows up as a band of rows holding a text line's worth of ink that no word
 * of the reading covers with confidence.
 */
import type { GrayImage } from './gray.ts';
import { inkedRowRuns, inkThreshold, paperSpan } from './text-scale.ts';

export interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** OCR's confidence (0–100) in the word; a doubtful word leaves its ink unread. */
  confidence?: number;
}

/** Below this confidence a word is no reading of its ink ("Baie: PE" for "Date: 25/04/18"). */
export const DOUBTFUL_CONFIDENCE = 50;

export interface Band {
  top: number;
  bottom: number;
}

/** A text line's band is this many median word heights tall (rules and specks are thinner; logos taller). */
const LINE_HEIGHTS = { min: 0.6, max: 1.8 };
/** A cluster of ink at least this many line heights across: a few characters, not a speck or a stroke. */
const MIN_INKED_WIDTH = 2;
/** Ink this many line heights apart belongs to two clusters (columns), not one phrase. */
const COLUMN_GAP = 1.5;

/**
 * Bands of rows (in `img`'s pixels, with a margin) that hold unread text, given the boxes of the
 * words read: the ink no word covers, in runs of rows a text line tall, spread over a few
 * characters' width (a line none of whose words were read, or the amounts at the right of a
 * receipt whose labels were). Empty when nothing was read: a page OCR found no word on is no
 * page this repairs.
 */
export function unreadBands(img: GrayImage, words: readonly PixelBox[]): Band[] {
  const lineH = medianHeight(words);
  if (!lineH) return [];
  const ink = inkMap(img);
  const read = words.filter((w) => (w.confidence ?? 100) >= DOUBTFUL_CONFIDENCE);
  const unread = withoutWords(ink, img.width, img.height, read);
  const bands: Band[] = [];
  for (const run of inkRuns(unread, img.width, img.height)) {
    const h = run.bottom - run.top;
    if (h < LINE_HEIGHTS.min * lineH || h > LINE_HEIGHTS.max * lineH) continue;
    const clusters = inkClusters(unread, img.width, run, COLUMN_GAP * lineH);
    if (!clusters.some((c) => c.inked >= MIN_INKED_WIDTH * lineH)) continue;
    bands.push(run);
  }
  return withMargins(bands, lineH, img.height);
}

function medianHeight(words: readonly PixelBox[]): number | null {
  if (words.length < 3) return null;
  const hs = words.map((w) => w.bottom - w.top).sort((a, b) => a - b);
  return hs[Math.floor(hs.length / 2)]! || null;
}

/** 1 where a pixel is ink: darker than the image's Otsu threshold, and on the paper (see paperSpan). */
function inkMap(img: GrayImage): Uint8Array {
  const threshold = inkThreshold(img);
  const { width, height, data } = img;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const [left, right] = paperSpan(data, row, width, threshold);
    for (let x = left; x <= right; x++) out[row + x] = data[row + x]! <= threshold ? 1 : 0;
  }
  return out;
}

/** Runs of rows holding ink. */
function inkRuns(ink: Uint8Array, width: number, height: number): Band[] {
  const perRow = new Int32Array(height);
  for (let y = 0; y < height; y++) for (let x = 0, i = y * width; x < width; x++, i++) perRow[y]! += ink[i]!;
  return inkedRowRuns(perRow);
}

interface Cluster {
  left: number;
  right: number;
  /** Columns holding ink. */
  inked: number;
}

/** Stretches of the band's columns holding ink, split at gaps of `gap` columns or more. */
function inkClusters(ink: Uint8Array, width: number, band: Band, gap: number): Cluster[] {
  const out: Cluster[] = [];
  let current: Cluster | null = null;
  for (let x = 0; x < width; x++) {
    let inked = false;
    for (let y = band.top; y < band.bottom && !inked; y++) inked = ink[y * width + x] === 1;
    if (!inked) continue;
    if (current && x - current.right <= gap) {
      current.right = x + 1;
      current.inked++;
    } else {
      current = { left: x, right: x + 1, inked: 1 };
      out.push(current);
    }
  }
  return out;
}

/** The ink map with every word's box (grown by a pixel or two: glyph edges) cleared. */
function withoutWords(ink: Uint8Array, width: number, height: number, words: readonly PixelBox[]): Uint8Array {
  const out = ink.slice();
  for (const w of words) {
    const top = Math.max(0, Math.floor(w.top) - 2);
    const bottom = Math.min(height, Math.ceil(w.bottom) + 2);
    const left = Math.max(0, Math.floor(w.left) - 2);
    const right = Math.min(width, Math.ceil(w.right) + 2);
    for (let y = top; y < bottom; y++) out.fill(0, y * width + left, y * width + right);
  }
  return out;
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
