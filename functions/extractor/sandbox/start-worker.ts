/**
 * Starting a sandbox thread from source (tsx, in dev and tests) or from the Lambda bundle, where
 * the worker is its own esbuild entry shipped beside the handler as `extract-worker.mjs`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { SandboxWorkerData } from './protocol.ts';

/** The worker's file name in a bundle (lib/bundling.ts builds it under this name). */
export const BUNDLED_WORKER_FILE = 'extract-worker.mjs';

const fromSource = import.meta.url.endsWith('.ts');

export function startSandboxWorker(workerData: SandboxWorkerData, resourceLimits: ResourceLimits): Worker {
  const options = { workerData, resourceLimits, stdout: false, stderr: false };
  if (!fromSource) return new Worker(new URL(`./${BUNDLED_WORKER_FILE}`, import.meta.url), options);
  // Source: the thread registers tsx itself (loader hooks of the parent do not reach workers on Node 20).
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
