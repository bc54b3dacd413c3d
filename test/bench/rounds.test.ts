import { describe, expect, it } from 'vitest';
import { interleave, summarise, type RoundResult } from '../../bench/lib/rounds.ts';

describe('bench rounds', () => {
  it('summarises each variant by the median of its rounds and the median of its per-round ratios to the baseline', () => {
    const results: RoundResult[] = [];
    const bare = [100, 200, 100, 100, 100];
    const engine = [120, 220, 130, 110, 500]; // ratios 1.2, 1.1, 1.3, 1.1, 5.0
    for (const [round, us] of bare.entries())
      results.push({ variant: 'bare', round, seconds: 0, usPerRequest: us, cpuUsPerRequest: us / 2 });
    for (const [round, us] of engine.entries())
      results.push({ variant: 'engine', round, seconds: 0, usPerRequest: us, cpuUsPerRequest: us / 2 });
    const [b, e] = summarise(results, 'bare', { perRound: 10, concurrency: 1 });
    expect(b).toMatchObject({ variant: 'bare', us_per_request: 100, vs_bare: 'baseline' });
    // The outlier round moves the range, not the median of the ratios.
    expect(e).toMatchObject({
      variant: 'engine',
      us_per_request: 130,
      per_second: 7692,
      cpu_us_per_request: 65,
      vs_bare: 1.2,
      vs_bare_min: 1.1,
      vs_bare_max: 5,
      vs_bare_p25: 1.1,
      vs_bare_p75: 1.3,
    });
  });

  it('runs every variant once per round in a changing order, after an uncounted warm-up', async () => {
    const calls: string[] = [];
    const variant = (name: string) => ({
      name,
      one: async () => {
        calls.push(name);
      },
      reset: () => calls.push(`reset ${name}`),
    });
    const results = await interleave([variant('a'), variant('b'), variant('c')], {
      rounds: 3,
      perRound: 2,
      warmup: 1,
      concurrency: 1,
    });
    expect(results.map((r) => `${r.round}${r.variant}`)).toEqual([
      '0a',
      '0b',
      '0c',
      '1a',
      '1c',
      '1b',
      '2c',
      '2a',
      '2b',
    ]);
    expect(calls.filter((c) => !c.startsWith('reset'))).toHaveLength(3 + 3 * 3 * 2);
    expect(calls.filter((c) => c === 'reset a')).toHaveLength(4);
  });
});
