/**
 * Starting twice: a second `docuhook dev` on a data dir in use, or on a port in use, exits
 * non-zero at once with one line saying which and what to do; no stack trace, nothing touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../local/data-dir-lock.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { tempDataDir } from '../support/local.ts';
import { REPO_DIR } from '../support/paths.ts';

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCUHOOK_')));

/** `docuhook dev` in the background until it prints ready. */
async function startDev(dataDir: string): Promise<ChildProcess> {
  const dev = spawn(process.execPath, ['cli/docuhook.js', 'dev', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO_DIR,
    env: { ...cleanEnv, DOCUHOOK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev did not print ready:\n${out}`)), 45_000);
    dev.stdout!.on('data', (d) => {
      out += d;
      if (/^ready$/m.test(out)) resolve(void clearTimeout(timer));
    });
    dev.once('exit', (code) => reject(new Error(`dev exited ${code}:\n${out}`)));
  });
  return dev;
}

async function timed(args: string[]): Promise<CliRun & { ms: number }> {
  const started = performance.now();
  const run = await runCli(args);
  return { ...run, ms: performance.now() - started };
}

function expectOneLineRefusal(run: CliRun & { ms: number }): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
  // At once: before the runtime's modules load and its services start (several seconds).
  expect(run.ms).toBeLessThan(5_000);
}

describe('a second docuhook dev', () => {
  const dataDir = tempDataDir();
  let first: ChildProcess;

  beforeAll(async () => {
    first = await startDev(dataDir);
  }, 60_000);

  afterAll(async () => {
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on the same data dir exits at once with one line naming the dir, the holder and --data-dir/--port', async () => {
    const run = await timed(['dev', '--port', '0', '--data-dir', dataDir]);
    expectOneLineRefusal(run);
    expect(run.stderr).toContain(`docuhook: ${dataDir} is in use by another docuhook (pid ${first.pid},`);
    expect(run.stderr).toMatch(/--data-dir <dir> --port <n>/);
    expect(first.exitCode).toBeNull(); // the first runs on
  });

  it('the lock goes with the first one: it is released on stop', async () => {
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGTERM');
    await exited;
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    first = await startDev(dataDir); // and the data dir can be used again
  }, 60_000);
});

describe('docuhook dev on a port in use', () => {
  let server: Server;
  let port: number;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits at once with one line naming the port and --port / DOCUHOOK_PORT, leaving the data dir untouched', async () => {
    const run = await timed(['dev', '--port', String(port), '--data-dir', dataDir]);
    expectOneLineRefusal(run);
    expect(run.stderr).toContain(`docuhook: Port ${port} is in use`);
    expect(run.stderr).toMatch(/--port <n> or DOCUHOOK_PORT/);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
