import { describe, expect, it } from 'vitest';
import { parseDeliveryMessage } from '../../functions/core/delivery-message.ts';
import { EVENT_TYPES } from '../../functions/core/event-types.ts';
import { EventType } from '../../functions/core/events.ts';

const valid = {
  webhookId: 'msg_1',
  accountId: 'acc_1',
  endpointId: 'ep_1',
  eventType: 'document.completed',
  subjectId: 'doc_1',
  body: '{"event":"document.completed"}',
};

describe('parseDeliveryMessage', () => {
  it('reads a message the publisher wrote, keeping only its six fields', () => {
    expect(parseDeliveryMessage(JSON.stringify({ ...valid, extra: 'ignored' }))).toEqual(valid);
  });

  it.each([
    ['not JSON', '{"webhookId":'],
    ['JSON null', 'null'],
    ['an array', JSON.stringify([valid])],
    ['a string', JSON.stringify('msg')],
    ['a wrong field type', JSON.stringify({ ...valid, webhookId: 42 })],
    ['an empty field', JSON.stringify({ ...valid, body: '' })],
    ['a missing field', JSON.stringify({ ...valid, subjectId: undefined })],
    ['an unknown event type', JSON.stringify({ ...valid, eventType: 'document.deleted' })],
    ['an inherited event type', JSON.stringify({ ...valid, eventType: 'toString' })],
  ])('rejects %s', (_, text) => {
    expect(parseDeliveryMessage(text)).toBeUndefined();
  });

  it('knows the same event types as the payload schema', () => {
    for (const type of EVENT_TYPES) expect(EventType.safeParse(type).success).toBe(true);
    expect(EventType.options).toEqual([...EVENT_TYPES]);
  });
});
