/** Runs the real `docuhook` CLI in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR } from './paths.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `env` is added to this process's environment minus every DOCUHOOK_* variable, so that a test
 * sees only the settings it gives. `cwd` defaults to the repository (for samples/… paths); `uid`
 * and `gid` run it as another user.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; uid?: number; gid?: number } = {},
): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCUHOOK_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_DIR, 'cli/docuhook.js'), ...args], {
      cwd: REPO_DIR,
      ...options,
      env: { ...base, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
