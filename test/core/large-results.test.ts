/** Where an event body goes when it is too large for a DynamoDB item or an SQS message. */
import { describe, expect, it } from 'vitest';
import type { DocumentData } from '../../functions/core/events.ts';
import {
  documentData,
  isResultPointer,
  ITEM_RESULT_LIMIT_BYTES,
  itemResult,
  MESSAGE_BODY_LIMIT_BYTES,
  messageBody,
  resolveBody,
  storeBody,
} from '../../functions/core/large-results.ts';
import { resultKey } from '../../functions/core/object-keys.ts';
import { MemoryResultStore } from '../support/memory-results.ts';

/** A JSON event body of exactly `bytes` UTF-8 bytes. */
function bodyOf(bytes: number, fill = 'x'): string {
  const head = '{"event":"document.completed","pad":"';
  return `${head}${fill.repeat(bytes - head.length - 2)}"}`;
}

describe('delivery message bodies', () => {
  it('stay in the message up to the limit (as escaped in the message) and move to the store past it', async () => {
    const store = new MemoryResultStore();
    const fits = bodyOf(MESSAGE_BODY_LIMIT_BYTES - 60); // + the escaped quotes of its JSON keys and the string's own quotes
    expect(await messageBody(store, 'acct_a', 'doc_a', fits)).toBe(fits);
    expect(store.writes).toHaveLength(0);

    const big = bodyOf(MESSAGE_BODY_LIMIT_BYTES + 1);
    const pointer = await messageBody(store, 'acct_a', 'doc_a', big);
    expect(isResultPointer(pointer)).toBe(true);
    expect(store.writes).toEqual([resultKey('acct_a', 'doc_a', big)]);
    expect(await resolveBody(store, pointer)).toBe(big);
  });

  it('count the escaping: a body of quotes under the limit raw but over it escaped is stored', async () => {
    const store = new MemoryResultStore();
    const quotes = bodyOf(MESSAGE_BODY_LIMIT_BYTES * 0.75, '"');
    expect(Buffer.byteLength(quotes)).toBeLessThan(MESSAGE_BODY_LIMIT_BYTES);
    expect(isResultPointer(await messageBody(store, 'acct_a', 'doc_a', quotes))).toBe(true);
  });

  it('a pointer is passed on as it is, and the same body always gets the same key', async () => {
    const store = new MemoryResultStore();
    const big = bodyOf(MESSAGE_BODY_LIMIT_BYTES * 2);
    const first = await storeBody(store, 'acct_a', 'doc_a', big);
    expect(await messageBody(store, 'acct_a', 'doc_a', first)).toBe(first);
    expect(await storeBody(store, 'acct_a', 'doc_a', first)).toBe(first);
    expect(await storeBody(store, 'acct_a', 'doc_a', big)).toBe(first);
    expect(new Set(store.writes).size).toBe(1);
    // A different body (another worker's timestamp) never overwrites it.
    const other = await storeBody(store, 'acct_a', 'doc_a', big.replace('document.completed', 'document.completeD'));
    expect(other).not.toBe(first);
    expect(await resolveBody(store, first)).toBe(big);
  });

  it('resolving a plain body reads nothing', async () => {
    const store = new MemoryResultStore();
    expect(await resolveBody(store, '{"event":"batch.completed"}')).toBe('{"event":"batch.completed"}');
  });
});

describe('document items', () => {
  const data = (descriptionBytes: number) =>
    ({ line_items: [{ description: 'd'.repeat(descriptionBytes) }] }) as unknown as DocumentData;

  it('keep data and body while together they fit the limit', async () => {
    const store = new MemoryResultStore();
    const d = data(1000);
    const result = { data: d, eventBody: bodyOf(ITEM_RESULT_LIMIT_BYTES - Buffer.byteLength(JSON.stringify(d))) };
    expect(await itemResult(store, 'acct_a', 'doc_a', result)).toBe(result);
    expect(store.writes).toHaveLength(0);
  });

  it('keep only the pointer past it, and the data is read back from the stored body', async () => {
    const store = new MemoryResultStore();
    const d = data(ITEM_RESULT_LIMIT_BYTES / 2);
    const eventBody = JSON.stringify({ event: 'document.completed', data: d });
    const stored = await itemResult(store, 'acct_a', 'doc_a', { data: d, eventBody });
    expect(stored.data).toBeUndefined();
    expect(isResultPointer(stored.eventBody)).toBe(true);
    expect(await documentData(store, stored)).toEqual(d);
    expect(await documentData(store, { data: d, eventBody })).toBe(d);
  });

  it('a failed document (no data) is measured by its body alone', async () => {
    const store = new MemoryResultStore();
    const result = { eventBody: bodyOf(ITEM_RESULT_LIMIT_BYTES) };
    expect(await itemResult(store, 'acct_a', 'doc_a', result)).toBe(result);
  });
});
