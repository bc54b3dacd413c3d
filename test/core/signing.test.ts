import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import {
  deliveryHeaders,
  docuParseSignature,
  generateSecret,
  isWellFormedSecret,
  standardWebhookSignature,
  verifyWebhook,
  type WebhookVerificationError,
} from '../../functions/core/signing.ts';
import { REPO_DIR } from '../support/paths.ts';

interface Vector {
  name: string;
  secret: string;
  webhook_id: string;
  webhook_timestamp: number;
  body: string;
  expected_headers: Record<string, string>;
}
/** The contract's test vectors (docs/design.md §3.3). */
const vectors: Vector[] = JSON.parse(readFileSync(`${REPO_DIR}/docs/vectors/signatures.json`, 'utf8'));

describe('signature test vectors', () => {
  it('has vectors to check', () => expect(vectors.length).toBeGreaterThanOrEqual(3));

  for (const v of vectors) {
    it(`reproduces both schemes exactly: ${v.name}`, () => {
      const headers = deliveryHeaders({
        secrets: [v.secret],
        webhookId: v.webhook_id,
        timestamp: v.webhook_timestamp,
        body: v.body,
        eventType: JSON.parse(v.body).event,
        userAgent: 'docuhook/test',
      });
      for (const [name, value] of Object.entries(v.expected_headers)) expect(headers[name]).toBe(value);
    });

    it(`is accepted by the standardwebhooks package: ${v.name}`, () => {
      const wh = new Webhook(v.secret);
      const headers = {
        'webhook-id': v.webhook_id,
        'webhook-timestamp': String(v.webhook_timestamp),
        'webhook-signature': standardWebhookSignature(v.secret, v.webhook_id, v.webhook_timestamp, v.body),
      };
      // The package checks freshness against the real clock; pin it to the vector's time.
      const realNow = Date.now;
      Date.now = () => v.webhook_timestamp * 1000;
      try {
        expect(wh.verify(v.body, headers)).toEqual(JSON.parse(v.body));
      } finally {
        Date.now = realNow;
      }
    });
  }

  for (const v of vectors) {
    it(`verifyWebhook (what receivers import) accepts the vector's own headers under every scheme: ${v.name}`, () => {
      const now = () => v.webhook_timestamp * 1000;
      for (const scheme of ['standard', 'docuparse', 'both', 'either'] as const) {
        expect(verifyWebhook(v.body, v.expected_headers, v.secret, { scheme, now }).webhookId).toBe(v.webhook_id);
      }
      // Header names arrive lower-cased from most servers.
      const lower = Object.fromEntries(Object.entries(v.expected_headers).map(([k, val]) => [k.toLowerCase(), val]));
      expect(verifyWebhook(Buffer.from(v.body, 'utf8'), lower, v.secret, { scheme: 'both', now }).scheme).toBe('both');
      // One changed byte of the body, another secret, or a stale timestamp are refused.
      const reason = (f: () => unknown) => {
        try {
          f();
          return 'accepted';
        } catch (e) {
          return (e as WebhookVerificationError).reason;
        }
      };
      expect(
        reason(() =>
          verifyWebhook(v.body.replace('"event"', '"Event"'), v.expected_headers, v.secret, { scheme: 'both', now }),
        ),
      ).toBe('BAD_SIGNATURE');
      expect(
        reason(() => verifyWebhook(v.body, v.expected_headers, generateSecret(), { scheme: 'docuparse', now })),
      ).toBe('BAD_SIGNATURE');
      expect(reason(() => verifyWebhook(v.body, v.expected_headers, v.secret, { now: () => now() + 301_000 }))).toBe(
        'TIMESTAMP_OUT_OF_TOLERANCE',
      );
    });
  }

  it('keys the DocuParse HMAC with the UTF-8 bytes of the whole secret string', () => {
    const v = vectors[0]!;
    const plain = `sha256=${createHmac('sha256', v.secret).update(v.body).digest('hex')}`;
    expect(docuParseSignature(v.secret, v.body)).toBe(plain);
    expect(docuParseSignature(v.secret, Buffer.from(v.body, 'utf8'))).toBe(plain);
  });

  it('signs the body bytes the signer sends exactly as the string they encode, for every secret in turn', () => {
    // The signer passes the body as UTF-8 bytes and keeps each secret's decoded keys: neither may
    // change a signature, and one secret's keys must never sign for another.
    for (const v of vectors) {
      const fromText = deliveryHeaders({
        secrets: [v.secret],
        webhookId: v.webhook_id,
        timestamp: v.webhook_timestamp,
        body: v.body,
        eventType: 'e',
        userAgent: 'u',
      });
      const fromBytes = deliveryHeaders({
        secrets: [v.secret],
        webhookId: v.webhook_id,
        timestamp: v.webhook_timestamp,
        body: Buffer.from(v.body, 'utf8'),
        eventType: 'e',
        userAgent: 'u',
      });
      expect(fromBytes).toEqual(fromText);
      const key = Buffer.from(v.secret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key)
        .update(`${v.webhook_id}.${v.webhook_timestamp}.${v.body}`)
        .digest('base64');
      expect(fromBytes['webhook-signature']).toBe(`v1,${expected}`);
    }
  });
});

