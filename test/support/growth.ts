/**
 * Whether a function's time grows linearly with its input: the median time at size n and at 4n.
 * Linear work gives a ratio near 4, quadratic near 16; the bound leaves room for noise on busy
 * cores, and a floor keeps sub-millisecond timings from deciding anything.
 */
export function medianMs(run: () => unknown, repeats = 3): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

export async function medianMsAsync(run: () => Promise<unknown>, repeats = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

/** Largest ratio time(4n) / time(n) accepted as linear (quadratic gives ~16). */
export const LINEAR_RATIO = 8;
/** Below this, timings are noise: the larger run just has to stay under it. */
export const FLOOR_MS = 20;

export function growsLinearly(small: number, large: number): boolean {
  return large < FLOOR_MS || large / Math.max(small, FLOOR_MS / LINEAR_RATIO) < LINEAR_RATIO;
}
