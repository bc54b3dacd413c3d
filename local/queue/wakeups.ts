/**
 * Wakes long-polling receivers. Everything that can make a message receivable in this process
 * (send, visibility change, dead-lettering, redrive) calls notify(queue); waiters then re-check.
 * Messages that become visible by the passage of time are covered by the waiter's own timer,
 * set to the queue's next visible_at, so nobody polls in a loop.
 */
import { EventEmitter } from 'node:events';

const CLOSED = Symbol('closed');

export class Wakeups {
  private readonly emitter = new EventEmitter();
  private closed = false;

  constructor() {
    // One listener per waiting receive; many concurrent long polls are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  notify(queue: string): void {
    this.emitter.emit(queue);
  }

  /** Resolves on notify(queue), after `ms`, on abort, or on close, whichever comes first. */
  wait(queue: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.emitter.off(queue, done);
        this.emitter.off(CLOSED, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.ceil(ms)));
      this.emitter.on(queue, done);
      this.emitter.on(CLOSED, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.closed = true;
    this.emitter.emit(CLOSED);
  }
}
