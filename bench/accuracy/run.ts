/** Reading a set's documents: scores, per-page times, failures, and per-field confidences. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { median } from '../lib/report.ts';
import { scoreDocument, type Actual, type DocScore } from '../../test/support/score.ts';
import type { Doc } from './corpus.ts';

export interface PerDoc {
  file: string;
  score: DocScore;
  confidence: Record<string, number>;
}
export interface Run {
  scores: DocScore[];
  msPerPage: number[];
  failures: string[];
  perDoc: PerDoc[];
}

/**
 * Each document is read `passes` times: its time is the median of its passes (one stall of this
 * shared VM does not decide a document's time), its score that of the first pass (reading is
 * deterministic). `derive` scores a second reader computed from the first pass's result (the naive
 * baseline over the same lines), so slow OCR sets are read once for both.
 */
export async function runSet<R extends { data: Actual; pages: number }>(
  list: Doc[],
  read: (bytes: Uint8Array, d: Doc) => Promise<R>,
  passes: number,
  derive?: (r: R) => Actual,
): Promise<Run & { derived: Run }> {
  const run: Run = { scores: [], msPerPage: [], failures: [], perDoc: [] };
  const derived: Run = { scores: [], msPerPage: [], failures: [], perDoc: [] };
  for (const d of list) {
    const bytes = new Uint8Array(readFileSync(d.file));
    const times: number[] = [];
    let first: R | null = null;
    for (let pass = 0; pass < passes; pass++) {
      const t0 = performance.now();
      let pages = 1;
      try {
        const r = await read(bytes, d);
        if (pass === 0) first = r;
        pages = Math.max(1, r.pages);
      } catch (e) {
        if (pass === 0) run.failures.push(`${basename(d.file)}: ${(e as Error).message}`);
      }
      times.push((performance.now() - t0) / pages);
    }
    run.msPerPage.push(median(times));
    if (process.env.BENCH_TIMES) console.error(basename(d.file), times.map(Math.round).join(' '));
    record(run, d, first?.data ?? { line_items: [] });
    if (derive) record(derived, d, first ? derive(first) : { line_items: [] });
  }
  return { ...run, derived };
}

function record(run: Run, d: Doc, data: Actual): void {
  const score = scoreDocument(d.expected, data);
  run.scores.push(score);
  run.perDoc.push({
    file: basename(d.file),
    score,
    confidence: (data.confidence as Record<string, number> | undefined) ?? {},
  });
}

/** Untimed pass first, so times are steady-state (module load, pdfjs font caches, OCR worker start). */
export async function warmUp(list: Doc[], fn: (bytes: Uint8Array, d: Doc) => Promise<unknown>): Promise<void> {
  for (const d of list) await fn(new Uint8Array(readFileSync(d.file)), d).catch(() => undefined);
}
