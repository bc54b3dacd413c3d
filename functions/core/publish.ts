/**
 * Fan-out: one delivery message per (event, subscribed endpoint). Safe to repeat: the webhook-id
 * is derived from the event and the endpoint, and the signer never delivers a succeeded id twice.
 */
import type { CoreDeps } from './deps.ts';
import type { EventType, SubscribableEvent } from './events.ts';
import { deliveryId } from './ids.ts';
import { messageBody } from './large-results.ts';
import type { DeliveryMessage, EndpointRecord } from './records.ts';

export interface PublishInput {
  accountId: string;
  eventType: SubscribableEvent;
  /** Identifies the event itself, e.g. `doc_123:document.completed`. */
  eventKey: string;
  subjectId: string;
  body: string;
}

/** `results`: an event body too large for a message is stored and the messages carry its pointer. */
export type PublishDeps = Pick<CoreDeps, 'endpoints' | 'deliveries' | 'deliveryQueue' | 'results' | 'clock'>;

export function subscribes(endpoint: EndpointRecord, eventType: EventType): boolean {
  return endpoint.events.length === 0 || (endpoint.events as string[]).includes(eventType);
}

export async function publishEvent(deps: PublishDeps, input: PublishInput): Promise<{ queued: number; held: number }> {
  const endpoints = (await deps.endpoints.list(input.accountId)).filter((e) => subscribes(e, input.eventType));
  const queued: DeliveryMessage[] = [];
  let held = 0;
  const at = deps.clock.now().toISOString();
  // One body for every endpoint: a pointer when it would not fit a message (large-results.ts).
  const body =
    endpoints.length === 0 ? input.body : await messageBody(deps.results, input.accountId, input.subjectId, input.body);
  for (const endpoint of endpoints) {
    const message: DeliveryMessage = {
      webhookId: deliveryId(input.eventKey, endpoint.endpointId),
      accountId: input.accountId,
      endpointId: endpoint.endpointId,
      eventType: input.eventType,
      subjectId: input.subjectId,
      body,
    };
    if (endpoint.status === 'enabled') queued.push(message);
    else {
      // A disabled endpoint keeps its events: `recover` sends them once it is enabled again.
      await deps.deliveries.ensure(message, 'held', at);
      held++;
    }
  }
  if (queued.length > 0) await deps.deliveryQueue.send(queued);
  return { queued: queued.length, held };
}
