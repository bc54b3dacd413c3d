/**
 * The webhook event types (docs/design.md §2.1), as a plain list: events.ts builds its schema from it, and
 * the signer checks queue messages against it without bundling a schema library.
 */
export const EVENT_TYPES = ['document.completed', 'document.failed', 'batch.completed', 'webhook.test'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
