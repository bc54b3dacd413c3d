/**
 * The dashboard's /local routes over HTTP (no browser): they run on the API's middy stack, so
 * authentication, body parsing and error answers are the API's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardSite } from '../../local/dashboard/serve.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ site: createDashboardSite() });
});
afterAll(() => rt?.cleanup());

async function call(
  method: string,
  path: string,
  init: { body?: string; key?: string | null; type?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? rt.apiKey}`;
  if (init.body !== undefined && init.type !== null) headers['content-type'] = init.type ?? 'application/json';
  const res = await fetch(rt.apiUrl + path, { method, headers, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('dashboard routes', () => {
  it('need the API key, answered like the API', async () => {
    for (const key of [null, 'dh_wrong']) {
      for (const path of ['/local/session', '/local/nowhere']) {
        const res = await call('GET', path, { key });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('the session names the caller account and the limits', async () => {
    const res = await call('GET', '/local/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      account_id: rt.accountId,
      limits: { max_upload_bytes: expect.any(Number) },
      inbox_base_url: `${rt.apiUrl}/inbox/`,
    });
  });

  it('create, update, list and delete an inbox; no body counts as an empty object', async () => {
    const created = await call('POST', '/local/inboxes');
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(/^ib_/);
    expect((await call('PATCH', `/local/inboxes/${id}`, { body: '{"respond_status":503}' })).body.respond_status).toBe(
      503,
    );
    expect((await call('GET', '/local/inboxes')).body.inboxes.map((i: { id: string }) => i.id)).toContain(id);
    const deleted = await call('DELETE', `/local/inboxes/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await call('GET', `/local/inboxes/${id}/deliveries`)).status).toBe(404);
  });

  it('maps bad input to the API error codes', async () => {
    const { body: inbox } = await call('POST', '/local/inboxes', { body: '{}' });
    const cases: [string, string, { body?: string; type?: string | null }, number, string][] = [
      ['PATCH', `/local/inboxes/${inbox.id}`, { body: '{"respond_status":' }, 400, 'INVALID_JSON'],
      ['PATCH', `/local/inboxes/${inbox.id}`, { body: '[1]' }, 400, 'VALIDATION_ERROR'],
      ['PATCH', `/local/inboxes/${inbox.id}`, { body: '{"respond_status":999}' }, 400, 'VALIDATION_ERROR'],
      ['PATCH', `/local/inboxes/${inbox.id}`, { body: '{}', type: 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        'POST',
        `/local/inboxes/${inbox.id}/secrets`,
        { body: JSON.stringify({ secret: 'x'.repeat(70 * 1024) }) },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['POST', `/local/inboxes/${inbox.id}/secrets`, { body: '{"secret":"nope"}' }, 400, 'VALIDATION_ERROR'],
      ['PATCH', '/local/inboxes/ib_000000000000000000000000', { body: '{}' }, 404, 'NOT_FOUND'],
      ['POST', '/local/dlq/elsewhere/redrive', { body: '{}' }, 404, 'NOT_FOUND'],
      ['GET', '/local/nowhere', {}, 404, 'NOT_FOUND'],
      ['PUT', '/local/inboxes', { body: '{}' }, 404, 'NOT_FOUND'],
    ];
    for (const [method, path, init, status, code] of cases) {
      const res = await call(method, path, init);
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status,
        body: { error: { code, message: expect.any(String) } },
      });
    }
  });

  it('another account sees none of the caller inboxes', async () => {
    const { body: inbox } = await call('POST', '/local/inboxes', { body: '{}' });
    const other = await rt.createAccount('other');
    expect((await call('GET', '/local/inboxes', { key: other.apiKey })).body.inboxes).toEqual([]);
    expect(
      (await call('PATCH', `/local/inboxes/${inbox.id}`, { key: other.apiKey, body: '{"respond_status":500}' })).status,
    ).toBe(404);
  });

  it('the inbox itself stays a plain receiver: no key, its scripted answer', async () => {
    const { body: inbox } = await call('POST', '/local/inboxes', { body: '{}' });
    await call('PATCH', `/local/inboxes/${inbox.id}`, { body: '{"respond_status":429}' });
    const answer = await fetch(`${rt.apiUrl}/inbox/${inbox.id}`, { method: 'POST', body: '{"type":"x"}' });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    const { body } = await call('GET', `/local/inboxes/${inbox.id}/deliveries`);
    expect(body.deliveries).toHaveLength(1);
    expect((await fetch(`${rt.apiUrl}/inbox/ib_000000000000000000000000`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
  });
});
