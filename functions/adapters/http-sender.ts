/**
 * Webhook POSTs with the SSRF guard at connect time: every address DNS returns is checked before
 * the socket connects (so a rebinding name cannot reach a private address), redirects are never
 * followed, the attempt is time-boxed, and connections are reused per origin.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { HttpResult, HttpSender } from '../core/ports.ts';
import { blockedAddressReason, checkEndpointUrl, type AddressPolicy } from '../core/url-policy.ts';

const EXCERPT_LIMIT = 2048;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** DNS resolution with all addresses (node:dns lookup's shape); injectable so tests can simulate rebinding. */
export type Resolver = (
  hostname: string,
  options: { all: true; family?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export function guardedLookup(policy: AddressPolicy, resolver: Resolver = dnsLookup as unknown as Resolver) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback) => {
    const opts = typeof options === 'number' ? { family: options } : options;
    resolver(hostname, { family: opts.family, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.map((a) => blockedAddressReason(a.address, policy)).find((r) => r !== null);
      if (bad || list.length === 0) {
        const e = Object.assign(
          new Error(
            `blocked by SSRF policy: ${hostname} resolves to ${bad ? `a blocked address (${bad})` : 'no address'}`,
          ),
          { code: 'EBLOCKED' },
        );
        return callback(e, []);
      }
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** An endpoint URL that passed the static checks, parsed once into what a request to it needs. */
interface Destination {
  ok: true;
  request: typeof httpRequest;
  agent: HttpAgent;
  protocol: string;
  hostname: string;
  port: string | number | undefined;
  path: string;
}
type Target = Destination | { ok: false; reason: string };

/**
 * Written out field by field: an object spread with an added property (`{ ...options, headers }`)
 * takes a slow path in V8 that cost microseconds per request.
 */
function requestOptions(to: Destination, headers: Record<string, string>): RequestOptions {
  return {
    protocol: to.protocol,
    hostname: to.hostname,
    port: to.port,
    path: to.path,
    method: 'POST',
    agent: to.agent,
    headers,
  };
}

export class GuardedHttpSender implements HttpSender {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  /**
   * `connections`: sockets kept per origin (keep-alive, reused across deliveries); default 64.
   * Node's own http/https clients, not a bundled one: the signer's bundle stays small.
   */
  constructor(
    private readonly policy: AddressPolicy,
    options: { connections?: number; resolver?: Resolver } = {},
  ) {
    const agentOptions = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxSockets: options.connections ?? 64,
      maxFreeSockets: options.connections ?? 64,
      scheduling: 'lifo' as const,
      lookup: guardedLookup(policy, options.resolver) as never,
    };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  post(
    url: string,
    headers: Record<string, string>,
    body: string | Uint8Array,
    options: { timeoutMs: number },
  ): Promise<HttpResult> {
    const target = this.target(url);
    if (!target.ok)
      return Promise.resolve({
        statusCode: null,
        headers: {},
        bodyExcerpt: '',
        latencyMs: 0,
        error: `blocked by SSRF policy: ${target.reason}`,
      });
    // node:http sets Content-Length itself for a body passed whole to end().
    return new Attempt(options.timeoutMs, this.deadlines).send(
      target,
      headers,
      typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    );
  }

  /**
   * The static URL checks (and literal-address check) and the parsed request options, memoised
   * per URL: the policy never changes, and re-parsing the URL on every POST was measurable.
   */
  private readonly targets = new Map<string, Target>();
  private target(raw: string): Target {
    const hit = this.targets.get(raw);
    if (hit) return hit;
    let result: Target;
    const check = checkEndpointUrl(raw, this.policy);
    if (!check.ok) result = check;
    else {
      const host = check.url.hostname.replace(/^\[|\]$/g, '');
      // Literal addresses skip DNS, so the connect-time lookup never sees them: check here.
      const reason = isIP(host) ? blockedAddressReason(host, this.policy) : null;
      const secure = check.url.protocol === 'https:';
      const { protocol, hostname, port, path } = urlToHttpOptions(check.url);
      result = reason
        ? { ok: false, reason }
        : {
            ok: true,
            request: secure ? httpsRequest : httpRequest,
            agent: secure ? this.httpsAgent : this.httpAgent,
            protocol: protocol!,
            hostname: hostname!,
            port: port ?? undefined,
            path: path ?? '/',
          };
    }
    if (this.targets.size > 10_000) this.targets.clear();
    this.targets.set(raw, result);
    return result;
  }

  private readonly deadlines = new Deadlines();

  async close(): Promise<void> {
    this.deadlines.stop();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * The deadlines of the attempts in flight, served by one timer per sender, armed for the earliest
 * deadline, instead of a timer armed and cleared for every POST (a measurable part of the
 * sender's cost, profiled). With one timeout per sender each new attempt's deadline is later than
 * the armed one, so starting an attempt touches no timer; an attempt that ends just leaves the
 * list. When the timer fires it ends the attempts that are due and re-arms for the earliest
 * deadline left, or stops when nothing is in flight. Deadlines are kept to the millisecond.
 */
class Deadlines {
  // An array with swap-remove rather than a Set: hashing every attempt into a Set cost as much as
  // the timers this replaces (profiled). Each attempt knows its slot.
  private readonly inFlight: Attempt[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  add(attempt: Attempt): void {
    attempt.slot = this.inFlight.push(attempt) - 1;
    if (attempt.deadline < this.armedFor) this.arm(attempt.deadline);
  }

  delete(attempt: Attempt): void {
    const slot = attempt.slot;
    if (slot < 0) return;
    attempt.slot = -1;
    const last = this.inFlight.pop()!;
    if (last !== attempt) {
      this.inFlight[slot] = last;
      last.slot = slot;
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    this.armedFor = deadline;
    this.timer = setTimeout(() => this.fire(), Math.max(1, Math.ceil(deadline - performance.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    // From the end: an attempt that times out is replaced in its slot by the last one, which this
    // loop has already seen (and counted in `next` if it is still running).
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const attempt = this.inFlight[i]!;
      if (now >= attempt.deadline) attempt.onTimeout();
      else if (attempt.deadline < next) next = attempt.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }
}

/**
 * One time-boxed POST. The whole attempt (connect, response, body) is bounded by one deadline
 * rather than an AbortSignal: AbortSignal.timeout plus the listeners node:http attaches for a
 * signal cost more per request than the rest of the sender (profiled). Every way the attempt can
 * end goes through finish(), which acts once.
 */
class Attempt {
  private readonly started = performance.now();
  readonly deadline: number;
  /** Where Deadlines keeps this attempt while it is in flight; -1 once it has ended. */
  slot = -1;
  private req: ClientRequest | undefined;
  private res: IncomingMessage | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private timedOut = false;
  private done: ((result: HttpResult) => void) | undefined;

  constructor(
    readonly timeoutMs: number,
    private readonly deadlines: Deadlines,
  ) {
    this.deadline = this.started + timeoutMs;
    deadlines.add(this);
  }

  send(to: Destination, headers: Record<string, string>, payload: Uint8Array): Promise<HttpResult> {
    return new Promise((resolve) => {
      this.done = resolve;
      try {
        const req = (this.req = to.request(requestOptions(to, headers), (res) => this.onResponse(res)));
        // `on`, not `once`: a request destroyed by the timeout may still emit an error afterwards.
        req.on('error', (err) => this.onRequestError(err));
        req.end(payload);
      } catch (err) {
        this.onRequestError(err);
      }
    });
  }

  private onResponse(res: IncomingMessage): void {
    this.res = res;
    // `on` rather than `once` (no wrapper per listener): finish() acts once whatever fires.
    res.on('data', (chunk: Buffer) => this.onData(chunk));
    res.on('end', () => this.finish());
    // A body that breaks off keeps its status code but is an error: only a complete 2xx succeeds.
    res.on('error', (err) => this.finish(`the response broke off: ${err.message}`));
    res.on('close', () => this.finish(res.complete ? undefined : 'the connection closed before the response ended'));
  }

  /** Reads at most EXCERPT_LIMIT bytes, then drops the rest of the body (a huge or endless response cannot hold us). */
  private onData(chunk: Buffer): void {
    if (!this.done) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= EXCERPT_LIMIT) {
      this.finish();
      this.res!.destroy();
    }
  }

  private onRequestError(err: unknown): void {
    if (!this.done) return;
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    this.finish(this.timedOut ? undefined : (e.cause?.message ?? e.message ?? String(err)));
  }

  onTimeout(): void {
    if (!this.done) return;
    this.timedOut = true;
    this.finish();
    if (this.res) this.res.destroy();
    else this.req?.destroy();
  }

  private finish(error?: string): void {
    const resolve = this.done;
    if (!resolve) return;
    this.done = undefined;
    this.deadlines.delete(this);
    const latencyMs = performance.now() - this.started;
    const res = this.res;
    if (!res) {
      resolve({
        statusCode: null,
        headers: {},
        bodyExcerpt: '',
        latencyMs,
        error: this.timedOut ? `timed out after ${this.timeoutMs} ms` : error,
      });
      return;
    }
    const bodyExcerpt = this.size === 0 ? '' : Buffer.concat(this.chunks).subarray(0, EXCERPT_LIMIT).toString('utf8');
    const result: HttpResult = {
      statusCode: res.statusCode ?? null,
      headers: flatten(res.headers),
      bodyExcerpt,
      latencyMs,
    };
    // The attempt is time-boxed as a whole: a response whose body is still trickling in when the
    // timeout ends is a timeout, whatever its status line said.
    if (this.timedOut) result.error = `timed out after ${this.timeoutMs} ms reading the response body`;
    else if (error !== undefined) result.error = error;
    resolve(result);
  }
}

/** node:http already lower-cases names and joins repeated headers; only set-cookie stays a list. */
function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  if (headers['set-cookie'] === undefined) return headers as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
