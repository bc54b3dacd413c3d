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

export class CachedEndpointStore implements EndpointStore {
  private readonly entries = new Map<string, { record: EndpointRecord; until: number }>();

  constructor(
    private readonly store: EndpointStore,
    private readonly clock: Clock,
    private readonly ttlMs = ENDPOINT_CACHE_MS,
  ) {}

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

  async markFailing(accountId: string, endpointId: string, since: string, at: string): Promise<void> {
    await this.store.markFailing(accountId, endpointId, since, at);
    this.patch(accountId, endpointId, (record) => ({ ...record, failingSince: since, updatedAt: at }));
  }

  async clearFailing(accountId: string, endpointId: string, at: string): Promise<void> {
    await this.store.clearFailing(accountId, endpointId, at);
    this.patch(accountId, endpointId, ({ failingSince: _ended, ...record }) => ({ ...record, updatedAt: at }));
  }

  async disable(accountId: string, endpointId: string, reason: string, at: string): Promise<void> {
    this.entries.delete(keyOf(accountId, endpointId)); // a disabled record is never reused
    await this.store.disable(accountId, endpointId, reason, at);
  }

  async enable(accountId: string, endpointId: string, at: string): Promise<void> {
    this.entries.delete(keyOf(accountId, endpointId));
    await this.store.enable(accountId, endpointId, at);
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

  /** This signer's own change, applied to its cached copy (keeping the copy's expiry). */
  private patch(accountId: string, endpointId: string, change: (record: EndpointRecord) => EndpointRecord): void {
    const key = keyOf(accountId, endpointId);
    const hit = this.entries.get(key);
    if (hit) this.entries.set(key, { record: change(hit.record), until: hit.until });
  }
}

const keyOf = (accountId: string, endpointId: string) => `${accountId}/${endpointId}`;
