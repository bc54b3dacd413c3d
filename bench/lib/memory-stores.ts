/**
 * In-memory stores for the engine variant of bench:delivery: the same contracts as the DynamoDB
 * stores (conditional lease, settle, attempt log), so the engine does all its work, minus the I/O.
 */
import { isoTime } from '../../functions/core/iso-time.ts';
import type { ClaimResult, DeliveryStore, EndpointStore, SecretStore } from '../../functions/core/ports.ts';
import type { AttemptRecord, DeliveryMessage, DeliveryRecord, EndpointRecord } from '../../functions/core/records.ts';

export class MemoryEndpoints implements EndpointStore {
  readonly items = new Map<string, EndpointRecord>();
  async put(e: EndpointRecord) { this.items.set(`${e.accountId}/${e.endpointId}`, e); }
  async get(a: string, e: string) { return this.items.get(`${a}/${e}`) ?? null; }
  async list(a: string) { return [...this.items.values()].filter((e) => e.accountId === a); }
  async delete(a: string, e: string) { return this.items.delete(`${a}/${e}`); }
  async update(a: string, e: string, changes: Partial<EndpointRecord>) {
    const cur = this.items.get(`${a}/${e}`);
    if (cur) this.items.set(`${a}/${e}`, { ...cur, ...changes });
  }
}

/**
 * A new record, written out field by field: `{ ...message, more }` takes a slow path in V8 (several
 * µs). Records are then mutated in place, as a store with no I/O would: copying is not the engine's cost.
 */
type Stored = DeliveryRecord & { leaseUntil?: number; leaseHolder?: string; copyHolder?: string; copyAttempts?: number };

function record(m: DeliveryMessage, status: DeliveryRecord['status'], at: string): Stored {
  return {
    webhookId: m.webhookId, accountId: m.accountId, endpointId: m.endpointId, eventType: m.eventType, subjectId: m.subjectId, body: m.body,
    status, attempts: 0, createdAt: at, updatedAt: at, lastStatusCode: undefined, lastError: undefined, leaseUntil: undefined, leaseHolder: undefined,
  };
}

export class MemoryDeliveries implements DeliveryStore {
  readonly items = new Map<string, Stored>();
  readonly attempts: AttemptRecord[] = [];
  async ensure(m: DeliveryMessage, status: DeliveryRecord['status'], at: string) {
    if (!this.items.has(m.webhookId)) this.items.set(m.webhookId, record(m, status, at));
  }
  async get(id: string) { return this.items.get(id) ?? null; }
  async claim(m: DeliveryMessage, now: Date, lease: number, holder?: string): Promise<ClaimResult> {
    const cur = this.items.get(m.webhookId);
    const s = Math.floor(now.getTime() / 1000);
    if (cur?.status === 'succeeded') return { outcome: 'already-succeeded' };
    if (cur?.leaseUntil !== undefined && cur.leaseUntil >= s) return { outcome: holder && cur.leaseHolder && cur.leaseHolder !== holder ? 'duplicate' : 'busy' };
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
    else if (cur.status !== 'succeeded') Object.assign(cur, { status: 'held', updatedAt: at, leaseUntil: undefined, leaseHolder: undefined });
  }
  async settle(id: string, c: Parameters<DeliveryStore['settle']>[1]) {
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
  async listByEndpoint() { return []; }
  async recordAttempt(a: AttemptRecord) { this.attempts.push(a); }
  async listAttempts() { return { items: [] }; }
}

export class MemorySecrets implements SecretStore {
  readonly items = new Map<string, string>();
  async get(n: string) { return this.items.get(n); }
  async put(n: string, v: string) { this.items.set(n, v); }
  async delete(n: string) { this.items.delete(n); }
}
