/**
 * What test:deployed created, undone in a finally block: each step registers how to undo itself
 * as soon as it has done it, and `run` undoes everything in reverse order. One undo that fails does
 * not stop the others; the failures are returned so the run reports them (and fails).
 */
export class Cleanup {
  private readonly steps: { label: string; undo: () => Promise<unknown> }[] = [];

  add(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  /** Undoes every registered step, newest first, once; returns "label: error" for each that failed. */
  async run(log: (line: string) => void = () => {}): Promise<string[]> {
    const failures: string[] = [];
    for (const { label, undo } of this.steps.splice(0).reverse()) {
      try {
        await undo();
        log(`cleaned up ${label}`);
      } catch (err) {
        failures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failures;
  }
}
