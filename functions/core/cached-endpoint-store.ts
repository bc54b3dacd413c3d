/**
 * The signer's endpoint store: a short read-through cache in front of the real one. A signer
 * delivering a burst to one endpoint reads its record once a second instead of once per message.
 * Only an "enabled" record is reused (a disabled one is always re-read, so a `recover` takes effect
 * at once); a disable or delete made elsewhere reaches this signer within `ttlMs`, i.e. at most one
 * more attempt. This signer's own writes go through it and refresh the cached copy.
 */
import type { Clock, EndpointStore } from './ports.ts';
import type { EndpointRecord } from './records.ts';

/** How long a signer may reuse an endpoint record it read (only while it says "enabled"). */
export const ENDPOINT_CACHE_MS = 1000;
/** A bound on memory; past it the cache starts over (endpoints are few per account). */
const MAX_ENTRIES = 10_000;

type Changes = Parameters<EndpointStore['update']>[2];
type UpdateOptions = Parameters<EndpointStore['update']>[3];

export class CachedEndpointStore implements EndpointStore {
  private readonly entries = new Map<string, { record: EndpointRecord; until: number }>();

  constructor(private readonly store: EndpointStore, private readonly clock: Clock, private readonly ttlMs = ENDPOINT_CACHE_MS) {}

  async get(accountId: string, endpointId: string): Promise<EndpointRecord | null> {
    const key = keyOf(accountId, endpointId);
    const hit = this.entries.get(key);
    if (hit && hit.until > this.clock.now().getTime()) return hit.record;
    const record = await this.store.get(accountId, endpointId);
    if (record?.status === 'enabled') {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { record, until: this.clock.now().getTime() + this.ttlMs });
    } else this.entries.delete(key);
    return record;
  }

  /** Reads the store itself, for decisions that must not act on a copy; the cached copy is dropped. */
  async getFresh(accountId: string, endpointId: string): Promise<EndpointRecord | null> {
    this.entries.delete(keyOf(accountId, endpointId));
    return this.store.get(accountId, endpointId);
  }

  async update(accountId: string, endpointId: string, changes: Changes, options?: UpdateOptions): Promise<void> {
    await this.store.update(accountId, endpointId, changes, options);
    const key = keyOf(accountId, endpointId);
    const hit = this.entries.get(key);
    if (!hit) return;
    const record: EndpointRecord = { ...hit.record, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    if (options?.removeFailingSince) delete record.failingSince;
    if (options?.removeDisabledReason) delete record.disabledReason;
    if (record.status === 'enabled') this.entries.set(key, { record, until: hit.until });
    else this.entries.delete(key);
  }

  async put(endpoint: EndpointRecord): Promise<void> {
    this.entries.delete(keyOf(endpoint.accountId, endpoint.endpointId));
    await this.store.put(endpoint);
  }

  async delete(accountId: string, endpointId: string): Promise<boolean> {
    this.entries.delete(keyOf(accountId, endpointId));
    return this.store.delete(accountId, endpointId);
  }

  list(accountId: string): Promise<EndpointRecord[]> {
    return this.store.list(accountId);
  }
}

const keyOf = (accountId: string, endpointId: string) => `${accountId}/${endpointId}`;
