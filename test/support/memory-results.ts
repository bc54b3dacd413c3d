/** A ResultStore in memory, for core tests that need no S3: counts writes per key. */
import type { ResultStore } from '../../functions/core/ports.ts';

export class MemoryResultStore implements ResultStore {
  readonly objects = new Map<string, string>();
  readonly writes: string[] = [];

  async put(key: string, body: string): Promise<void> {
    this.writes.push(key);
    this.objects.set(key, body);
  }

  async get(key: string): Promise<string> {
    const body = this.objects.get(key);
    if (body === undefined) throw new Error(`no result ${key}`);
    return body;
  }
}
