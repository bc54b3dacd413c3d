/**
 * The local S3 endpoint's port, kept in the data directory. Presigned upload URLs name it, and
 * uploads awaiting their file survive a restart with the rest of the state, so a URL issued before
 * a restart must still reach S3 after it: each start reuses the port the data directory's first
 * start picked (a free one, so several data directories run side by side).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const portFile = (dataDir: string) => join(dataDir, 's3-port');

/** The kept port when it is free now; 0 (any free port) on a first start or when another process holds it. */
export async function keptS3Port(dataDir: string, host: string): Promise<number> {
  let port: number;
  try {
    port = Number(readFileSync(portFile(dataDir), 'utf8').trim());
  } catch {
    return 0;
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return 0;
  return (await isFree(port, host)) ? port : 0;
}

export function keepS3Port(dataDir: string, port: number): void {
  writeFileSync(portFile(dataDir), `${port}\n`);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
