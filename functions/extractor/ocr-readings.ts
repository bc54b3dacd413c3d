/**
 * Merging a second OCR reading of a page into the first: where the first found nothing (figures a
 * layout pass dropped), or where the two differ only in accents (a language model's reading).
 */
import { fold } from './layout.ts';

export interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Words of the first reading, each replaced by the second reading's word at the same place when
 * the two differ only in accents and case of accented letters ("Lefevre" → "Lefèvre").
 */
export function withAccentsFrom<T extends Box>(first: readonly T[], second: readonly Box[]): T[] {
  return first.map((w) => {
    const same = second.find(
      (s) =>
        overlapShare(w, s) > 0.5 && s.text !== w.text && fold(s.text) === fold(w.text) && /[^\p{ASCII}]/u.test(s.text),
    );
    return same ? { ...w, text: same.text } : w;
  });
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
  return [...first, ...second.filter((w) => wanted(w) && !first.some((f) => overlapShare(w, f) > 0))];
}
