/**
 * `docuhook listen --forward-to <url>`: relays an account's events to a developer's local receiver,
 * signed, like `stripe listen`.
 *
 * How: it serves a relay on loopback, registers a temporary webhook endpoint pointing at it (so
 * the events go through the real signer: fan-out, filters, signatures, retries, attempt log),
 * verifies every delivery it gets with that endpoint's secret, and forwards it to --forward-to
 * re-signed with a forwarding secret it prints (stable if you pass --secret, like stripe's whsec_).
 * The receiver's answer goes back upstream: a failing receiver is retried on docuhook's schedule.
 * The temporary endpoint is deleted on exit (Ctrl-C); one left behind by a killed `listen` is
 * removed by the next one.
 *
 * Local pipeline (`npm start`, API on loopback): works as is; local mode allows loopback endpoints.
 * Deployed stack: the signer Lambda cannot reach your machine's loopback, and the SSRF guard
 * refuses loopback, private and plain-http URLs anyway. So against a deployed API, listen needs a
 * public https URL that reaches its relay (a tunnel such as `cloudflared tunnel --url
 * http://127.0.0.1:<port>` or `ngrok http <port>`): `--public-url https://….trycloudflare.com
 * --port <port>`. Without one it refuses, rather than polling `GET /v1/documents`: polling would
 * see document state, not deliveries (no batch.completed, no webhook-id, no retries, no
 * signatures from the signer, nothing for an endpoint's filters or attempt log), so it would test
 * a receiver against something docuhook never sends.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { DocuhookClient } from '../api-client.ts';
import { UsageError } from '../errors.ts';
import { clientFromSettings, numberSetting } from '../settings.ts';
import { deliveryHeaders, generateSecret, isWellFormedSecret, verifyWebhook } from '../../functions/core/signing.ts';
import { readBody } from '../../local/read-body.ts';

export const LISTEN_DESCRIPTION = 'docuhook listen (temporary)';
const FORWARD_TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 1024 * 1024;

export interface ListenOptions {
  client: DocuhookClient;
  forwardTo: string;
  events?: string[];
  /** Forwarding secret (whsec_…); generated when absent. */
  secret?: string;
  /** Public https URL that reaches this relay (deployed stacks only). */
  publicUrl?: string;
  /** Relay port on 127.0.0.1; 0 picks one. */
  port?: number;
  log?: (line: string) => void;
}

export interface Listener {
  endpointId: string;
  /** Sign-verify your local receiver with this. */
  secret: string;
  relayUrl: string;
  forwarded: number;
  stop(): Promise<void>;
}

