/**
 * The extraction sandbox: documents are read in worker threads, each with a capped heap and a
 * hard deadline. The thread that overruns either is terminated and replaced; its document fails
 * on this first attempt with a clear code, and the API and other documents never wait on it.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ExtractionError } from '../errors.ts';
import type { ExtractResult } from '../index.ts';
import { DEFAULT_TIMEOUT_MS } from '../budget.ts';
import { fromFailure, toFailure } from './failures.ts';
import { CLOSE, type SandboxJob, type SandboxReply } from './protocol.ts';
import { startSandboxWorker } from './start-worker.ts';

export interface SandboxOptions {
  /** Documents read at once (threads). Default: 2, at most the CPU count. */
  size?: number;
  /** Heap cap of one thread (V8 old generation). Default 768 MB. */
  maxHeapMb?: number;
  /** Whole-document budget; the thread is terminated shortly after it. Default: the extractor's. */
  timeoutMs?: number;
  /** Past the budget, how long the thread may take to fail by itself before it is terminated. */
  graceMs?: number;
}

export interface SandboxRequest {
  bytes: Uint8Array;
  contentType?: string;
  maxPages?: number;
}

interface Pending {
  job: SandboxJob;
  resolve: (r: ExtractResult) => void;
  reject: (e: Error) => void;
}

class Thread {
  current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  constructor(readonly worker: Worker) {}
}

export class ExtractionSandbox {
  private readonly size: number;
  private readonly maxHeapMb: number;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly threads = new Set<Thread>();
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(options: SandboxOptions = {}) {
    this.size = options.size ?? Math.max(1, Math.min(2, availableParallelism()));
    this.maxHeapMb = options.maxHeapMb ?? 768;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.graceMs = options.graceMs ?? 2_000;
  }

  extract(request: SandboxRequest): Promise<ExtractResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...request, id: this.nextId++, timeoutMs: this.timeoutMs }, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends every thread (and their OCR workers). Jobs still queued fail; later calls start anew. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error('extraction sandbox closed'));
    await Promise.all([...this.threads].map((t) => this.stop(t)));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = [...this.threads].find((t) => !t.current) ?? (this.threads.size < this.size ? this.spawn() : null);
      if (!thread) return;
      this.run(thread, this.queue.shift()!);
    }
  }

  private run(thread: Thread, pending: Pending): void {
    const timer = setTimeout(() => this.kill(thread, overtime(this.timeoutMs)), this.timeoutMs + this.graceMs);
    thread.current = { ...pending, timer };
    thread.worker.ref(); // a running document keeps the process alive; an idle thread does not
    thread.worker.postMessage(pending.job);
  }

  private spawn(): Thread {
    const ocrPoolSize = Math.max(1, Math.floor(Math.min(4, availableParallelism()) / this.size));
    const thread = new Thread(
      startSandboxWorker({ ocrPoolSize }, { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 64 }),
    );
    thread.worker.unref();
    thread.worker.on('message', (reply: SandboxReply) => this.settle(thread, reply));
    // A thread that dies of an uncaught error: classified like a thrown one (a stack overflow is the document's).
    thread.worker.on('error', (err: Error & { code?: string }) =>
      this.kill(
        thread,
        err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(this.maxHeapMb) : fromFailure(toFailure(err)),
      ),
    );
    thread.worker.on('exit', () => this.kill(thread, new Error('extraction sandbox thread exited unexpectedly')));
    this.threads.add(thread);
    return thread;
  }

  private settle(thread: Thread, reply: SandboxReply): void {
    const job = thread.current;
    if (!job || job.job.id !== reply.id) return;
    clearTimeout(job.timer);
    thread.current = null;
    thread.worker.unref();
    if (reply.ok) job.resolve(reply.result);
    else job.reject(fromFailure(reply.failure));
    this.dispatch();
  }

  /** Fails the thread's document with `err`, terminates the thread; the next job gets a new one. */
  private kill(thread: Thread, err: Error): void {
    if (!this.threads.delete(thread)) return;
    const job = thread.current;
    thread.current = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(err);
    }
    void thread.worker.terminate();
    this.dispatch();
  }

  private async stop(thread: Thread): Promise<void> {
    this.threads.delete(thread);
    const exited = new Promise<void>((r) => thread.worker.once('exit', () => r()));
    thread.worker.postMessage(CLOSE); // lets the thread close its OCR workers first
    const timer = setTimeout(() => void thread.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
    thread.current?.reject(new Error('extraction sandbox closed'));
  }
}

function overtime(timeoutMs: number): ExtractionError {
  return new ExtractionError(
    'EXTRACTION_FAILED',
    `Reading this file took longer than ${Math.max(1, Math.round(timeoutMs / 1000))} s and was stopped; the file may be damaged or unusually complex. Try re-exporting it from the original application.`,
  );
}

function outOfMemory(maxHeapMb: number): ExtractionError {
  return new ExtractionError(
    'FILE_TOO_LARGE',
    `Reading this file needed more than ${maxHeapMb} MB of memory and was stopped; it expands far beyond its size (it may be a decompression bomb or an unusually complex document). Re-export it from the original application.`,
  );
}
