/**
 * The command line without a server: usage errors exit 2 and runtime failures 1, errors are JSON
 * with --json (and always for extract), and each message says what was wrong and what to do.
 */
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { REPO_DIR } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'docuhook-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * root reads any file whatever its mode, so as root the permission test runs the CLI as nobody —
 * possible only where nobody can read the checkout (not, say, under a 0700 home directory).
 */
const UNREADABLE_FILES_POSSIBLE =
  process.getuid?.() !== 0 ||
  spawnSync(
    process.execPath,
    [
      '-e',
      'for (const f of process.argv.slice(1)) require("fs").accessSync(f, require("fs").constants.R_OK)',
      join(REPO_DIR, 'cli/docuhook.js'),
      join(REPO_DIR, 'node_modules/tsx/package.json'),
    ],
    { uid: 65534, gid: 65534, cwd: '/' },
  ).status === 0;

const errorOf = (stdout: string) => JSON.parse(stdout) as { error: { code: string; message: string } };

describe('usage errors exit 2, with a message saying what is wrong', () => {
  it.each<[what: string, args: string[], message: RegExp, env?: Record<string, string>]>([
    [
      'an unknown flag',
      ['upload', 'a.pdf', '--bogus'],
      /^docuhook: unknown option --bogus; usage: docuhook upload <files…>/,
    ],
    [
      'a mistyped flag',
      ['upload', 'a.pdf', '--wiat'],
      /unknown option --wiat \(did you mean --wait\?\); usage: docuhook upload/,
    ],
    ['an abbreviated flag', ['redrive', '--data', '/tmp'], /unknown option --data \(did you mean --data-dir\?\)/],
    [
      'a mistyped flag before the command',
      ['--jsno', 'webhooks', 'list'],
      /unknown option --jsno \(did you mean --json\?\)/,
    ],
    ['a flag without its value', ['upload', 'a.pdf', '--port', '--json'], /--port needs a value before --json; usage:/],
    ['a value given to a switch', ['upload', 'a.pdf', '--wait=yes'], /--wait takes no value; usage:/],
    ['an unknown command', ['frob'], /unknown command "frob"; commands: dev, demo/],
    ['a mistyped command', ['uplod', 'a.pdf'], /unknown command "uplod" \(did you mean "upload"\?\); commands:/],
    [
      'a mistyped webhooks subcommand',
      ['webhooks', 'delte', 'wh_1'],
      /unknown subcommand "delte" \(did you mean "delete"\?\); usage: docuhook webhooks/,
    ],
    ['no command', [], /no command given/],
    ['a missing argument', ['upload'], /usage: docuhook upload <files…>/],
    ['a missing webhook id', ['webhooks', 'rotate'], /usage: docuhook webhooks/],
    [
      'a flag the command does not take',
      ['redrive', '--api-url', 'http://127.0.0.1:1'],
      /--api-url does not apply to docuhook redrive/,
    ],
    [
      '--queue with --dlq-arn (a local and an AWS queue)',
      ['redrive', '--dlq-arn', 'arn:aws:sqs:eu-west-1:123456789012:dlq', '--queue', 'ingest'],
      /--queue and --data-dir apply to the local pipeline only/,
    ],
    [
      'a flag its subcommand does not take',
      ['webhooks', 'list', '--events', 'document.completed'],
      /--events and --secret apply to webhooks add only/,
    ],
    [
      'a malformed --port',
      ['webhooks', 'list', '--port', '99999'],
      /--port must be a whole number from 0 to 65535, not "99999"/,
    ],
    [
      'a malformed DOCUHOOK_API_URL',
      ['webhooks', 'list', '--api-key', 'dh_x'],
      /DOCUHOOK_API_URL must be an http\(s\) URL/,
      { DOCUHOOK_API_URL: 'localhost:4000' },
    ],
  ])('%s', async (_what, args, message, env = {}) => {
    const run = await runCli(args, env);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('docuhook --help');
    // Our own words: parseArgs' advice (with its unbalanced quotes) never shows.
    expect(run.stderr).not.toMatch(/To specify a positional argument|'-- "/);
    expect(run.stdout).toBe('');
  });

  it('--help documents the exit codes and the JSON errors, and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 usage error/);
    expect(run.stdout).toContain('{"error":{"code","message"}}');
  });
});

