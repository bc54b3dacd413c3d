/**
 * Webhook POSTs with the SSRF guard at connect time: every address DNS returns is checked before
 * the socket connects (so a rebinding name cannot reach a private address), redirects are never
 * followed, the attempt is time-boxed, and connections are reused per origin.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
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
  private readonly agent: Agent;

  constructor(private readonly policy: AddressPolicy, options: { connections?: number; resolver?: Resolver } = {}) {
    this.agent = new Agent({
      connections: options.connections ?? 32,
      keepAliveTimeout: 30_000,
      connect: { lookup: guardedLookup(policy, options.resolver) as never },
    });
  }

  async post(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number }): Promise<HttpResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const check = checkEndpointUrl(url, this.policy);
    if (!check.ok) return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: `blocked by SSRF policy: ${check.reason}` };
    const host = check.url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      // Literal addresses skip DNS, so the connect-time lookup never sees them: check here.
      const reason = blockedAddressReason(host, this.policy);
      if (reason) return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: `blocked by SSRF policy: ${reason}` };
    }
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const res = await request(check.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal,
        maxRedirections: 0,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      } as Parameters<typeof request>[1]);
      const excerpt = await readExcerpt(res.body, signal);
      return { statusCode: res.statusCode, headers: flatten(res.headers), bodyExcerpt: excerpt, latencyMs: elapsed() };
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
      const message = timedOut ? `timed out after ${options.timeoutMs} ms` : (e.cause?.message ?? e.message ?? String(err));
      return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: elapsed(), error: message };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Reads at most EXCERPT_LIMIT bytes, then drops the rest of the body (a huge or endless response cannot hold us). */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (signal.aborted) break;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= EXCERPT_LIMIT) break;
    }
  } catch {
    // A body that fails midway still leaves us the status code.
  } finally {
    if (size >= EXCERPT_LIMIT) body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_LIMIT).toString('utf8');
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
