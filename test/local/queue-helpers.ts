import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueueBroker } from '../../local/queue/index.ts';
import type { LocalQueueBrokerOptions } from '../../local/queue/index.ts';

/** A settable clock for deterministic visibility, delay and retention tests. */
export class FakeClock {
  constructor(public t = Date.UTC(2026, 4, 19, 14, 32, 0)) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A temp data dir with a broker on a real SQLite file; cleanup closes every broker opened. */
export function tempBrokers(): {
  file: string;
  open(options?: Omit<LocalQueueBrokerOptions, 'file'>): LocalQueueBroker;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'docuhook-queue-'));
  const file = join(dir, 'data', 'queues.sqlite');
  const opened: LocalQueueBroker[] = [];
  return {
    file,
    open(options = {}) {
      const broker = new LocalQueueBroker({ file, ...options });
      opened.push(broker);
      return broker;
    },
    cleanup() {
      for (const broker of opened) broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
