/**
 * Webhook POSTs with the SSRF guard at connect time: every address DNS returns is checked before
 * the socket connects (so a rebinding name cannot reach a private address), redirects are never
 * followed, the attempt is time-boxed, and connections are reused per origin.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpResult, HttpSender } from '../core/ports.ts';
import { blockedAddressReason, checkEndpointUrl, type AddressPolicy } from '../core/url-policy.ts';

const EXCERPT_LIMIT = 2048;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** DNS resolution with all addresses (node:dns lookup's shape); injectable so tests can simulate rebinding. */
export type Resolver = (hostname: string, options: { all: true; family?: number }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export function guardedLookup(policy: AddressPolicy, resolver: Resolver = dnsLookup as unknown as Resolver) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback) => {
    const opts = typeof options === 'number' ? { family: options } : options;
    resolver(hostname, { family: opts.family, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.map((a) => blockedAddressReason(a.address, policy)).find((r) => r !== null);
      if (bad || list.length === 0) {
        const e = Object.assign(new Error(`blocked by SSRF policy: ${hostname} resolves to ${bad ?? 'nothing'}`), { code: 'EBLOCKED' });
        return callback(e, []);
      }
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export class GuardedHttpSender implements HttpSender {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  /**
   * `connections`: sockets kept per origin (keep-alive, reused across deliveries); default 64.
   * Node's own http/https clients, not a bundled one: the signer's bundle stays small.
   */
  constructor(private readonly policy: AddressPolicy, options: { connections?: number; resolver?: Resolver } = {}) {
    const agentOptions = { keepAlive: true, keepAliveMsecs: 30_000, maxSockets: options.connections ?? 64, maxFreeSockets: options.connections ?? 64, scheduling: 'lifo' as const, lookup: guardedLookup(policy, options.resolver) as never };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  async post(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number }): Promise<HttpResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const target = this.target(url);
    if (!target.ok) return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: `blocked by SSRF policy: ${target.reason}` };
    const signal = AbortSignal.timeout(options.timeoutMs);
    const secure = target.url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = (secure ? httpsRequest : httpRequest)(target.url, {
          method: 'POST',
          headers: { ...headers, 'content-length': String(payload.length) },
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal,
        }, resolve);
        req.once('error', reject);
        req.end(payload);
      });
      const excerpt = await readExcerpt(res, signal);
      const result: HttpResult = { statusCode: res.statusCode ?? null, headers: flatten(res.headers), bodyExcerpt: excerpt.text, latencyMs: elapsed() };
      // The attempt is time-boxed as a whole: a response whose body is still trickling in when the
      // timeout ends is a timeout, whatever its status line said.
      if (excerpt.timedOut) result.error = `timed out after ${options.timeoutMs} ms reading the response body`;
      return result;
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
      const timedOut = signal.aborted || e.name === 'TimeoutError' || e.name === 'AbortError';
      const message = timedOut ? `timed out after ${options.timeoutMs} ms` : (e.cause?.message ?? e.message ?? String(err));
      return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: elapsed(), error: message };
    }
  }

  /** The static URL checks (and literal-address check), memoised per URL: the policy never changes. */
  private readonly targets = new Map<string, { ok: true; url: URL } | { ok: false; reason: string }>();
  private target(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
    const hit = this.targets.get(raw);
    if (hit) return hit;
    let result: { ok: true; url: URL } | { ok: false; reason: string };
    const check = checkEndpointUrl(raw, this.policy);
    if (!check.ok) result = check;
    else {
      const host = check.url.hostname.replace(/^\[|\]$/g, '');
      // Literal addresses skip DNS, so the connect-time lookup never sees them: check here.
      const reason = isIP(host) ? blockedAddressReason(host, this.policy) : null;
      result = reason ? { ok: false, reason } : { ok: true, url: check.url };
    }
    if (this.targets.size > 10_000) this.targets.clear();
    this.targets.set(raw, result);
    return result;
  }

  async close(): Promise<void> {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads at most EXCERPT_LIMIT bytes, then drops the rest of the body (a huge or endless response cannot hold us). */
function readExcerpt(body: IncomingMessage, signal: AbortSignal): Promise<{ text: string; timedOut: boolean }> {
  // Stream events rather than an async iterator: this runs once per delivery, and the iterator's
  // per-chunk promises cost more than the rest of the read.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (timedOut: boolean, destroy: boolean) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      if (destroy) body.destroy();
      resolve({ text: Buffer.concat(chunks).subarray(0, EXCERPT_LIMIT).toString('utf8'), timedOut });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= EXCERPT_LIMIT) finish(false, true);
    };
    const onAbort = () => finish(true, true);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    body.on('data', onData);
    body.once('end', () => finish(false, false));
    // A body that fails midway still leaves us the status code, unless the timeout ended it.
    body.once('error', () => finish(signal.aborted, false));
    body.once('close', () => finish(signal.aborted, false));
  });
}

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
