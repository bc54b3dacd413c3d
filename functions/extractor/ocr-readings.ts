/**
 * Second OCR readings of parts of a page: which bands to read again for a letterhead's accents,
 * and merging what a second reading found into the first: where the first found nothing (figures
 * a layout pass dropped) or only doubtful words, and the accents the first reading lost.
 */
import type { Band } from './image/unread-lines.ts';
import { fold } from './layout.ts';

export interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The share of `a`'s area that `b` covers. */
function overlapShare(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const y = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const area = Math.max(1, (a.right - a.left) * (a.bottom - a.top));
  return (x * y) / area;
}

/**
 * The words of `first`, plus the words of `second` where `first` found nothing: figures, and
 * words read with confidence (labels such as "TOTAL" lost with their amounts; not logo noise).
 */
export function withFiguresFrom<T extends Box & { confidence: number }>(
  first: readonly T[],
  second: readonly T[],
): T[] {
  const wanted = (w: T): boolean => /\d/.test(w.text) || (w.confidence >= 80 && /\p{L}{2,}/u.test(w.text));
  return withWordsWhereNoneRead(first, second, wanted, 0);
}

/** Confidence a word read from a band on its own needs: noise read as lines of text scores low. */
const MIN_LINE_CONFIDENCE = 60;
/** A lone glyph says less: a crease or speck at the paper's edge is read as "4" at 61. */
const MIN_GLYPH_CONFIDENCE = 85;

/**
 * The words of `first`, plus the confident words of `second` where `first` found nothing or only
 * doubtful words (below `doubtful` confidence), which they replace.
 */
export function withLinesFrom<T extends Box & { confidence: number }>(
  first: readonly T[],
  second: readonly T[],
  doubtful = 0,
): T[] {
  const wanted = (w: T): boolean =>
    w.confidence >= (w.text.length > 1 ? MIN_LINE_CONFIDENCE : MIN_GLYPH_CONFIDENCE) && /[\p{L}\d]/u.test(w.text);
  const readBetter = (f: T): boolean => {
    const over = second.filter((w) => covers(w, f));
    return over.length > 0 && over.every(wanted);
  };
  const kept = first.filter((f) => f.confidence >= doubtful || !readBetter(f));
  // A band's reading may graze the line above or below (its margin): only a real overlap is a clash.
  return withWordsWhereNoneRead(kept, second, wanted, 0.25);
}

/** Whether `a` and `b` share more than a quarter of either's area. */
function covers(a: Box, b: Box): boolean {
  return overlapShare(a, b) > 0.25 || overlapShare(b, a) > 0.25;
}

/** `first`, plus the wanted words of `second` that cover no more than `clash` of any word of `first`. */
function withWordsWhereNoneRead<T extends Box>(
  first: readonly T[],
  second: readonly T[],
  wanted: (w: T) => boolean,
  clash: number,
): T[] {
  return [...first, ...second.filter((w) => wanted(w) && !first.some((f) => overlapShare(w, f) > clash))];
}

/**
 * The pixel rows of a page's letterhead lines, with a margin for accents: the first line of words
 * at its top, and the line of its tallest words in its top third when that is another.
 */
export function letterheadBands<T extends Box>(words: readonly T[], height: number): Band[] {
  // Words of letters only: brackets and digits stand taller or shorter than the type size.
  const top = words.filter((w) => w.bottom < height / 3 && /^\p{L}[\p{L}.'&-]+$/u.test(w.text));
  if (!top.length) return [];
  const first = top.reduce((a, b) => (b.top < a.top ? b : a));
  const tallest = top.reduce((a, b) => (b.bottom - b.top > a.bottom - a.top ? b : a));
  const bands = [first, tallest].map((word): Band => {
    const h = word.bottom - word.top;
    const line = top.filter((w) => Math.min(w.bottom, word.bottom) - Math.max(w.top, word.top) > h / 2);
    const pad = Math.round(0.6 * h);
    return {
      top: Math.max(0, Math.min(...line.map((w) => w.top)) - pad),
      bottom: Math.min(height, Math.max(...line.map((w) => w.bottom)) + pad),
    };
  });
  return bands[0]!.top === bands[1]!.top ? [bands[0]!] : bands;
}

/** Confidence a second reading's accented word needs to put its accents on the first's. */
const MIN_ACCENT_CONFIDENCE = 60;

/**
 * `first` with the accents a second reading puts on the same letters ("MULLER" → "MÜLLER"): the
 * automatic layout reads a bold letterhead's accents as specks apart from their letters.
 */
export function withAccentsFrom<T extends Box & { confidence: number }>(
  first: readonly T[],
  second: readonly T[],
): T[] {
  return first.map((f) => {
    const accented = second.find(
      (w) =>
        w.confidence >= MIN_ACCENT_CONFIDENCE &&
        w.text !== f.text &&
        /\p{M}/u.test(w.text.normalize('NFD')) &&
        fold(w.text) === fold(f.text) &&
        covers(w, f),
    );
    return accented ? { ...f, text: accented.text, confidence: Math.max(f.confidence, accented.confidence) } : f;
  });
}
