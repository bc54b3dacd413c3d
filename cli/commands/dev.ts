/** `docuhook dev` (= `npm start`): the whole pipeline locally until Ctrl-C. */
import { startLocalRuntime } from '../../local/runtime.ts';
import { consoleLogger, type LogLevel } from '../../local/logger.ts';
import { site as dashboard } from '../../local/dashboard/serve.ts';
import { apiKeySetting, dataDirSetting, portSetting, type SettingFlags } from '../settings.ts';

export async function dev(flags: SettingFlags & { json?: boolean }): Promise<void> {
  const port = portSetting(flags);
  const dataDir = dataDirSetting(flags);
  const level = (process.env.DOCUHOOK_LOG_LEVEL ?? 'info') as LogLevel;
  const site = dashboard as undefined | Parameters<typeof startLocalRuntime>[0]['site'];
  const runtime = await startLocalRuntime({ dataDir, port, apiKey: apiKeySetting(flags), logger: consoleLogger(level), site });
  if (flags.json) {
    console.log(JSON.stringify({ api_url: runtime.apiUrl, api_key: runtime.apiKey, dashboard_url: site ? `${runtime.apiUrl}/` : null, s3_endpoint: runtime.s3Endpoint, data_dir: runtime.dataDir }));
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
