/**
 * Per-image preparation for OCR that does not depend on knowing the resolution: the height of
 * the text itself decides the scale (tesseract's LSTM models read best at ~30 px per text line),
 * and a contrast stretch lifts faint print (thermal receipts, light scans) to full black.
 */
import type { GrayImage } from './gray.ts';

/** Text line height OCR reads best at, in pixels (cap height ≈ 20 px). */
export const TARGET_LINE_PX = 32;

/** Grey level separating ink from paper (Otsu's threshold over a sampled histogram). */
export function inkThreshold(img: GrayImage): number {
  const hist = new Float64Array(256);
  const step = Math.max(1, Math.floor(img.data.length / 400_000));
  let n = 0;
  for (let i = 0; i < img.data.length; i += step) {
    hist[img.data[i]!]!++;
    n++;
  }
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t]!;
  let sumB = 0,
    wB = 0,
    best = 0,
    threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = n - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const between = wB * wF * (sumB / wB - (sum - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * Median height of the text lines: runs of rows holding ink, split at near-blank rows. Null
 * when the image holds too few lines to tell (a logo, a photo).
 */
export function textLineHeight(img: GrayImage): number | null {
  const { width, height, data } = img;
  const threshold = inkThreshold(img);
  const step = width > 1500 ? 2 : 1;
  const ink = new Int32Array(height);
  for (let y = 0; y < height; y++) {
    let c = 0;
    const row = y * width;
    const [left, right] = paperSpan(data, row, width, threshold);
    for (let x = left; x <= right; x += step) if (data[row + x]! <= threshold) c++;
    ink[y] = c;
  }
  const runs = inkedRowRuns(ink)
    .map((r) => r.bottom - r.top)
    .filter((h) => h >= 4);
  if (runs.length < 3) return null;
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

/**
 * The paper's columns [left, right] in one row: what lies outside the paper (a grey table around a
 * photographed slip, a scanner's dark edge) reaches from the image's edge to the first pixel
 * lighter than `threshold`, and holds no print.
 */
export function paperSpan(data: Uint8Array, row: number, width: number, threshold: number): [number, number] {
  let left = 0;
  while (left < width && data[row + left]! <= threshold) left++;
  let right = width - 1;
  while (right > left && data[row + right]! <= threshold) right--;
  return [left, right];
}

/**
 * Runs of rows holding ink, given each row's count of ink pixels: split at rows with almost none
 * (specks, a pen stroke or a slight slant leave a little ink between lines).
 */
export function inkedRowRuns(inkPerRow: ArrayLike<number>): { top: number; bottom: number }[] {
  let most = 0;
  for (let y = 0; y < inkPerRow.length; y++) most = Math.max(most, inkPerRow[y]!);
  const quiet = Math.max(1, most * 0.02);
  const runs: { top: number; bottom: number }[] = [];
  let start = -1;
  for (let y = 0; y <= inkPerRow.length; y++) {
    const inked = y < inkPerRow.length && inkPerRow[y]! > quiet;
    if (inked && start < 0) start = y;
    else if (!inked && start >= 0) {
      runs.push({ top: start, bottom: y });
      start = -1;
    }
  }
  return runs;
}

/** Stretch grey levels so that the darkest 1 % is black and the lightest 1 % white. */
export function stretchContrast(img: GrayImage): GrayImage {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]!]!++;
  const cut = img.data.length * 0.01;
  let lo = 0,
    hi = 255,
    acc = 0;
  while (lo < 255 && (acc += hist[lo]!) < cut) lo++;
  acc = 0;
  while (hi > 0 && (acc += hist[hi]!) < cut) hi--;
  // Already full range, or a blank page: nothing to stretch.
  if (hi - lo < 16 || (lo <= 8 && hi >= 247)) return img;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = lut[img.data[i]!]!;
  return { ...img, data: out };
}
