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

  /** `connections`: sockets kept per origin (keep-alive, reused across deliveries); default 64. */
  constructor(private readonly policy: AddressPolicy, options: { connections?: number; resolver?: Resolver } = {}) {
    this.agent = new Agent({
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      connect: { lookup: guardedLookup(policy, options.resolver) as never },
    });
  }

  async post(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number }): Promise<HttpResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const target = this.target(url);
    if (!target.ok) return { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: `blocked by SSRF policy: ${target.reason}` };
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const res = await request(target.url, {
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
      const result: HttpResult = { statusCode: res.statusCode, headers: flatten(res.headers), bodyExcerpt: excerpt.text, latencyMs: elapsed() };
      // The attempt is time-boxed as a whole: a response whose body is still trickling in when the
      // timeout ends is a timeout, whatever its status line said.
      if (excerpt.timedOut) result.error = `timed out after ${options.timeoutMs} ms reading the response body`;
      return result;
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
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
    await this.agent.close();
  }
}

/** Reads at most EXCERPT_LIMIT bytes, then drops the rest of the body (a huge or endless response cannot hold us). */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }, signal: AbortSignal): Promise<{ text: string; timedOut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let timedOut = false;
  try {
    for await (const chunk of body) {
      if (signal.aborted) {
        timedOut = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
      if (size >= EXCERPT_LIMIT) break;
    }
  } catch {
    // A body that fails midway still leaves us the status code, unless the timeout ended it.
    timedOut = signal.aborted;
  } finally {
    if (size >= EXCERPT_LIMIT || timedOut) body.destroy();
  }
  return { text: Buffer.concat(chunks).subarray(0, EXCERPT_LIMIT).toString('utf8'), timedOut };
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
