/**
 * An endpoint's signing secrets as kept in the secret store: the current one, plus every previous
 * one whose rotation overlap (24 h) has not ended, so they all sign while receivers switch over.
 *
 * Rotating twice within 24 h keeps all three secrets valid: each previous secret keeps its own
 * 24 h from the rotation that replaced it (a receiver still on the first secret is not cut off
 * early by a second rotation). At most MAX_PREVIOUS previous secrets are kept.
 */
import type { SecretStore } from './ports.ts';

export const ROTATION_OVERLAP_SECONDS = 24 * 3600;
const MAX_PREVIOUS = 4;

interface Previous {
  secret: string;
  expiresAt: string;
}
interface Normalised {
  current: string;
  previous: Previous[];
  currentOnly: readonly string[];
}

export function secretName(prefix: string, accountId: string, endpointId: string): string {
  return `${prefix}${accountId}/${endpointId}`;
}

export async function saveNewSecret(store: SecretStore, name: string, secret: string): Promise<void> {
  await store.put(name, JSON.stringify({ current: secret }));
}

/** Makes `next` the current secret; the one it replaces keeps signing until the returned time. */
export async function rotateSecret(
  store: SecretStore,
  name: string,
  next: string,
  now: Date,
): Promise<{ previousExpiresAt: string | null }> {
  const existing = await readStored(store, name);
  const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_SECONDS * 1000).toISOString();
  const previous = existing
    ? [
        { secret: existing.current, expiresAt },
        ...existing.previous.filter((p) => Date.parse(p.expiresAt) > now.getTime()),
      ].slice(0, MAX_PREVIOUS)
    : [];
  await store.put(name, JSON.stringify({ current: next, ...(previous.length ? { previous } : {}) }));
  return { previousExpiresAt: existing ? expiresAt : null };
}

const parsedCache = new Map<string, Normalised>();

function parse(raw: string): Normalised {
  const hit = parsedCache.get(raw);
  if (hit) return hit;
  const value = readSecretJson(raw);
  // Parsing is on every delivery's path; the raw string is the key, so a rotation is never missed.
  if (parsedCache.size > 1000) parsedCache.clear();
  parsedCache.set(raw, value);
  return value;
}

/**
 * Only docuhook writes these secrets, so a plain shape check suffices (the signer bundles no schema
 * library); a damaged secret fails loudly rather than signing with a wrong key.
 */
function readSecretJson(raw: string): Normalised {
  const stored = (JSON.parse(raw) ?? {}) as { current?: unknown; previous?: unknown };
  // Older data directories hold a single previous object; both shapes are read.
  const previous =
    stored.previous === undefined ? [] : Array.isArray(stored.previous) ? stored.previous : [stored.previous];
  if (typeof stored.current !== 'string' || !previous.every(isPrevious))
    throw new Error('endpoint secret is not in the expected shape');
  return { current: stored.current, previous, currentOnly: Object.freeze([stored.current]) };
}

function isPrevious(value: unknown): value is Previous {
  const p = value as Partial<Previous> | null;
  return typeof p === 'object' && p !== null && typeof p.secret === 'string' && typeof p.expiresAt === 'string';
}

async function readStored(store: SecretStore, name: string): Promise<Normalised | null> {
  const raw = await store.get(name);
  if (raw === undefined) return null;
  return parse(raw);
}

/**
 * The secrets that sign now, newest first, from the value kept in the secret store (undefined:
 * none). Synchronous, so that the signer's read of the store is its only await for secrets.
 */
export function secretsSigningAt(raw: string | undefined, now: Date): readonly string[] {
  if (raw === undefined) return [];
  const stored = parse(raw);
  // Outside a rotation overlap (nearly always) the answer is the same array every time.
  if (stored.previous.length === 0) return stored.currentOnly;
  const valid = stored.previous
    .filter((p) => Date.parse(p.expiresAt) > now.getTime())
    .sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt));
  return [stored.current, ...valid.map((p) => p.secret)];
}
