/**
 * One process per data directory: a lock file in it names the holder (pid, start time). A lock
 * whose process is gone (crashed, killed) is stale and taken over, so a restart after a crash
 * needs no clean-up; while the holder lives, a second start is refused with DataDirInUseError.
 * A pid check rather than an mtime heartbeat (proper-lockfile): a heartbeat leaves a killed
 * holder's lock valid until it goes stale, and would make the restart after a crash wait.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocuhookError } from '../functions/core/errors.ts';

export const LOCK_FILE = 'docuhook.lock';

export interface LockHolder {
  pid: number;
  started_at: string;
  /** The kernel's start time of the process (Linux /proc), so that a reused pid is not taken for the holder. */
  proc_start?: string;
}

export class DataDirInUseError extends DocuhookError<'DATA_DIR_IN_USE'> {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      'DATA_DIR_IN_USE',
      `${dataDir} is in use by another docuhook process (pid ${holder.pid}, started ${holder.started_at}).`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  file: string;
  release(): void;
}

/** Takes the data directory's lock or throws DataDirInUseError. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, started_at: new Date().toISOString(), proc_start: procStart(process.pid) };
  const content = JSON.stringify(me);
  // Two tries: the second follows the removal of a stale lock (a third would mean a race lost).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusive(file, content)) return held(file, content);
    const holder = readHolder(file);
    if (holder && isRunning(holder)) throw new DataDirInUseError(dataDir, holder);
    removeStale(file, holder);
  }
  const holder = readHolder(file);
  throw new DataDirInUseError(dataDir, holder ?? { pid: -1, started_at: 'just now' });
}

/** The live holder of the data directory's lock, if any: a quick check before a slow start. */
export function lockHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  return holder && isRunning(holder) ? holder : undefined;
}

/** Written whole under a temporary name, then linked into place: no reader ever sees it half-written. */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

function held(file: string, content: string): DataDirLock {
  // Also on process.exit() without stop(); a lock left by a crash is taken over anyway.
  const onExit = () => removeIfOurs(file, content);
  process.once('exit', onExit);
  return {
    file,
    release() {
      process.off('exit', onExit);
      removeIfOurs(file, content);
    },
  };
}

function removeIfOurs(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/**
 * Moves the stale lock aside (rename is atomic, so of two processes taking it over only one
 * moves it) and deletes it; a live lock moved aside by a lost race is put back.
 */
function removeStale(file: string, stale: LockHolder | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = readHolder(aside);
  if (moved && stale && moved.pid !== stale.pid && isRunning(moved)) {
    try {
      linkSync(aside, file);
    } catch {
      // A third process holds the lock now; it stays the holder.
    }
  }
  unlinkSync(aside);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.started_at === 'string' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined; // missing or garbage: nobody holds it
  }
}

function isRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStart(holder.pid);
  return holder.proc_start === undefined || now === undefined || now === holder.proc_start;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
