/**
 * The dashboard's built-in webhook inbox: a real receiver on the dev server (`POST /inbox/{id}`)
 * that records each delivery exactly as it arrived (request line, raw headers in order, raw body)
 * and verifies both signature schemes with the secrets the dashboard registered for it.
 *
 * Inboxes (id, owner account, secrets, scripted response) are kept in the data directory so an
 * endpoint that points at one keeps working after a restart; received deliveries stay in memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../functions/core/api-error.ts';
import { isWellFormedSecret, verifyWebhook, WebhookVerificationError } from '../../functions/core/signing.ts';

export const MAX_INBOXES_PER_ACCOUNT = 20;
export const MAX_DELIVERIES_KEPT = 50;
export const MAX_INBOX_BODY_BYTES = 256 * 1024;
/** Secrets an inbox remembers: the current one plus those still inside a rotation overlap. */
const MAX_SECRETS = 4;
const SECRET_OVERLAP_MS = 24 * 3600 * 1000;
/** Statuses the inbox can be told to answer with, to watch retries, 410 handling and the DLQ. */
export const RESPONSE_STATUSES = [200, 204, 400, 410, 429, 500, 503] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

interface StoredSecret {
  secret: string;
  registeredAt: string;
}

interface InboxRecord {
  id: string;
  accountId: string;
  endpointId: string | null;
  createdAt: string;
  respondStatus: ResponseStatus;
  /** Newest first. */
  secrets: StoredSecret[];
}

export interface SchemeResult {
  /** Present in the request at all. */
  present: boolean;
  verified: boolean;
  /** Which registered secrets verify it: 'current' is the newest, 'previous' an older one still in its overlap. */
  matched: ('current' | 'previous')[];
  /** Why it did not verify (MISSING_HEADERS, TIMESTAMP_OUT_OF_TOLERANCE, BAD_SIGNATURE, NO_SECRET). */
  failure: string | null;
}

export interface InboxDelivery {
  seq: number;
  received_at: string;
  method: string;
  path: string;
  http_version: string;
  /** As received, in order, with their original case: [name, value][]. */
  headers: [string, string][];
  body: string;
  body_bytes: number;
  event: string | null;
  webhook_id: string | null;
  subject: { document_id?: string; batch_id?: string } | null;
  verification: { standard: SchemeResult; docuparse: SchemeResult };
  responded_with: number;
}

export interface InboxView {
  id: string;
  url: string;
  endpoint_id: string | null;
  respond_status: ResponseStatus;
  created_at: string;
  secrets_registered: number;
  received: number;
}

