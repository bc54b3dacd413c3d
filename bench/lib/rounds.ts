/**
 * Interleaved rounds for comparing request loops on a noisy machine: every variant runs once per
 * round, in an order that changes from round to round (so no variant always runs right after another),
 * after a warm-up round that is not counted. Per variant: the median of its rounds; against the
 * baseline: the median of the per-round ratios, each taken between runs seconds apart, so a
 * background load that comes and goes shifts both sides of a ratio alike.
 *
 * No forced garbage collection between runs: a full collection shrinks the young generation, and
 * the next run then spends its time in scavenges (it doubled every variant's cost per request).
 */

import { median, percentile } from './report.ts';

export interface Variant {
  name: string;
  /** One request; `i` counts up across the whole run (unique ids). */
  one(i: number): Promise<void>;
  /** Called before each round (e.g. to drop what a store accumulated). */
  reset?(): void;
}

export interface RoundResult {
  variant: string;
  round: number;
  seconds: number;
  usPerRequest: number;
  cpuUsPerRequest: number;
}

export interface Summary {
  variant: string;
  rounds: number;
  per_round: number;
  concurrency: number;
  per_second: number;
  us_per_request: number;
  us_min: number;
  us_max: number;
  /** This process's CPU time per request (user + system): the client side's own cost. */
  cpu_us_per_request: number;
  vs_bare: number | 'baseline';
  vs_bare_min?: number;
  /** The middle half of the per-round ratios (25th to 75th percentile). */
  vs_bare_p25?: number;
  vs_bare_p75?: number;
  vs_bare_max?: number;
}

/** `concurrency` workers issuing `n` requests in total; wall seconds. */
export async function loop(
  n: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
  first = 0,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(first + next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Rotated by the round, and reversed every other round: no variant always follows the same one. */
function orderOf<T>(variants: T[], round: number): T[] {
  const rotated = variants.map((_, k) => variants[(round + k) % variants.length]!);
  return round % 2 ? rotated.reverse() : rotated;
}

export async function interleave(
  variants: Variant[],
  options: { rounds: number; perRound: number; warmup: number; concurrency: number },
): Promise<RoundResult[]> {
  let counter = 0;
  for (const v of variants) {
    v.reset?.();
    await loop(options.warmup, options.concurrency, v.one, counter);
    counter += options.warmup;
  }
  const results: RoundResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const v of orderOf(variants, round)) {
      v.reset?.();
      const cpu = process.cpuUsage();
      const seconds = await loop(options.perRound, options.concurrency, v.one, counter);
      const used = process.cpuUsage(cpu);
      counter += options.perRound;
      results.push({
        variant: v.name,
        round,
        seconds,
        usPerRequest: (seconds * 1e6) / options.perRound,
        cpuUsPerRequest: (used.user + used.system) / options.perRound,
      });
    }
  }
  return results;
}

const r2 = (x: number) => Number(x.toFixed(2));

export function summarise(
  results: RoundResult[],
  baseline: string,
  options: { perRound: number; concurrency: number },
): Summary[] {
  const names = [...new Set(results.map((r) => r.variant))];
  const base = new Map(results.filter((r) => r.variant === baseline).map((r) => [r.round, r.usPerRequest]));
  return names.map((variant) => {
    const mine = results.filter((r) => r.variant === variant);
    const us = mine.map((r) => r.usPerRequest);
    const ratios = mine.map((r) => r.usPerRequest / base.get(r.round)!);
    const medianUs = median(us);
    return {
      variant,
      rounds: mine.length,
      per_round: options.perRound,
      concurrency: options.concurrency,
      per_second: Math.round(1e6 / medianUs),
      us_per_request: Math.round(medianUs),
      us_min: Math.round(Math.min(...us)),
      us_max: Math.round(Math.max(...us)),
      cpu_us_per_request: Math.round(median(mine.map((r) => r.cpuUsPerRequest))),
      ...(variant === baseline
        ? { vs_bare: 'baseline' as const }
        : {
            vs_bare: r2(median(ratios)),
            vs_bare_min: r2(Math.min(...ratios)),
            vs_bare_p25: r2(
              percentile(
                [...ratios].sort((a, b) => a - b),
                25,
              ),
            ),
            vs_bare_p75: r2(
              percentile(
                [...ratios].sort((a, b) => a - b),
                75,
              ),
            ),
            vs_bare_max: r2(Math.max(...ratios)),
          }),
    };
  });
}
