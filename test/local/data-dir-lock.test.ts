/**
 * The data directory's lock: one holder at a time, named when refused; a lock left by a dead
 * process (or one whose pid now belongs to another process) is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../local/data-dir-lock.ts';
import { startTestRuntime } from '../support/local.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docuhook-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockFile = () => join(dir, LOCK_FILE);
/** A pid that was certainly alive once and is certainly gone now. */
const deadPid = () =>
  spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();

describe('lockDataDir', () => {
  it('refuses a second holder while the first lives, naming the directory and the holder', () => {
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    let refused: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lockDataDir(dir).release(); // free again
  });

  it('takes over the lock of a process that is gone', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: Number(deadPid()), started_at: '2026-01-01T00:00:00.000Z' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock file that is empty or garbage', () => {
    for (const content of ['', '{"pid":']) {
      writeFileSync(lockFile(), content);
      lockDataDir(dir).release();
    }
  });

  it.skipIf(!existsSync('/proc/self/stat'))('takes over a lock whose pid was reused by another process', () => {
    // This process's pid, but a different kernel start time: the holder was an earlier process.
    writeFileSync(
      lockFile(),
      JSON.stringify({ pid: process.pid, started_at: '2026-01-01T00:00:00.000Z', proc_start: '1' }),
    );
    lockDataDir(dir).release();
  });

  it('does not remove a lock it no longer holds', () => {
    const lock = lockDataDir(dir);
    const other = JSON.stringify({ pid: process.pid, started_at: 'later' });
    writeFileSync(lockFile(), other);
    lock.release();
    expect(readFileSync(lockFile(), 'utf8')).toBe(other);
  });
});

describe('the local runtime holds the lock', () => {
  it('refuses a second runtime on its data dir, and a runtime that fails to start lets go of it', async () => {
    const first = await startTestRuntime({ dataDir: dir, services: 'inline' });
    try {
      await expect(startTestRuntime({ dataDir: dir, services: 'inline' })).rejects.toBeInstanceOf(DataDirInUseError);
      expect((await fetch(`${first.apiUrl}/healthz`)).status).toBe(200); // the first is untouched
    } finally {
      await first.stop();
    }
    expect(existsSync(lockFile())).toBe(false);

    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    await expect(startTestRuntime({ dataDir: dir, services: 'inline', port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await new Promise((r) => taken.close(r));
    expect(existsSync(lockFile())).toBe(false);
  }, 60_000);
});
