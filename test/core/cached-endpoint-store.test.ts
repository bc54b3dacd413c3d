/** The signer's endpoint cache: reuse within its time on the injected clock, own writes kept in step. */
import { describe, expect, it } from 'vitest';
import { CachedEndpointStore, ENDPOINT_CACHE_MS } from '../../functions/core/cached-endpoint-store.ts';
import type { EndpointRecord } from '../../functions/core/records.ts';
import { MemoryEndpoints } from '../support/memory-stores.ts';

const endpoint: EndpointRecord = {
  accountId: 'acct_a',
  endpointId: 'ep_a',
  url: 'https://example.com/hooks',
  events: [],
  status: 'enabled',
  secretName: 'docuhook/acct_a/ep_a',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function setup() {
  const store = new MemoryEndpoints();
  let reads = 0;
  const get = store.get.bind(store);
  store.get = async (a, e) => {
    reads++;
    return get(a, e);
  };
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
  return { store, cached: new CachedEndpointStore(store, clock), clock, reads: () => reads };
}

describe('CachedEndpointStore', () => {
  it('reuses an enabled record until ENDPOINT_CACHE_MS have passed on its clock, then reads again', async () => {
    const { store, cached, clock, reads } = setup();
    await store.put(endpoint);
    expect(await cached.get('acct_a', 'ep_a')).toEqual(endpoint);
    await store.markFailing('acct_a', 'ep_a', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'); // a change made by another process
    clock.advance(ENDPOINT_CACHE_MS - 1);
    expect((await cached.get('acct_a', 'ep_a'))?.failingSince).toBeUndefined();
    expect(reads()).toBe(1);
    clock.advance(1);
    expect((await cached.get('acct_a', 'ep_a'))?.failingSince).toBe('2026-01-01T00:00:00Z');
    expect(reads()).toBe(2);
  });

  it('never reuses a disabled or missing record', async () => {
    const { store, cached, reads } = setup();
    expect(await cached.get('acct_a', 'ep_a')).toBeNull();
    await store.put({ ...endpoint, status: 'disabled' });
    expect((await cached.get('acct_a', 'ep_a'))?.status).toBe('disabled');
    expect((await cached.get('acct_a', 'ep_a'))?.status).toBe('disabled');
    expect(reads()).toBe(3);
  });

  it('applies its own updates to the cached copy, and drops it when they disable the endpoint', async () => {
    const { store, cached, reads } = setup();
    await store.put({ ...endpoint, failingSince: '2026-01-01T00:00:00Z' });
    await cached.get('acct_a', 'ep_a');
    await cached.clearFailing('acct_a', 'ep_a', '2026-01-01T00:01:00Z');
    const updated = await cached.get('acct_a', 'ep_a');
    expect(updated).toEqual({ ...endpoint, updatedAt: '2026-01-01T00:01:00Z' });
    expect(reads()).toBe(1);
    await cached.markFailing('acct_a', 'ep_a', '2026-01-01T00:02:00Z', '2026-01-01T00:02:00Z');
    expect(await cached.get('acct_a', 'ep_a')).toEqual({
      ...endpoint,
      failingSince: '2026-01-01T00:02:00Z',
      updatedAt: '2026-01-01T00:02:00Z',
    });
    expect(reads()).toBe(1);
    await cached.disable('acct_a', 'ep_a', 'The endpoint answered 410 Gone.', '2026-01-01T00:03:00Z');
    expect((await cached.get('acct_a', 'ep_a'))?.status).toBe('disabled');
    expect(reads()).toBe(2);
    await cached.enable('acct_a', 'ep_a', '2026-01-01T00:04:00Z');
    expect(await cached.get('acct_a', 'ep_a')).toEqual({ ...endpoint, updatedAt: '2026-01-01T00:04:00Z' });
  });

  it('getFresh, put and delete bypass or drop the cached copy', async () => {
    const { store, cached, reads } = setup();
    await store.put(endpoint);
    await cached.get('acct_a', 'ep_a');
    await store.markFailing('acct_a', 'ep_a', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    expect((await cached.getFresh('acct_a', 'ep_a'))?.failingSince).toBe('2026-01-01T00:00:00Z');
    expect((await cached.get('acct_a', 'ep_a'))?.failingSince).toBe('2026-01-01T00:00:00Z');
    expect(reads()).toBe(3);
    await cached.put({ ...endpoint, url: 'https://example.com/new' });
    expect((await cached.get('acct_a', 'ep_a'))?.url).toBe('https://example.com/new');
    expect(await cached.delete('acct_a', 'ep_a')).toBe(true);
    expect(await cached.get('acct_a', 'ep_a')).toBeNull();
    expect(await cached.list('acct_a')).toEqual([]);
  });
});
