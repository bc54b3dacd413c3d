/**
 * The CLI's local settings, each from its flag, else its environment variable, else the default
 * (docs/design.md §5.3: "flags may override"). A malformed value is a usage error naming where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DocuhookClient } from './api-client.ts';
import { CliError, UsageError } from './errors.ts';

export interface SettingFlags {
  port?: string;
  dataDir?: string;
  apiUrl?: string;
  apiKey?: string;
}

/** An empty environment variable counts as unset. */
const env = (name: string): string | undefined => process.env[name] || undefined;

/** A number from a flag or variable (`source` names it in the error), within [min, max]. */
export function numberSetting(
  raw: string | undefined,
  source: string,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    n < range.min ||
    n > range.max ||
    (range.integer && !Number.isInteger(n))
  ) {
    throw new UsageError(
      `${source} must be ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, not "${raw}".`,
    );
  }
  return n;
}

export function portSetting(flags: SettingFlags): number {
  const [raw, source] = flags.port !== undefined ? [flags.port, '--port'] : [env('DOCUHOOK_PORT'), 'DOCUHOOK_PORT'];
  return numberSetting(raw, source, { min: 0, max: 65535, integer: true }) ?? 4000;
}

export function dataDirSetting(flags: SettingFlags): string {
  return resolve(flags.dataDir ?? env('DOCUHOOK_DATA_DIR') ?? '.docuhook');
}

/** The key given explicitly; `dev` serves it, clients fall back to the dev account's. */
export function apiKeySetting(flags: SettingFlags): string | undefined {
  return flags.apiKey ?? env('DOCUHOOK_API_KEY');
}

function apiUrlSetting(flags: SettingFlags): string {
  const [raw, source] =
    flags.apiUrl !== undefined ? [flags.apiUrl, '--api-url'] : [env('DOCUHOOK_API_URL'), 'DOCUHOOK_API_URL'];
  if (raw === undefined) return `http://127.0.0.1:${portSetting(flags)}`;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new UsageError(`${source} must be an http(s) URL such as http://127.0.0.1:4000, not "${raw}".`);
  return raw;
}

/** A client of the API: URL and key from flags, then environment, then the local dev account. */
export function clientFromSettings(flags: SettingFlags): DocuhookClient {
  const url = apiUrlSetting(flags);
  const key = apiKeySetting(flags) ?? devAccountKey(dataDirSetting(flags));
  return new DocuhookClient(url, key);
}

function devAccountKey(dataDir: string): string {
  const file = join(dataDir, 'dev-account.json');
  if (!existsSync(file)) {
    throw new CliError(
      'NO_API_KEY',
      `No API key: pass --api-key or set DOCUHOOK_API_KEY, or start the local pipeline (npm start), which keeps its key in ${file} (choose the directory with --data-dir or DOCUHOOK_DATA_DIR).`,
    );
  }
  try {
    const key = (JSON.parse(readFileSync(file, 'utf8')) as { apiKey?: unknown }).apiKey;
    if (typeof key === 'string' && key) return key;
  } catch {
    // Falls through to the error below: unreadable and malformed files are reported alike.
  }
  throw new CliError('NO_API_KEY', `${file} holds no API key; pass --api-key or set DOCUHOOK_API_KEY.`);
}
