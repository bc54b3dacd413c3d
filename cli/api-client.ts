/** A small client of docuhook's HTTP API, for the CLI and the demo. */
import { CliError } from './errors.ts';

export class ApiRequestError extends CliError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'ApiRequestError';
  }
}

/** fetch, with "fetch failed" (nothing listening, DNS, reset) turned into an error naming `what`. */
async function fetchOr(
  url: URL | string,
  init: RequestInit,
  unreachable: (reason: string) => CliError,
): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw unreachable(cause?.code ?? cause?.message ?? (err as Error).message);
  }
}

export class DocuhookClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetchOr(
      new URL(path, this.baseUrl),
      {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      (reason) =>
        new CliError(
          'API_UNREACHABLE',
          `Cannot reach the docuhook API at ${this.baseUrl} (${reason}). Start the local pipeline with \`npm start\` (it prints its API URL), or point the CLI at a running API with --api-url or DOCUHOOK_API_URL.`,
        ),
    );
    const text = await res.text();
    let json: { error?: { code?: string; message?: string } } | undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(
        'API_ERROR',
        `${this.baseUrl} answered ${method} ${path} with HTTP ${res.status} and a body that is not JSON: is --api-url / DOCUHOOK_API_URL a docuhook API?`,
      );
    }
    if (!res.ok)
      throw new ApiRequestError(
        res.status,
        json?.error?.code ?? 'HTTP_ERROR',
        json?.error?.message ?? `HTTP ${res.status}`,
      );
    return json as T;
  }
}

export interface UploadTicket {
  document_id: string;
  upload: { method: 'POST'; url: string; fields: Record<string, string>; expires_at: string; max_bytes: number };
}

/** Sends a file with its presigned POST, exactly as a browser form would. */
export async function postFile(
  ticket: UploadTicket,
  bytes: Uint8Array,
  filename: string,
  contentType: string,
): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v);
  form.append('file', new Blob([Buffer.from(bytes)], { type: contentType }), filename);
  const res = await fetchOr(
    ticket.upload.url,
    { method: 'POST', body: form },
    (reason) =>
      new CliError('UPLOAD_FAILED', `upload of ${filename} failed: cannot reach ${ticket.upload.url} (${reason}).`),
  );
  if (res.status < 200 || res.status >= 300)
    throw new CliError(
      'UPLOAD_FAILED',
      `upload of ${filename} failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`,
    );
}
