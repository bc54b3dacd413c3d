import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../functions/adapters/local/file-secret-store.ts';
import { rotateSecret, saveNewSecret, secretsSigningAt } from '../../functions/core/endpoint-secrets.ts';
import type { SecretStore } from '../../functions/core/ports.ts';

/** The local secret store, in a fresh directory per test. */
const newStore = () => new FileSecretStore(join(mkdtempSync(join(tmpdir(), 'docuhook-secrets-')), 'secrets.json'));

const signingSecrets = async (store: SecretStore, name: string, now: Date) =>
  secretsSigningAt(await store.get(name), now);

const t0 = new Date('2026-11-27T10:00:00Z');
const hours = (h: number) => new Date(t0.getTime() + h * 3600_000);

describe('endpoint signing secrets', () => {
  it('sign with the current secret, then also with each replaced one for 24 h after its rotation', async () => {
    const store = newStore();
    await saveNewSecret(store, 's', 'whsec_a');
    expect(await signingSecrets(store, 's', t0)).toEqual(['whsec_a']);
    expect(await rotateSecret(store, 's', 'whsec_b', t0)).toEqual({ previousExpiresAt: hours(24).toISOString() });
    await rotateSecret(store, 's', 'whsec_c', hours(2));
    expect(await signingSecrets(store, 's', hours(3))).toEqual(['whsec_c', 'whsec_b', 'whsec_a']);
    expect(await signingSecrets(store, 's', hours(24.5))).toEqual(['whsec_c', 'whsec_b']);
    expect(await signingSecrets(store, 's', hours(26.5))).toEqual(['whsec_c']);
  });

  it('read the older single-object shape of a previous secret', async () => {
    const store = newStore();
    await store.put(
      's',
      JSON.stringify({ current: 'whsec_new', previous: { secret: 'whsec_old', expiresAt: hours(1).toISOString() } }),
    );
    expect(await signingSecrets(store, 's', t0)).toEqual(['whsec_new', 'whsec_old']);
  });

  it('are none for an endpoint without a stored secret', async () => {
    expect(await signingSecrets(newStore(), 'missing', t0)).toEqual([]);
  });

  it.each([
    ['null', 'null'],
    ['no current secret', JSON.stringify({ previous: [] })],
    ['a number as secret', JSON.stringify({ current: 7 })],
    ['a damaged previous entry', JSON.stringify({ current: 'whsec_a', previous: [{ secret: 'whsec_b' }] })],
  ])('fail loudly on a damaged stored value (%s) rather than sign with a wrong key', async (_, raw) => {
    const store = newStore();
    await store.put('s', raw);
    await expect(signingSecrets(store, 's', t0)).rejects.toThrow(/expected shape/);
  });
});