export class Inboxes {
  private readonly records = new Map<string, InboxRecord>();
  private readonly deliveries = new Map<string, InboxDelivery[]>();
  private readonly received = new Map<string, number>();
  /** Starts at the clock, so sequence numbers keep growing across restarts (clients page with ?after=). */
  private seq = Date.now();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly baseUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dataDir, 'dashboard-inboxes.json');
    if (existsSync(this.file)) {
      try {
        const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { inboxes?: InboxRecord[] };
        for (const r of saved.inboxes ?? [])
          if (typeof r?.id === 'string' && typeof r.accountId === 'string') this.records.set(r.id, r);
      } catch {
        // A damaged file only loses the inboxes; their endpoints then see 404 until recreated.
      }
    }
  }

  urlOf(id: string): string {
    return `${this.baseUrl}/inbox/${id}`;
  }

  list(accountId: string): InboxView[] {
    return [...this.records.values()].filter((r) => r.accountId === accountId).map((r) => this.view(r));
  }

  create(accountId: string): InboxView {
    if (this.list(accountId).length >= MAX_INBOXES_PER_ACCOUNT) {
      throw new ApiError(
        'CONFLICT',
        `An account can have at most ${MAX_INBOXES_PER_ACCOUNT} inboxes; delete one first.`,
      );
    }
    const record: InboxRecord = {
      id: `ib_${randomBytes(12).toString('hex')}`,
      accountId,
      endpointId: null,
      createdAt: this.now().toISOString(),
      respondStatus: 200,
      secrets: [],
    };
    this.records.set(record.id, record);
    this.save();
    return this.view(record);
  }

  /** Registers the endpoint's secret (at creation or after a rotation); it becomes the current one. */
  addSecret(accountId: string, id: string, input: { secret?: unknown; endpoint_id?: unknown }): InboxView {
    const record = this.owned(accountId, id);
    if (typeof input.secret !== 'string' || !isWellFormedSecret(input.secret)) {
      throw new ApiError('VALIDATION_ERROR', 'secret must be the whsec_… value the API returned for the endpoint.');
    }
    if (input.endpoint_id !== undefined) {
      if (typeof input.endpoint_id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(input.endpoint_id)) {
        throw new ApiError('VALIDATION_ERROR', 'endpoint_id must be the id the API returned for the endpoint.');
      }
      record.endpointId = input.endpoint_id;
    }
    const at = this.now();
    const older = record.secrets.filter(
      (s) => s.secret !== input.secret && at.getTime() - Date.parse(s.registeredAt) < SECRET_OVERLAP_MS,
    );
    record.secrets = [{ secret: input.secret, registeredAt: at.toISOString() }, ...older].slice(0, MAX_SECRETS);
    this.save();
    return this.view(record);
  }

  update(accountId: string, id: string, input: { respond_status?: unknown }): InboxView {
    const record = this.owned(accountId, id);
    if (input.respond_status !== undefined) {
      if (!(RESPONSE_STATUSES as readonly unknown[]).includes(input.respond_status)) {
        throw new ApiError('VALIDATION_ERROR', `respond_status must be one of ${RESPONSE_STATUSES.join(', ')}.`);
      }
      record.respondStatus = input.respond_status as ResponseStatus;
      this.save();
    }
    return this.view(record);
  }

  remove(accountId: string, id: string): void {
    this.owned(accountId, id);
    this.records.delete(id);
    this.deliveries.delete(id);
    this.received.delete(id);
    this.save();
  }

  listDeliveries(accountId: string, id: string, after = 0): InboxDelivery[] {
    this.owned(accountId, id);
    return (this.deliveries.get(id) ?? []).filter((d) => d.seq > after);
  }

  /** Records one request to `/inbox/{id}` and says what to answer; null when there is no such inbox. */
  receive(
    id: string,
    request: { method: string; path: string; httpVersion: string; rawHeaders: string[]; body: Buffer },
  ): { status: number; body: string } | null {
    const record = this.records.get(id);
    if (!record) return null;
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < request.rawHeaders.length; i += 2)
      headers.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
    const lookup: Record<string, string> = {};
    for (const [k, v] of headers) if (lookup[k.toLowerCase()] === undefined) lookup[k.toLowerCase()] = v;
    const body = request.body.toString('utf8');
    let parsed: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(body);
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    const subject: InboxDelivery['subject'] = {};
    if (typeof parsed?.document_id === 'string') subject.document_id = parsed.document_id;
    if (typeof parsed?.batch_id === 'string') subject.batch_id = parsed.batch_id;
    const status = request.method === 'POST' ? record.respondStatus : 405;
    const delivery: InboxDelivery = {
      seq: ++this.seq,
      received_at: this.now().toISOString(),
      method: request.method,
      path: request.path,
      http_version: request.httpVersion,
      headers,
      body,
      body_bytes: request.body.length,
      event: typeof parsed?.event === 'string' ? parsed.event : (lookup['x-docuparse-event'] ?? null),
      webhook_id: lookup['webhook-id'] ?? null,
      subject: Object.keys(subject).length ? subject : null,
      verification: {
        standard: this.verify(record, request.body, lookup, 'standard'),
        docuparse: this.verify(record, request.body, lookup, 'docuparse'),
      },
      responded_with: status,
    };
    const list = this.deliveries.get(id) ?? [];
    list.unshift(delivery);
    list.length = Math.min(list.length, MAX_DELIVERIES_KEPT);
    this.deliveries.set(id, list);
    this.received.set(id, (this.received.get(id) ?? 0) + 1);
    if (status === 405) return { status, body: JSON.stringify({ error: 'send deliveries with POST' }) };
    return {
      status,
      body:
        status < 300
          ? JSON.stringify({ received: true })
          : JSON.stringify({ error: `this inbox is set to answer ${status}` }),
    };
  }

  private verify(
    record: InboxRecord,
    body: Buffer,
    headers: Record<string, string>,
    scheme: 'standard' | 'docuparse',
  ): SchemeResult {
    const present =
      scheme === 'standard'
        ? Boolean(headers['webhook-id'] && headers['webhook-timestamp'] && headers['webhook-signature'])
        : Boolean(headers['x-docuparse-signature']);
    if (!present) return { present, verified: false, matched: [], failure: 'MISSING_HEADERS' };
    if (record.secrets.length === 0) return { present, verified: false, matched: [], failure: 'NO_SECRET' };
    const matched: SchemeResult['matched'] = [];
    let failure: string | null = null;
    record.secrets.forEach((s, i) => {
      try {
        verifyWebhook(body, headers, s.secret, { scheme, toleranceSeconds: 300, now: () => this.now().getTime() });
        matched.push(i === 0 ? 'current' : 'previous');
      } catch (err) {
        // Keep the most telling reason: a stale timestamp beats "no match".
        const reason = err instanceof WebhookVerificationError ? err.reason : 'BAD_SIGNATURE';
        if (failure === null || reason === 'TIMESTAMP_OUT_OF_TOLERANCE') failure = reason;
      }
    });
    const verified = matched.length > 0;
    return { present, verified, matched: [...new Set(matched)], failure: verified ? null : failure };
  }

  private owned(accountId: string, id: string): InboxRecord {
    const record = this.records.get(id);
    // Another account's inbox reads as missing, as the API does with its resources.
    if (!record || record.accountId !== accountId) throw new ApiError('NOT_FOUND', `Inbox ${id} was not found.`);
    return record;
  }

  private view(r: InboxRecord): InboxView {
    return {
      id: r.id,
      url: this.urlOf(r.id),
      endpoint_id: r.endpointId,
      respond_status: r.respondStatus,
      created_at: r.createdAt,
      secrets_registered: r.secrets.length,
      received: this.received.get(r.id) ?? 0,
    };
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ inboxes: [...this.records.values()] }), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
