/** A small client of docuhook's HTTP API, for the CLI and the demo. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class DocuhookClient {
  constructor(readonly baseUrl: string, private readonly apiKey: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiRequestError(res.status, json?.error?.code ?? 'HTTP_ERROR', json?.error?.message ?? `HTTP ${res.status}`);
    return json as T;
  }
}

export interface UploadTicket {
  document_id: string;
  upload: { method: 'POST'; url: string; fields: Record<string, string>; expires_at: string; max_bytes: number };
}

/** Sends a file with its presigned POST, exactly as a browser form would. */
export async function postFile(ticket: UploadTicket, bytes: Uint8Array, filename: string, contentType: string): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v);
  form.append('file', new Blob([Buffer.from(bytes)], { type: contentType }), filename);
  const res = await fetch(ticket.upload.url, { method: 'POST', body: form });
  if (res.status < 200 || res.status >= 300) throw new Error(`upload of ${filename} failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
}

export function contentTypeOf(filename: string): string {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  return ({ pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff', xml: 'application/xml' } as Record<string, string>)[ext] ?? 'application/octet-stream';
}

/** API URL and key: flags, then environment, then the local dev account in the data directory. */
export function clientFromEnv(flags: { apiUrl?: string; apiKey?: string } = {}): DocuhookClient {
  const port = process.env.DOCUHOOK_PORT ?? '4000';
  const url = flags.apiUrl ?? process.env.DOCUHOOK_API_URL ?? `http://127.0.0.1:${port}`;
  let key = flags.apiKey ?? process.env.DOCUHOOK_API_KEY;
  if (!key) {
    const file = join(resolve(process.env.DOCUHOOK_DATA_DIR ?? '.docuhook'), 'dev-account.json');
    if (existsSync(file)) key = JSON.parse(readFileSync(file, 'utf8')).apiKey as string;
  }
  if (!key) throw new Error('No API key: set DOCUHOOK_API_KEY or pass --api-key (npm start prints the local one).');
  return new DocuhookClient(url, key);
}
