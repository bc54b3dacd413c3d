/**
 * Number columns found from a table's body rather than its headings: right edges of numbers
 * that line up down the rows. OCR often loses a heading (white on a dark band, a faint rule) while
 * the figures under it stay readable; the arithmetic (quantity × unit price = amount) then names
 * the columns these clusters reveal.
 */
import { parseAmount } from '../core/parse/amount.ts';
import type { Line, Word } from './types.ts';

export interface NumberCluster {
  left: number;
  right: number;
  lines: number;
}

/** Right edges within this share of the page width line up. */
const ALIGN = 0.012;

export function isNumberWord(w: Word): boolean {
  return (
    /\d/.test(w.text) &&
    !/%/.test(w.text) &&
    (!/\p{L}{2,}/u.test(w.text) || !!parseAmount(w.text)?.currency) &&
    parseAmount(w.text) !== null
  );
}

/** Clusters of right-aligned numbers present on at least `minLines` of the lines. */
export function numberClusters(lines: readonly Line[], minLines: number): NumberCluster[] {
  const ends = lines.flatMap((l, li) =>
    l.words.filter(isNumberWord).map((w) => ({ left: w.left, right: w.left + w.width, li })),
  );
  ends.sort((a, b) => a.right - b.right);
  const out: NumberCluster[] = [];
  let group: typeof ends = [];
  const flush = (): void => {
    const rows = new Set(group.map((e) => e.li)).size;
    if (rows >= minLines)
      out.push({
        left: Math.min(...group.map((e) => e.left)),
        right: Math.max(...group.map((e) => e.right)),
        lines: rows,
      });
    group = [];
  };
  for (const e of ends) {
    if (group.length && e.right - group[0]!.right > ALIGN) flush();
    group.push(e);
  }
  if (group.length) flush();
  return out;
}
