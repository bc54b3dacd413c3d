/**
 * In-memory fakes of the core's delivery ports: the same contracts as the DynamoDB stores
 * (conditional lease, settle, attempt log, listing), so core use cases run without a local
 * runtime. Used by core tests and by the engine variant of bench:delivery (all the work, minus the I/O).
 */
import { isoTime } from '../../functions/core/iso-time.ts';
import type {
  AttemptLog,
  ClaimResult,
  DeliveryLeases,
  DeliveryListing,
  EndpointStore,
  Page,
  SecretStore,
} from '../../functions/core/ports.ts';
import type { AttemptRecord, DeliveryMessage, DeliveryRecord, EndpointRecord } from '../../functions/core/records.ts';

export class MemoryEndpoints implements EndpointStore {
  readonly items = new Map<string, EndpointRecord>();
  async put(e: EndpointRecord) {
    this.items.set(`${e.accountId}/${e.endpointId}`, e);
  }
  async get(a: string, e: string) {
    return this.items.get(`${a}/${e}`) ?? null;
  }
  async list(a: string) {
    return [...this.items.values()].filter((e) => e.accountId === a);
  }
  async delete(a: string, e: string) {
    return this.items.delete(`${a}/${e}`);
  }
  async markFailing(a: string, e: string, since: string, at: string) {
    this.change(a, e, (cur) => ({ ...cur, failingSince: since, updatedAt: at }));
  }
  async clearFailing(a: string, e: string, at: string) {
    this.change(a, e, ({ failingSince: _, ...cur }) => ({ ...cur, updatedAt: at }));
  }
  async disable(a: string, e: string, reason: string, at: string) {
    this.change(a, e, (cur) => ({ ...cur, status: 'disabled', disabledReason: reason, updatedAt: at }));
  }
  async enable(a: string, e: string, at: string) {
    this.change(a, e, ({ failingSince: _f, disabledReason: _d, ...cur }) => ({
      ...cur,
      status: 'enabled',
      updatedAt: at,
    }));
  }
  /** Like the DynamoDB store: a change to a deleted endpoint is a no-op. */
  private change(a: string, e: string, next: (cur: EndpointRecord) => EndpointRecord) {
    const cur = this.items.get(`${a}/${e}`);
    if (cur) this.items.set(`${a}/${e}`, next(cur));
  }
}

/**
 * A new record, written out field by field: `{ ...message, more }` takes a slow path in V8 (several
 * µs). Records are then mutated in place, as a store with no I/O would: copying is not the engine's cost.
 */
type Stored = DeliveryRecord & {
  leaseUntil?: number;
  leaseHolder?: string;
  copyHolder?: string;
  copyAttempts?: number;
};

function record(m: DeliveryMessage, status: DeliveryRecord['status'], at: string): Stored {
  return {
    webhookId: m.webhookId,
    accountId: m.accountId,
    endpointId: m.endpointId,
    eventType: m.eventType,
    subjectId: m.subjectId,
    body: m.body,
    status,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    lastStatusCode: undefined,
    lastError: undefined,
    leaseUntil: undefined,
    leaseHolder: undefined,
  };
}

