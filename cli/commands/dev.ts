/** `docuhook dev` (= `npm start`): the whole pipeline locally until Ctrl-C. */
import { createServer } from 'node:net';
import { DataDirInUseError, lockHolder } from '../../local/data-dir-lock.ts';
import type { LogLevel } from '../../local/logger.ts';
import { CliError } from '../errors.ts';
import { apiKeySetting, dataDirSetting, portSetting, type SettingFlags } from '../settings.ts';

export async function dev(flags: SettingFlags & { json?: boolean }): Promise<void> {
  const port = portSetting(flags);
  const dataDir = dataDirSetting(flags);
  // Checked before the runtime's modules load (seconds): a second start fails at once. The
  // runtime's own lock and listen are what enforce it; these only answer sooner.
  const holder = lockHolder(dataDir);
  if (holder) throw startFailure(new DataDirInUseError(dataDir, holder), port);
  if (port !== 0)
    await listenOnce(port).catch((err: unknown) => {
      throw startFailure(err, port);
    });

  const { startLocalRuntime } = await import('../../local/runtime.ts');
  const { consoleLogger } = await import('../../local/logger.ts');
  const { site: dashboard } = await import('../../local/dashboard/serve.ts');
  const level = (process.env.DOCUHOOK_LOG_LEVEL ?? 'info') as LogLevel;
  const site = dashboard as undefined | Parameters<typeof startLocalRuntime>[0]['site'];
  const runtime = await startLocalRuntime({
    dataDir,
    port,
    apiKey: apiKeySetting(flags),
    logger: consoleLogger(level),
    site,
  }).catch((err: unknown) => {
    throw startFailure(err, port);
  });
  if (flags.json) {
    console.log(
      JSON.stringify({
        api_url: runtime.apiUrl,
        api_key: runtime.apiKey,
        dashboard_url: site ? `${runtime.apiUrl}/` : null,
        s3_endpoint: runtime.s3Endpoint,
        data_dir: runtime.dataDir,
      }),
    );
  } else {
    console.log(`docuhook local pipeline
  API:        ${runtime.apiUrl}/v1
  API key:    ${runtime.apiKey}
  ${site ? `Dashboard:  ${runtime.apiUrl}/\n  ` : ''}S3:         ${runtime.s3Endpoint} (bucket ${runtime.bucket})
  Data dir:   ${runtime.dataDir}
Try: curl -s -H "Authorization: Bearer ${runtime.apiKey}" ${runtime.apiUrl}/v1/webhooks`);
  }
  console.log('ready');
  const shutdown = async (signal: string) => {
    console.error(`\n${signal}: stopping (pending deliveries resume on the next start)`);
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Listens on the port the API will use and closes again: rejects with EADDRINUSE if it is taken. */
function listenOnce(port: number): Promise<void> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** The two ways a second docuhook collides with a first, as one line saying what to do. */
function startFailure(err: unknown, port: number): unknown {
  if (err instanceof DataDirInUseError) {
    const { dataDir, holder } = err;
    return new CliError(
      err.code,
      `${dataDir} is in use by another docuhook (pid ${holder.pid}, started ${holder.started_at}): stop that one, or start this one with a data dir and port of its own (--data-dir <dir> --port <n>).`,
    );
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new CliError(
      'PORT_IN_USE',
      `Port ${port} is in use (by another docuhook or another program): stop it, or choose another port with --port <n> or DOCUHOOK_PORT.`,
    );
  }
  return err;
}
