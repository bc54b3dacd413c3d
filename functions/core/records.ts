/** The records the core stores and the messages it queues: plain data, no behaviour. */
import type { DocumentData, EventType, FailureCode, Metadata, SubscribableEvent } from './events.ts';

export type DocumentStatus = 'awaiting_upload' | 'processing' | 'completed' | 'failed';

export interface DocumentRecord {
  documentId: string;
  accountId: string;
  batchId?: string;
  status: DocumentStatus;
  filename: string;
  contentType: string;
  /** Byte limit the presigned POST enforced (S3 does; s3rver does not, so extract checks too). */
  maxBytes: number;
  objectKey: string;
  metadata?: Metadata;
  createdAt: string;
  updatedAt: string;
  uploadExpiresAt: string;
  data?: DocumentData;
  error?: { code: FailureCode; message: string };
  /** The final event body exactly as delivered, so every re-publish sends the same bytes (or its pointer, large-results.ts). */
  eventBody?: string;
  /** Set once the final event was fanned out and counted in its batch. */
  announcedAt?: string;
}

export interface BatchRecord {
  batchId: string;
  accountId: string;
  total: number;
  succeeded: number;
  failed: number;
  /** Documents not yet ended; `batch.completed` fires when it reaches 0. */
  pending: number;
  /** Ids of the documents already counted: makes counting idempotent. */
  ended: string[];
  createdAt: string;
  completedAt?: string;
  eventBody?: string;
}

export type EndpointStatus = 'enabled' | 'disabled';

export interface EndpointRecord {
  accountId: string;
  endpointId: string;
  url: string;
  /** Subscribed event types; all when empty. */
  events: SubscribableEvent[];
  description?: string;
  status: EndpointStatus;
  disabledReason?: string;
  /** Start of the current run of continuous failures. */
  failingSince?: string;
  secretName: string;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'held' | 'cancelled';

export interface DeliveryRecord {
  webhookId: string;
  accountId: string;
  endpointId: string;
  eventType: EventType;
  /** The document or batch the event is about. */
  subjectId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  lastStatusCode?: number;
  lastError?: string;
  /** Kept so that `recover` can re-send exactly what failed. */
  body: string;
}

export interface AttemptRecord {
  endpointId: string;
  webhookId: string;
  accountId: string;
  attempt: number;
  at: string;
  eventType: EventType;
  /** HTTP status, or null when no response came back (timeout, refused, blocked). */
  statusCode: number | null;
  latencyMs: number;
  outcome: 'succeeded' | 'failed';
  error?: string;
  responseExcerpt?: string;
}

/** One message per (event, endpoint) on the delivery queue. */
export interface DeliveryMessage {
  webhookId: string;
  accountId: string;
  endpointId: string;
  eventType: EventType;
  subjectId: string;
  /** The event body, or a pointer to it when too large for a message (large-results.ts). */
  body: string;
}