export class MemoryDeliveryLeases implements DeliveryLeases {
  readonly items = new Map<string, Stored>();
  async ensure(m: DeliveryMessage, status: DeliveryRecord['status'], at: string) {
    if (!this.items.has(m.webhookId)) this.items.set(m.webhookId, record(m, status, at));
  }
  async get(id: string) {
    return this.items.get(id) ?? null;
  }
  async claim(m: DeliveryMessage, now: Date, lease: number, holder?: string): Promise<ClaimResult> {
    const cur = this.items.get(m.webhookId);
    const s = Math.floor(now.getTime() / 1000);
    if (cur?.status === 'succeeded') return { outcome: 'already-succeeded' };
    if (cur?.leaseUntil !== undefined && cur.leaseUntil >= s)
      return { outcome: holder && cur.leaseHolder && cur.leaseHolder !== holder ? 'duplicate' : 'busy' };
    const at = isoTime(now.getTime());
    const claimed = cur ?? record(m, 'pending', at);
    if (!cur) this.items.set(m.webhookId, claimed);
    claimed.status = 'pending';
    claimed.updatedAt = at;
    claimed.leaseUntil = s + lease;
    claimed.leaseHolder = holder;
    const sameCopy = cur !== undefined && cur.copyHolder === (holder ?? '-');
    return { outcome: 'claimed', attempt: sameCopy ? (cur.copyAttempts ?? 0) + 1 : 1, attemptsMade: claimed.attempts };
  }
  async hold(m: DeliveryMessage, at: string) {
    const cur = this.items.get(m.webhookId);
    if (!cur) this.items.set(m.webhookId, record(m, 'held', at));
    else if (cur.status !== 'succeeded')
      Object.assign(cur, { status: 'held', updatedAt: at, leaseUntil: undefined, leaseHolder: undefined });
  }
  async settle(id: string, c: Parameters<DeliveryLeases['settle']>[1]) {
    const cur = this.items.get(id);
    if (!cur) return;
    cur.status = c.status;
    cur.attempts = c.attempts;
    cur.updatedAt = c.at;
    cur.lastStatusCode = c.lastStatusCode;
    cur.lastError = c.lastError;
    cur.leaseUntil = undefined;
    cur.leaseHolder = undefined;
    if (c.copyAttempt !== undefined) {
      cur.copyHolder = c.holder ?? '-';
      cur.copyAttempts = c.copyAttempt;
    }
  }
}

/** Reads the deliveries of a MemoryDeliveryLeases, as the DynamoDB byEndpoint index does. */
export class MemoryDeliveryListing implements DeliveryListing {
  constructor(private readonly leases: MemoryDeliveryLeases) {}
  async listByEndpoint(endpointId: string, options: { since?: string; limit: number }): Promise<DeliveryRecord[]> {
    return [...this.leases.items.values()]
      .filter((d) => d.endpointId === endpointId && (!options.since || d.createdAt >= options.since))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, options.limit)
      .map(({ leaseUntil: _l, leaseHolder: _h, copyHolder: _c, copyAttempts: _n, ...record }) => record);
  }
}

/** Newest first, pages by position, and attempts past the retention are not returned, like the DynamoDB log. */
export class MemoryAttemptLog implements AttemptLog {
  readonly attempts: AttemptRecord[] = [];
  constructor(private readonly retentionDays = 30) {}
  async record(a: AttemptRecord) {
    this.attempts.push(a);
  }
  async list(
    endpointId: string,
    options: { limit: number; cursor?: string; now?: Date },
  ): Promise<Page<AttemptRecord>> {
    const oldest = (options.now ?? new Date()).getTime() - this.retentionDays * 24 * 3600 * 1000;
    const all = this.attempts
      .filter((a) => a.endpointId === endpointId && Date.parse(a.at) > oldest)
      .sort((a, b) => b.at.localeCompare(a.at) || b.attempt - a.attempt);
    const start = Number(options.cursor ?? 0);
    const end = start + options.limit;
    return { items: all.slice(start, end), cursor: end < all.length ? String(end) : undefined };
  }
}

export class MemorySecrets implements SecretStore {
  readonly items = new Map<string, string>();
  async get(n: string) {
    return this.items.get(n);
  }
  async put(n: string, v: string) {
    this.items.set(n, v);
  }
  async delete(n: string) {
    this.items.delete(n);
  }
}

/** A fresh set of the delivery stores, the listing reading the leases' records. */
export function memoryDeliveryStores() {
  const deliveries = new MemoryDeliveryLeases();
  return {
    endpoints: new MemoryEndpoints(),
    deliveries,
    attemptLog: new MemoryAttemptLog(),
    deliveryListing: new MemoryDeliveryListing(deliveries),
    secrets: new MemorySecrets(),
  };
}
