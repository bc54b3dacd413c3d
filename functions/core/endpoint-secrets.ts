/**
 * An endpoint's signing secrets as kept in the secret store: the current one, plus the previous
 * one while a rotation overlaps (24 h), so both can sign.
 */
import { z } from 'zod';
import type { SecretStore } from './ports.ts';

export const ROTATION_OVERLAP_SECONDS = 24 * 3600;

const Stored = z.object({
  current: z.string(),
  previous: z.object({ secret: z.string(), expiresAt: z.string() }).optional(),
});
type Stored = z.infer<typeof Stored>;

export function secretName(prefix: string, accountId: string, endpointId: string): string {
  return `${prefix}${accountId}/${endpointId}`;
}

export async function saveNewSecret(store: SecretStore, name: string, secret: string): Promise<void> {
  await store.put(name, JSON.stringify({ current: secret } satisfies Stored));
}

export async function rotateSecret(store: SecretStore, name: string, next: string, now: Date): Promise<void> {
  const existing = await readStored(store, name);
  const stored: Stored = { current: next };
  if (existing) stored.previous = { secret: existing.current, expiresAt: new Date(now.getTime() + ROTATION_OVERLAP_SECONDS * 1000).toISOString() };
  await store.put(name, JSON.stringify(stored));
}

async function readStored(store: SecretStore, name: string): Promise<Stored | null> {
  const raw = await store.get(name);
  if (raw === undefined) return null;
  return Stored.parse(JSON.parse(raw));
}

/** The secrets that sign now, newest first. */
export async function signingSecrets(store: SecretStore, name: string, now: Date): Promise<string[]> {
  const stored = await readStored(store, name);
  if (!stored) return [];
  const out = [stored.current];
  if (stored.previous && Date.parse(stored.previous.expiresAt) > now.getTime()) out.push(stored.previous.secret);
  return out;
}
