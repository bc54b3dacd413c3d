/**
 * Reliability: how often a field was right, binned by the confidence the payload gave it. A field at
 * ≥ 0.9 confidence should be right ≥ 95 % of the time (issue #12); callers may trust high scores.
 */
import type { PerDoc } from './run.ts';

export const BINS = [
  { label: '< 0.5', lo: 0, hi: 0.5 },
  { label: '0.5–0.7', lo: 0.5, hi: 0.7 },
  { label: '0.7–0.9', lo: 0.7, hi: 0.9 },
  { label: '≥ 0.9', lo: 0.9, hi: Infinity },
] as const;

export interface BinResult {
  label: string;
  n: number;
  right: number;
  accuracy: number;
}

/** The confidence key of a scored field (the item count is the line items' confidence). */
const confidenceKey = (field: string): string => (field === 'line_count' ? 'line_items' : field);

/** Every scored field that was reported with a confidence, binned. Unreported fields have none. */
export function reliability(docs: PerDoc[]): BinResult[] {
  const bins = BINS.map((b) => ({ label: b.label, n: 0, right: 0, accuracy: 0 }));
  for (const d of docs) {
    for (const f of d.score.fields) {
      const c = d.confidence[confidenceKey(f.field)];
      if (typeof c !== 'number' || f.actual === null) continue;
      const i = BINS.findIndex((b) => c >= b.lo && c < b.hi);
      bins[i]!.n++;
      if (f.ok) bins[i]!.right++;
    }
  }
  for (const b of bins) b.accuracy = b.n ? b.right / b.n : 0;
  return bins;
}

export const HIGH_CONFIDENCE_TARGET = 0.95;

export function formatReliability(title: string, bins: BinResult[]): string {
  const rows = bins.map(
    (b) =>
      `${b.label.padEnd(10)} ${String(b.n).padStart(6)} ${(b.n ? `${(b.accuracy * 100).toFixed(1)}%` : '-').padStart(8)}`,
  );
  const high = bins[bins.length - 1]!;
  const verdict =
    high.n === 0
      ? 'no fields at ≥ 0.9'
      : high.accuracy >= HIGH_CONFIDENCE_TARGET
        ? 'meets the ≥ 95 % target'
        : 'BELOW the ≥ 95 % target';
  return [
    `${title}`,
    `${'confidence'.padEnd(10)} ${'fields'.padStart(6)} ${'right'.padStart(8)}`,
    ...rows,
    `≥ 0.9 bin: ${verdict}`,
  ].join('\n');
}
