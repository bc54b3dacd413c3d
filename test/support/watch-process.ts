/** Samples the process while a test's work runs: peak RSS (worker threads included) and event-loop stalls. */
export interface ProcessWatch {
  stop(): { peakRssMb: number; baselineRssMb: number; maxStallMs: number };
}

export function watchProcess(intervalMs = 25): ProcessWatch {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    const now = performance.now();
    stall = Math.max(stall, now - last - intervalMs);
    last = now;
  }, intervalMs);
  const mb = (b: number): number => Math.round(b / 1024 / 1024);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakRssMb: mb(peak), baselineRssMb: mb(baseline), maxStallMs: Math.round(stall) };
    },
  };
}
