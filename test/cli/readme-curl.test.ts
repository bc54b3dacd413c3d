/**
 * The README's curl walk, run as written (bash, curl, jq) against the local pipeline: the
 * presigned multipart POST built from `upload.fields` must land the file and start extraction.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const hasTools = ['bash', 'curl', 'jq'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

/** The README's bash block that uploads with curl, without its placeholder KEY= and API= lines. */
function readmeCurlBlock(): string {
  const blocks = [...readFileSync(`${REPO_DIR}/README.md`, 'utf8').matchAll(/```bash\n([\s\S]*?)```/g)].map(
    (m) => m[1]!,
  );
  const block = blocks.find((b) => b.includes('TICKET=$(curl'));
  if (!block) throw new Error('README has no curl upload block');
  return block
    .split('\n')
    .filter((line) => !/^(KEY|API)=/.test(line))
    .join('\n');
}

// On a developer's machine without curl or jq this walk is skipped; CI installs both (.ci/run), so
// there a missing tool is a failure, never a silent skip.
it.runIf(!!process.env.CI)('CI has the tools the README walk needs (bash, curl, jq)', () => {
  expect(hasTools).toBe(true);
});

describe.skipIf(!hasTools)('README: uploading with curl and jq', () => {
  let setup: { rt: TestRuntime; receiver: Receiver; close(): Promise<void> };
  beforeAll(async () => {
    setup = await startRuntimeWithReceiver({ services: 'inline' });
  });
  afterAll(() => setup?.close());

  it('the block, run as written, uploads the sample through the presigned POST', async () => {
    // Asynchronously: the API and S3 run in this process and must answer while the block runs.
    const run = await promisify(execFile)(
      'bash',
      ['--norc', '--noprofile', '-c', `set -euo pipefail\n${readmeCurlBlock()}`],
      {
        cwd: REPO_DIR,
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH, KEY: setup.rt.apiKey, API: `${setup.rt.apiUrl}/v1` },
      },
    );
    expect(run.stderr).toBe('');
    const [status, poll] = run.stdout.trim().split('\n');
    expect(status).toBe('204');
    const { document_id: id } = JSON.parse(poll!) as { document_id: string };
    const [delivery] = await setup.receiver.waitFor(1, (r) => eventOf(r).document_id === id);
    expect(eventOf(delivery!)).toMatchObject({
      event: 'document.completed',
      data: { invoice_id: 'INV-2026-0091', total: '3850.00' },
    });
  });
});
