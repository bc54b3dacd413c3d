/**
 * Whether a function's time grows linearly with its input: the time at size n and at 4n. Linear
 * work gives a ratio near 4, quadratic near 16. Each size is timed as the fastest of several runs
 * after a warm-up: other jobs on a busy machine only ever add time, so the minimum is the run least
 * disturbed by them (a median still catches a burst of load on two of three runs).
 */
const REPEATS = 5;

export function fastestMs(run: () => unknown, repeats = REPEATS): number {
  run(); // warm-up: compilation and first allocations are not the scan's cost
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export async function fastestMsAsync(run: () => Promise<unknown>, repeats = REPEATS): Promise<number> {
  await run();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Largest ratio time(4n) / time(n) accepted as linear. Quadratic work gives ~16 and cubic ~64;
 * 10 leaves room for the garbage collector and caches at 4n without letting quadratic through.
 */
export const LINEAR_RATIO = 10;
/** Below this, timings are noise: the larger run just has to stay under it. */
export const FLOOR_MS = 20;

export function growsLinearly(small: number, large: number): boolean {
  return large < FLOOR_MS || large / Math.max(small, FLOOR_MS / LINEAR_RATIO) < LINEAR_RATIO;
}