describe('--json: errors are {"error":{"code","message"}} on stdout, where --json output goes', () => {
  it('for a usage error (exit 2)', async () => {
    const run = await runCli(['upload', 'a.pdf', '--bogus', '--json']);
    expect(run.code).toBe(2);
    expect(errorOf(run.stdout)).toEqual({ error: { code: 'USAGE', message: expect.stringContaining('--bogus') } });
    expect(run.stderr).toBe('');
  });

  it('for a runtime failure (exit 1)', async () => {
    const run = await runCli(['webhooks', 'list', '--json', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(errorOf(run.stdout).error).toEqual({
      code: 'NO_API_KEY',
      message: expect.stringContaining(join(dir, 'dev-account.json')),
    });
  });
});

describe('no server running', () => {
  it('a client command names the URL it tried and what to do, and exits 1', async () => {
    const port = await closedPort();
    const run = await runCli(['webhooks', 'list', '--api-key', 'dh_x'], { DOCUHOOK_PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot reach the docuhook API at http://127.0.0.1:${port}`);
    expect(run.stderr).toMatch(/npm start.*--api-url.*DOCUHOOK_API_URL/s);
    expect(run.stderr).not.toMatch(/fetch failed/);
  });

  it('with --json the same failure is API_UNREACHABLE', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli([
      'upload',
      'samples/riverside-consulting.pdf',
      '--json',
      '--api-url',
      url,
      '--api-key',
      'dh_x',
    ]);
    expect(run.code).toBe(1);
    expect(errorOf(run.stdout).error).toEqual({ code: 'API_UNREACHABLE', message: expect.stringContaining(url) });
  });
});

describe('files that cannot be read', () => {
  it('extract of a directory prints the error object and exits 1', async () => {
    const run = await runCli(['extract', dir]);
    expect(run.code).toBe(1);
    expect(errorOf(run.stdout)).toEqual({
      error: { code: 'FILE_UNREADABLE', message: `Cannot read ${dir}: it is a directory; pass a file.` },
    });
    expect(run.stderr).toBe('');
  });

  it('extract of a missing file is FILE_NOT_FOUND, exit 1', async () => {
    const run = await runCli(['extract', join(dir, 'missing.pdf')]);
    expect(run.code).toBe(1);
    expect(errorOf(run.stdout).error.code).toBe('FILE_NOT_FOUND');
  });

  it.skipIf(!UNREADABLE_FILES_POSSIBLE)(
    'extract of a file without read permission is FILE_UNREADABLE, exit 1',
    async () => {
      const file = join(dir, 'locked.pdf');
      copyFileSync(join(REPO_DIR, 'samples/riverside-consulting.pdf'), file);
      chmodSync(file, 0o000);
      chmodSync(dir, 0o755);
      // root reads any file whatever its mode, so root runs the CLI as nobody.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const run = await runCli(['extract', file], {}, asNobody);
      expect(run.code).toBe(1);
      expect(errorOf(run.stdout).error).toEqual({
        code: 'FILE_UNREADABLE',
        message: `Cannot read ${file}: permission denied.`,
      });
    },
  );

  it('extract speaks JSON for usage errors too (exit 2)', async () => {
    const run = await runCli(['extract']);
    expect(run.code).toBe(2);
    expect(errorOf(run.stdout).error.code).toBe('USAGE');
  });

  it('extract reads an extensionless PDF by its bytes', async () => {
    const file = join(dir, 'invoice');
    copyFileSync(join(REPO_DIR, 'samples/thames-print-works.pdf'), file);
    const run = await runCli(['extract', file, '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ invoice_id: 'TPW-88231' });
  });

  it('upload of a directory says so before any request, exit 1', async () => {
    writeFileSync(join(dir, 'dev-account.json'), JSON.stringify({ apiKey: 'dh_x' }));
    const run = await runCli(['upload', dir, '--data-dir', dir, '--port', String(await closedPort())]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot read ${dir}: it is a directory`);
  });
});
