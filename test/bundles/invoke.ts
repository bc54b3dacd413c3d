/**
 * Invokes a bundle's handler as Lambda would: a fresh Node process whose working directory is the
 * isolated asset, the function's NODE_OPTIONS and environment, the event as JSON; the handler's
 * result comes back on stdout. A missing module, a bad handler path or an init failure fails here.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IsolatedFunction } from './assets.ts';

const RUNNER = `
const [file, name] = [process.argv[1], process.argv[2]];
const event = JSON.parse(process.argv[3]);
const context = { functionName: 'bundle-test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30000, callbackWaitsForEmptyEventLoop: false };
const mod = await import(file);
if (typeof mod[name] !== 'function') throw new Error('handler ' + name + ' is not exported');
const result = await mod[name](event, context);
process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result ?? null) + '\\n');
process.exit(0);
`;

export interface Invocation {
  result: unknown;
  stderr: string;
  ms: number;
}

export function invoke(
  node: string,
  fn: IsolatedFunction,
  env: Record<string, string>,
  event: unknown,
  timeoutMs = 120_000,
): Promise<Invocation> {
  const [file, name] = fn.handler.split('.') as [string, string];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      node,
      [
        '--input-type=module',
        '-e',
        RUNNER,
        pathToFileURL(join(fn.dir, `${file}.mjs`)).href,
        name,
        JSON.stringify(event),
      ],
      {
        cwd: fn.dir,
        env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: fn.dir, NODE_OPTIONS: fn.nodeOptions, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
      if (code !== 0 || !line) return reject(new Error(`${fn.id} exited ${code}: ${(stderr || stdout).slice(-3000)}`));
      resolve({
        result: JSON.parse(line.slice('@@RESULT@@'.length)),
        stderr:
          stdout
            .split('\n')
            .filter((l) => !l.startsWith('@@RESULT@@'))
            .join('\n') + stderr,
        ms: performance.now() - started,
      });
    });
  });
}
