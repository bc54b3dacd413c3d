/**
 * Reading a delivery queue message. Only docuhook's publisher writes these, so a plain check of
 * the six fields is enough (no schema library in the signer's bundle); anything else is malformed.
 */
import { isEventType } from './event-types.ts';
import { parseJsonObject } from './json-object.ts';
import type { DeliveryMessage } from './records.ts';

const TEXT_FIELDS = ['webhookId', 'accountId', 'endpointId', 'subjectId', 'body'] as const;

export function parseDeliveryMessage(text: string): DeliveryMessage | undefined {
  const record = parseJsonObject(text);
  if (!record || !isEventType(record.eventType)) return undefined;
  if (!TEXT_FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '')) return undefined;
  const { webhookId, accountId, endpointId, eventType, subjectId, body } = record as unknown as DeliveryMessage;
  return { webhookId, accountId, endpointId, eventType, subjectId, body };
}