const isLoopbackHost = (host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/.test(host);

export async function startListen(options: ListenOptions): Promise<Listener> {
  const log = options.log ?? ((line: string) => console.error(line));
  const forwardTo = parseUrl(options.forwardTo, '--forward-to');
  const apiHost = new URL(options.client.baseUrl).hostname;
  if (!isLoopbackHost(apiHost) && !options.publicUrl) {
    throw new UsageError(
      `The API at ${options.client.baseUrl} is not on this machine, so its signer cannot reach a relay on your loopback ` +
        '(and its SSRF guard refuses loopback and plain-http endpoints). Expose the relay with a tunnel ' +
        '(e.g. `cloudflared tunnel --url http://127.0.0.1:<port>` or `ngrok http <port>`) and pass ' +
        '--public-url https://<tunnel host> --port <port>. Polling GET /v1/documents is not offered: it is not what your endpoint receives.',
    );
  }
  if (options.publicUrl) parseUrl(options.publicUrl, '--public-url');
  if (options.secret !== undefined && !isWellFormedSecret(options.secret))
    throw new UsageError('--secret must be whsec_ followed by base64 of at least 24 bytes');
  const forwardSecret = options.secret ?? generateSecret();
  const path = `/listen/${randomBytes(12).toString('hex')}`;
  let upstreamSecret = '';
  let forwarded = 0;

  const server: Server = createServer((req, res) => {
    void relay(req, res).catch((err) => {
      log(`relay error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const reqPath = new URL(req.url ?? '/', 'http://relay').pathname;
    if (req.method !== 'POST' || (reqPath !== path && !options.publicUrl)) return void res.writeHead(404).end();
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too-large') return void res.writeHead(413).end();
    let webhookId: string | undefined;
    try {
      webhookId = verifyWebhook(body, req.headers, upstreamSecret, { scheme: 'both' }).webhookId;
    } catch (err) {
      log(`refused an unsigned or forged request: ${(err as Error).message}`);
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('signature verification failed');
    }
    const eventType = String(req.headers['x-docuparse-event'] ?? 'unknown');
    const headers = deliveryHeaders({
      secrets: [forwardSecret],
      webhookId: webhookId!,
      timestamp: Math.floor(Date.now() / 1000),
      body: body.toString('utf8'),
      eventType,
      userAgent: String(req.headers['user-agent'] ?? 'docuhook'),
    });
    const started = performance.now();
    let status: number | null = null;
    let detail = '';
    let retryAfter: string | null = null;
    try {
      const answer = await fetch(forwardTo, {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      status = answer.status;
      retryAfter = answer.headers.get('retry-after');
      detail = (await answer.text()).slice(0, 200);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      detail =
        e.name === 'TimeoutError'
          ? `timed out after ${FORWARD_TIMEOUT_MS} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
    }
    const ms = Math.round(performance.now() - started);
    const ok = status !== null && status >= 200 && status < 300;
    if (ok) forwarded++;
    log(
      `${new Date().toISOString()}  ${eventType.padEnd(18)} ${webhookId}  → ${status ?? 'no answer'} (${ms} ms)${ok ? '' : `  ${detail}`}`,
    );
    // The receiver's verdict goes upstream, so docuhook retries it on its schedule. 429/503 keep
    // their Retry-After; anything else that is not a 2xx becomes 502 (a 410 from a receiver under
    // development must not disable the temporary endpoint).
    if (ok) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('forwarded');
    if ((status === 429 || status === 503) && retryAfter)
      return void res.writeHead(status, { 'retry-after': retryAfter }).end(detail);
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`local receiver: ${status ?? detail}`);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const relayUrl = options.publicUrl ?? `http://127.0.0.1:${port}${path}`;

  await removeStaleListeners(options.client, log);
  let endpoint: { id: string; secret: string };
  try {
    endpoint = await options.client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', {
      url: relayUrl,
      description: LISTEN_DESCRIPTION,
      ...(options.events?.length ? { events: options.events } : {}),
    });
  } catch (err) {
    server.close();
    throw err;
  }
  upstreamSecret = endpoint.secret;

  let stopped: Promise<void> | undefined;
  return {
    endpointId: endpoint.id,
    secret: forwardSecret,
    relayUrl,
    get forwarded() {
      return forwarded;
    },
    stop() {
      stopped ??= (async () => {
        await options.client
          .request('DELETE', `/v1/webhooks/${encodeURIComponent(endpoint.id)}`)
          .catch((err) => log(`could not delete the temporary endpoint ${endpoint.id}: ${(err as Error).message}`));
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      })();
      return stopped;
    },
  };
}

/** Deletes temporary endpoints of listeners that are gone (their loopback relay refuses connections). */
async function removeStaleListeners(client: DocuhookClient, log: (line: string) => void): Promise<void> {
  const { webhooks } = await client.request<{ webhooks: { id: string; url: string; description: string | null }[] }>(
    'GET',
    '/v1/webhooks',
  );
  for (const w of webhooks) {
    if (w.description !== LISTEN_DESCRIPTION) continue;
    const url = new URL(w.url);
    if (!isLoopbackHost(url.hostname)) continue;
    if (await reachable(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80))) continue;
    await client.request('DELETE', `/v1/webhooks/${encodeURIComponent(w.id)}`).catch(() => undefined);
    log(`removed the temporary endpoint ${w.id} of a listener that is no longer running`);
  }
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function parseUrl(raw: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${flag} must be an absolute http(s) URL, e.g. http://localhost:3000/webhooks`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL`);
  return url;
}

/** The CLI command: runs until Ctrl-C, then deletes its temporary endpoint. */
export async function listen(flags: {
  forwardTo?: string;
  events?: string;
  secret?: string;
  publicUrl?: string;
  port?: string;
  json?: boolean;
  apiUrl?: string;
  apiKey?: string;
  dataDir?: string;
}): Promise<number> {
  if (!flags.forwardTo)
    throw new UsageError(
      'usage: docuhook listen --forward-to <url> [--events a,b] [--secret whsec_…] [--public-url https://… --port <relay port>]',
    );
  const port = numberSetting(flags.port, '--port', { min: 0, max: 65535, integer: true });
  // --port is the relay's here, so the API's port comes from DOCUHOOK_PORT (or --api-url).
  const client = clientFromSettings({ apiUrl: flags.apiUrl, apiKey: flags.apiKey, dataDir: flags.dataDir });
  const listener = await startListen({
    client,
    forwardTo: flags.forwardTo,
    events: flags.events
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    secret: flags.secret ?? process.env.DOCUHOOK_LISTEN_SECRET,
    publicUrl: flags.publicUrl,
    port,
    log: (line) => (flags.json ? console.log(JSON.stringify({ log: line })) : console.error(line)),
  });
  if (flags.json)
    console.log(
      JSON.stringify({
        endpoint_id: listener.endpointId,
        secret: listener.secret,
        relay_url: listener.relayUrl,
        forward_to: flags.forwardTo,
      }),
    );
  else {
    console.log(`Ready! Forwarding events to ${flags.forwardTo}`);
    console.log(`Your forwarding signing secret is ${listener.secret} (pass --secret to keep it across runs)`);
    console.log(`Temporary endpoint ${listener.endpointId} → ${listener.relayUrl}. Ctrl-C to stop.`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await listener.stop();
  if (!flags.json)
    console.error(
      `stopped; deleted the temporary endpoint ${listener.endpointId} (${listener.forwarded} event(s) forwarded)`,
    );
  return 0;
}
