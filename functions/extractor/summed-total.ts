/**
 * A total whose label OCR garbled ("TORY, RM 73.00" for "TOTAL RM 73.00") is still the figure
 * that subtotal plus tax come to, where the tax is the subtotal at its printed rate: two readings
 * that check each other vouch for the sum, and the sum printed below them is the total.
 */
import type { FieldCandidate } from './fields.ts';

/** How much weaker than a labelled total: it counts only with the arithmetic that found it. */
const SUMMED_TOTAL_SCORE = 0.6;

/**
 * The unlabelled figure below a subtotal and its tax that equals their sum (cash rounding
 * included), as a total; null when a legible total label follows them (that total stands).
 */
export function summedTotal(
  subtotals: readonly FieldCandidate[],
  taxes: readonly FieldCandidate[],
  totals: readonly FieldCandidate[],
  figures: readonly FieldCandidate[],
  roundings: readonly number[],
): FieldCandidate | null {
  for (const t of taxes.filter((x) => x.rate))
    for (const s of subtotals) {
      const net = Number(s.amount?.value);
      const tax = Number(t.amount?.value);
      if (!(net > 0 && tax > 0) || Math.abs((net * t.rate!) / 100 - tax) > 0.0051) continue;
      const after = Math.max(s.line, t.line);
      if (totals.some((T) => T.line > after && T.score >= 0.5)) return null;
      const sums = [0, ...roundings].map((r) => net + tax + r);
      const f = figures.find(
        (x) => x.line > after && sums.some((sum) => Math.abs(Number(x.amount?.value) - sum) < 0.005),
      );
      if (f) return { ...f, type: 'TOTAL', score: SUMMED_TOTAL_SCORE };
    }
  return null;
}
