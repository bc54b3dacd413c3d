/**
 * Results too large for a DynamoDB item (400 KB) or an SQS message (256 KiB): a long invoice's
 * event body is kept as an object in the result store, and the document item or delivery message
 * carries a pointer in its place (docs/design.md §1.2, an internal note: receivers get the same
 * bytes). The pointer is a string no event body can be (bodies are JSON objects), so everything
 * that only moves a body — the delivery record, recover, a DLQ redrive — moves the pointer as it
 * is; the signer resolves it just before signing, the API before answering.
 */
import type { DocumentData } from './events.ts';
import { resultKey } from './object-keys.ts';
import type { ResultReader, ResultStore } from './ports.ts';

/** `data` + `eventBody` of a document item above this go to the store: 100 KB of DynamoDB's 400 KB stay for the other attributes. */
export const ITEM_RESULT_LIMIT_BYTES = 300_000;
/** A delivery message body above this (as JSON-escaped in the message) goes to the store: 56 KiB of SQS's 256 KiB stay for the other fields. */
export const MESSAGE_BODY_LIMIT_BYTES = 200 * 1024;

const POINTER = 'docuhook-result:';

export const isResultPointer = (body: string): boolean => body.startsWith(POINTER);

/** The body itself, read from the store when `body` is a pointer. */
export async function resolveBody(store: ResultReader, body: string): Promise<string> {
  return isResultPointer(body) ? store.get(body.slice(POINTER.length)) : body;
}

/** Stores `body` and returns its pointer (a pointer stays as it is). */
export async function storeBody(
  store: ResultStore,
  accountId: string,
  subjectId: string,
  body: string,
): Promise<string> {
  if (isResultPointer(body)) return body;
  const key = resultKey(accountId, subjectId, body);
  await store.put(key, body);
  return POINTER + key;
}

/** The body a delivery message can carry: the body, or its pointer when the message would be too large. */
export async function messageBody(
  store: ResultStore,
  accountId: string,
  subjectId: string,
  body: string,
): Promise<string> {
  // JSON.stringify: the body travels escaped inside the message's JSON.
  if (isResultPointer(body) || Buffer.byteLength(JSON.stringify(body), 'utf8') <= MESSAGE_BODY_LIMIT_BYTES) return body;
  return storeBody(store, accountId, subjectId, body);
}

/**
 * What a document item stores of its result: `data` and `eventBody` as they are, or, when together
 * they would not fit the item, only the pointer (`data` is then read from the stored body).
 */
export async function itemResult(
  store: ResultStore,
  accountId: string,
  documentId: string,
  result: { data?: DocumentData; eventBody: string },
): Promise<{ data?: DocumentData; eventBody: string }> {
  const bytes =
    Buffer.byteLength(result.eventBody, 'utf8') +
    (result.data ? Buffer.byteLength(JSON.stringify(result.data), 'utf8') : 0);
  if (bytes <= ITEM_RESULT_LIMIT_BYTES) return result;
  return { eventBody: await storeBody(store, accountId, documentId, result.eventBody) };
}

/** A completed document's `data`: from the item, or from the stored event body its pointer names. */
export async function documentData(
  store: ResultReader,
  doc: { data?: DocumentData; eventBody?: string },
): Promise<DocumentData | undefined> {
  if (doc.data || !doc.eventBody || !isResultPointer(doc.eventBody)) return doc.data;
  return (JSON.parse(await resolveBody(store, doc.eventBody)) as { data?: DocumentData }).data;
}
