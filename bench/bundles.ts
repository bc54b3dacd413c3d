/**
 * `npm run bench:bundles`: bundles every Lambda function exactly as the CDK stack does (the same
 * spec, lib/bundling.ts) and measures, on this machine, each bundle's size and its module init
 * time (importing it in a fresh Node process with the function's NODE_OPTIONS, median of several
 * runs). Prints a table, then one JSON line per function. Bundles target Node 22 (Lambda runs
 * Node 24); init is measured on the local Node, so it is an approximation of Lambda's INIT phase
 * without the runtime's own start-up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median } from './lib/report.ts';
import { esbuildOptions, functionBundleSpec, type ExtractorMode, type FunctionName } from '../lib/bundling.ts';

const TARGETS_KB: Partial<Record<string, number>> = { signer: 300, api: 600, 'extract (textract)': 800 };
const INIT_TARGET_MS = 150;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const cases: { label: string; name: FunctionName; extractor?: ExtractorMode }[] = [
  { label: 'api', name: 'api' },
  { label: 'extract (textract)', name: 'extract', extractor: 'textract' },
  { label: 'extract (local)', name: 'extract', extractor: 'local' },
  { label: 'signer', name: 'signer' },
  { label: 'textract-complete', name: 'textract-complete' },
  { label: 'sweeper', name: 'sweeper' },
];

/** Env a handler module would see in Lambda (imports must not need it: handlers build lazily). */
const ENV = { ...process.env, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function measureInit(file: string, nodeOptions: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...ENV, NODE_OPTIONS: nodeOptions },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), 'docuhook-bundles-'));
const rows: Record<string, unknown>[] = [];
try {
  for (const c of cases) {
    const spec = functionBundleSpec(c.name, { extractor: c.extractor });
    const outfile = join(dir, c.label.replace(/\W+/g, '-'), 'index.mjs');
    const started = performance.now();
    await build(esbuildOptions(spec, outfile));
    const buildMs = performance.now() - started;
    const sizeKb = statSync(outfile).size / 1024;
    const initMs = measureInit(outfile, spec.nodeOptions);
    const targetKb = TARGETS_KB[c.label];
    rows.push({
      function: c.label,
      size_kb: Math.round(sizeKb),
      target_kb: targetKb ?? null,
      size_ok: targetKb === undefined ? null : sizeKb <= targetKb,
      init_ms: Math.round(initMs * 10) / 10,
      init_target_ms: INIT_TARGET_MS,
      init_ok: initMs <= INIT_TARGET_MS,
      build_ms: Math.round(buildMs),
      node_options: spec.nodeOptions,
      node: process.version,
      target: spec.target,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pad = (s: unknown, n: number) => String(s).padEnd(n);
console.log(`${pad('function', 20)}${pad('size KB', 10)}${pad('target', 9)}${pad('init ms', 10)}${pad('target', 8)}ok`);
for (const r of rows) {
  const ok = (r.size_ok ?? true) && r.init_ok ? 'yes' : 'NO';
  console.log(
    `${pad(r.function, 20)}${pad(r.size_kb, 10)}${pad(r.target_kb ?? '-', 9)}${pad(r.init_ms, 10)}${pad(r.init_target_ms, 8)}${ok}`,
  );
}
console.log(
  `(init: median of ${RUNS} fresh imports on Node ${process.version} with NODE_OPTIONS=${rows[0]?.node_options}, as deployed; bundles target ${rows[0]?.target})`,
);
for (const r of rows) console.log(JSON.stringify({ bench: 'bundles', ...r }));
