/**
 * SSRF through the pipeline: names that resolve (at connect time, via the injectable resolver) to
 * internal addresses end as failed attempts with a clear error and no connection; literal internal
 * addresses are refused when the endpoint is created. Local mode allows loopback and nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { Resolver } from '../../functions/adapters/http-sender.ts';
import { ApiRequestError } from '../../cli/api-client.ts';
import { addHook, attemptLog, publishMany, tracker, until } from './support.ts';

const t = tracker();

describe('SSRF guard in the signer', () => {
  it('DNS rebinding, IPv4-mapped and metadata addresses end as failed attempts, without connecting', async () => {
    const rx = await t.receiver();
    const answers: Record<string, { address: string; family: number }[]> = {
      'metadata.attacker.test': [{ address: '169.254.169.254', family: 4 }],
      'mapped.attacker.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
      // Rebinding: a public address first and, at connect time, a private one next to loopback,
      // where a receiver is actually listening — one blocked answer blocks the whole name.
      'rebind.attacker.test': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      'cgnat.attacker.test': [{ address: '100.64.0.1', family: 4 }],
      'ula.attacker.test': [{ address: 'fd00::1', family: 6 }],
    };
    const lookups: string[] = [];
    const resolver: Resolver = (host, _opts, cb) => {
      lookups.push(host);
      const a = answers[host];
      if (a) cb(null, a);
      else cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
    };
    const rt = await t.runtime({ resolver, env: { RETRY_SCHEDULE: '0' } });
    const hooks = [];
    for (const host of Object.keys(answers))
      hooks.push({ host, hook: await addHook(rt, `https://${host}:${rx.port}/hooks`) });
    await publishMany(rt, 1, 'ssrf');
    await until(() => rt.queues.deliveryDlq.stats().total === hooks.length, 15_000);
    for (const { host, hook } of hooks) {
      const log = await attemptLog(rt, hook.id);
      expect(log, host).toHaveLength(2);
      for (const a of log) {
        expect(a.status_code).toBeNull();
        expect(a.outcome).toBe('failed');
        expect(a.error, host).toMatch(
          new RegExp(
            `blocked by SSRF policy: ${host.replace(/\./g, '\\.')} resolves to a blocked address \\(.*(private|link-local|reserved|loopback|IPv4-mapped)`,
          ),
        );
      }
    }
    expect(lookups.length).toBeGreaterThanOrEqual(hooks.length);
    expect(rx.connections()).toBe(0);
    expect(rx.hooks).toHaveLength(0);
  });

  it('literal internal addresses and non-loopback http are refused at creation, with a clear message', async () => {
    const rt = await t.runtime();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/hooks',
      'https://[::ffff:a9fe:a9fe]/hooks',
      'https://10.1.2.3/hooks',
      'https://100.100.100.200/hooks',
      'https://[fd12:3456::1]/hooks',
      'https://0.0.0.0/hooks',
      'http://example.com/hooks',
      'https://intranet/hooks',
    ]) {
      const err = await addHook(rt, url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, url).toBeInstanceOf(ApiRequestError);
      expect((err as ApiRequestError).status, url).toBe(400);
      expect((err as ApiRequestError).message, url).toMatch(/url (must|points|host must)/);
    }
    // Loopback is what local mode is for.
    await expect(addHook(rt, 'http://127.0.0.1:9/hooks')).resolves.toMatchObject({ url: 'http://127.0.0.1:9/hooks' });
    await expect(addHook(rt, 'http://localhost:9/hooks')).resolves.toBeTruthy();
  });
});