describe('secrets', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(isWellFormedSecret(s)).toBe(true);
    expect(generateSecret()).not.toBe(s);
  });
  it('rejects malformed secrets', () => {
    for (const bad of ['', 'whsec_', 'secret', 'whsec_short', 'whsec_!!!notbase64!!!!!!!!!!!!!!!!!!!!!!!']) {
      expect(isWellFormedSecret(bad)).toBe(false);
    }
  });
});

describe('rotation overlap', () => {
  it('sends one Standard Webhooks signature per valid secret and keeps DocuParse on the old secret', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const body = '{"event":"document.completed"}';
    const h = deliveryHeaders({
      secrets: [newSecret, oldSecret],
      webhookId: 'msg_1',
      timestamp: 1779200000,
      body,
      eventType: 'document.completed',
      userAgent: 'docuhook/x',
    });
    const sigs = h['webhook-signature']!.split(' ');
    expect(sigs).toEqual([
      standardWebhookSignature(newSecret, 'msg_1', 1779200000, body),
      standardWebhookSignature(oldSecret, 'msg_1', 1779200000, body),
    ]);
    expect(h['X-DocuParse-Signature']).toBe(docuParseSignature(oldSecret, body));
    const now = () => 1779200000 * 1000;
    expect(() => verifyWebhook(body, h, newSecret, { now })).not.toThrow();
    expect(() => verifyWebhook(body, h, oldSecret, { now })).not.toThrow();
  });
});

describe('verifyWebhook', () => {
  const secret = generateSecret();
  const body = '{"event":"batch.completed","batch_id":"batch_1"}';
  const at = 1779200000;
  const now = () => at * 1000;
  const headers = deliveryHeaders({
    secrets: [secret],
    webhookId: 'msg_x',
    timestamp: at,
    body,
    eventType: 'batch.completed',
    userAgent: 'docuhook/x',
  });

  it('accepts a genuine delivery by either scheme', () => {
    expect(() => verifyWebhook(body, headers, secret, { now })).not.toThrow();
    expect(() =>
      verifyWebhook(body, { 'x-docuparse-signature': headers['X-DocuParse-Signature'] }, secret, {
        scheme: 'docuparse',
      }),
    ).not.toThrow();
    expect(() =>
      verifyWebhook(Buffer.from(body), new Headers(headers), secret, { now, scheme: 'docuparse' }),
    ).not.toThrow();
  });
  it('rejects a tampered body, a wrong secret and missing headers', () => {
    const fail = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return (e as WebhookVerificationError).reason;
      }
      return 'accepted';
    };
    expect(fail(() => verifyWebhook(`${body} `, headers, secret, { now }))).toBe('BAD_SIGNATURE');
    expect(fail(() => verifyWebhook(body, headers, generateSecret(), { now }))).toBe('BAD_SIGNATURE');
    expect(fail(() => verifyWebhook(body, headers, generateSecret(), { now, scheme: 'docuparse' }))).toBe(
      'BAD_SIGNATURE',
    );
    expect(fail(() => verifyWebhook(body, {}, secret, { now }))).toBe('MISSING_HEADERS');
    expect(
      fail(() =>
        verifyWebhook(body, { 'x-docuparse-signature': `sha256=${'0'.repeat(64)}` }, secret, { scheme: 'either' }),
      ),
    ).toBe('BAD_SIGNATURE');
  });
  it('refuses an empty or malformed secret as a configuration error, even when the signature was made with it', () => {
    for (const bad of [
      'whsec_',
      'whsec_====',
      'whsec_!!!!',
      `whsec_${Buffer.alloc(8, 1).toString('base64')}`,
      'not-a-secret',
    ]) {
      // What anyone can compute for a receiver so misconfigured: both schemes' HMACs with that (empty or short) key.
      const forged = {
        'webhook-id': 'msg_f',
        'webhook-timestamp': String(at),
        'webhook-signature': `v1,${createHmac('sha256', Buffer.from(bad.replace(/^whsec_/, ''), 'base64'))
          .update(`msg_f.${at}.${body}`)
          .digest('base64')}`,
        'x-docuparse-signature': `sha256=${createHmac('sha256', bad).update(body).digest('hex')}`,
      };
      for (const scheme of ['standard', 'docuparse', 'either', 'both'] as const) {
        expect(() => verifyWebhook(body, forged, bad, { now, scheme }), `${bad} ${scheme}`).toThrow(TypeError);
      }
      expect(() => verifyWebhook(body, headers, [secret, bad], { now }), bad).toThrow(
        /secret 2 is not an endpoint secret/,
      );
    }
    expect(() => verifyWebhook(body, headers, '', { now })).toThrow(/needs the endpoint secret/);
    expect(() => verifyWebhook(body, headers, [secret, ''], { now })).not.toThrow();
  });
  it('rejects replays outside the tolerance window', () => {
    const late = () => (at + 301) * 1000;
    expect(() => verifyWebhook(body, headers, secret, { now: late })).toThrow(/replay window/);
    expect(() => verifyWebhook(body, headers, secret, { now: late, toleranceSeconds: 600 })).not.toThrow();
  });
});
