/**
 * The narrow ports the core talks to. AWS adapters (functions/adapters/aws) and local adapters
 * (functions/adapters/local) implement them; the core never imports an SDK.
 */
import type { AnalyzeExpenseResult } from './analyze-expense.ts';
import type { DocumentData, EventType, FailureCode, Metadata, SubscribableEvent } from './events.ts';

export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- records

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

// ---------------------------------------------------------------- stores

export interface AccountStore {
  createAccount(input: { accountId: string; name: string; createdAt: string }): Promise<void>;
  addApiKey(input: { accountId: string; keyHash: string; createdAt: string; label?: string }): Promise<void>;
  findAccountIdByKeyHash(keyHash: string): Promise<string | null>;
}

export interface Page<T> { items: T[]; cursor?: string }

export interface DocumentStore {
  create(doc: DocumentRecord): Promise<void>;
  /** Removes a document no upload URL was handed out for (its batch would not count it); only while awaiting its upload. */
  discard(documentId: string): Promise<void>;
  get(documentId: string): Promise<DocumentRecord | null>;
  listByAccount(accountId: string, options: { limit: number; cursor?: string }): Promise<Page<DocumentRecord>>;
  /** awaiting_upload → processing; no-op for other states. Returns the record as it now is. */
  markProcessing(documentId: string, at: string): Promise<DocumentRecord | null>;
  /** Records the one final outcome; returns false when the document had already ended. */
  finish(documentId: string, outcome: Pick<DocumentRecord, 'status' | 'data' | 'error' | 'eventBody'> & { at: string }): Promise<boolean>;
  /** Records that the final event was fanned out, so duplicate S3 events and sweeps need not repeat it. */
  markAnnounced(documentId: string, at: string): Promise<void>;
  /**
   * Documents whose presigned POST expired before `before` and that are still awaiting their upload,
   * or were ended while awaiting it but not yet announced (a sweep failed half-way).
   */
  listExpiredAwaiting(before: string, limit: number): Promise<DocumentRecord[]>;
  /**
   * Documents that started processing before `startedBefore` and are still processing, or have
   * ended since but not yet been announced. Documents announced before are never returned.
   */
  listStuckProcessing(startedBefore: string, limit: number): Promise<DocumentRecord[]>;
}

export interface BatchStore {
  create(batch: BatchRecord): Promise<void>;
  get(batchId: string): Promise<BatchRecord | null>;
  /** Adds one document to a batch that has not completed; 'completed' when it is too late. */
  addDocument(batchId: string, accountId: string): Promise<'added' | 'not-found' | 'completed'>;
  /** Counts one document's outcome once, however often it is called. */
  recordOutcome(batchId: string, documentId: string, outcome: 'succeeded' | 'failed'): Promise<BatchRecord | null>;
  /** Sets completedAt and the event once, only while nothing is pending; true only for the caller that did it. */
  markCompleted(batchId: string, at: string, eventBody: string): Promise<boolean>;
}

export interface EndpointStore {
  put(endpoint: EndpointRecord): Promise<void>;
  get(accountId: string, endpointId: string): Promise<EndpointRecord | null>;
  list(accountId: string): Promise<EndpointRecord[]>;
  delete(accountId: string, endpointId: string): Promise<boolean>;
  update(accountId: string, endpointId: string, changes: Partial<Pick<EndpointRecord, 'status' | 'disabledReason' | 'failingSince' | 'updatedAt' | 'url' | 'events'>>, options?: { removeFailingSince?: boolean; removeDisabledReason?: boolean }): Promise<void>;
}

/**
 * `busy`: another attempt holds the lease (possibly an earlier receive of this same message);
 * `duplicate`: the lease is held by a different copy of the message (`holder` differs), which will
 * itself bring the delivery to an end, so this copy can be dropped without losing anything.
 */
/**
 * `claimed` carries the attempt number this POST will be: attempts are counted in the delivery
 * record per copy of the message (the SQS messageId; a redriven message is a new copy with a fresh
 * budget), so receives that never POST (lease busy, throttling, a store or secret error) use none.
 */
export type ClaimResult = { outcome: 'claimed'; attempt: number; attemptsMade: number } | { outcome: 'already-succeeded' | 'busy' | 'duplicate' };

export interface DeliveryStore {
  /** Creates the record if it does not exist (with the given status); never overwrites one. */
  ensure(message: DeliveryMessage, status: DeliveryStatus, at: string): Promise<void>;
  get(webhookId: string): Promise<DeliveryRecord | null>;
  /**
   * Creates the record if needed and takes a short lease on it, so that two copies of one
   * message cannot both POST; a delivery that already succeeded is never claimed again.
   */
  claim(message: DeliveryMessage, now: Date, leaseSeconds: number, holder?: string): Promise<ClaimResult>;
  /** Marks the delivery held (kept for `recover`) unless it already succeeded; creates it if needed. */
  hold(message: DeliveryMessage, at: string): Promise<void>;
  /** After a POST: `attempts` is the total made; `copyAttempt` the attempt number of this copy (`holder`). */
  settle(webhookId: string, changes: { status: DeliveryStatus; attempts: number; at: string; lastStatusCode?: number; lastError?: string; holder?: string; copyAttempt?: number }): Promise<void>;
  listByEndpoint(endpointId: string, options: { since?: string; limit: number }): Promise<DeliveryRecord[]>;
  recordAttempt(attempt: AttemptRecord): Promise<void>;
  /** Newest first; attempts past their retention (`now`, default the system time) are not returned. */
  listAttempts(endpointId: string, options: { limit: number; cursor?: string; now?: Date }): Promise<Page<AttemptRecord>>;
}

// ---------------------------------------------------------------- services

export interface PresignedUpload { url: string; fields: Record<string, string> }

/** Issues the browser's upload: a presigned POST for exactly one key, type and size range. */
export interface UploadPresigner {
  presignPost(input: { key: string; contentType: string; maxBytes: number; expiresInSeconds: number }): Promise<PresignedUpload>;
}

export interface ObjectHead {
  size: number;
  contentType?: string;
  /** When the object was created; absent when the store does not say. */
  lastModified?: Date;
}

export interface ObjectStore {
  head(key: string): Promise<ObjectHead | null>;
  /** Reads at most `maxBytes` bytes (a range read), so a lying size cannot exhaust memory. */
  read(key: string, maxBytes: number): Promise<Uint8Array>;
}

export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
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

export interface DeliveryQueue {
  send(messages: DeliveryMessage[]): Promise<void>;
}

/**
 * The ingest queue, for re-driving an upload whose S3 ObjectCreated event never arrived: sends the
 * message that event would have produced (S3 → SQS), so the extract function processes the object.
 */
export interface IngestQueue {
  redrive(object: { key: string; size: number }): Promise<void>;
}

/** What the signer can do with a message it received (SQS ChangeMessageVisibility). */
export interface MessageVisibility {
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

/** `bytes`: the whole file, or only its first bytes for an image when the analyser reads the object in place. */
export interface AnalyseInput { bytes: Uint8Array; contentType: string; filename: string; objectKey: string }
export interface Analyser {
  readonly source: 'textract' | 'local';
  /**
   * The analyser reads the stored object itself (Textract, from S3): the extract path then downloads
   * whole only what it must read itself (PDFs and XML, for embedded e-invoices and the page count).
   */
  readonly readsObjectInPlace?: boolean;
  analyse(input: AnalyseInput): Promise<AnalyzeExpenseResult>;
}

/**
 * E-invoices first (docs/design.md §1.2): the exact XML data of an uploaded CII/UBL file or of a PDF hybrid
 * (Factur-X, ZUGFeRD, XRechnung), or null when the file carries none. Throws AnalysisError for
 * an XML upload that is not a readable e-invoice.
 */
export interface EInvoiceReader {
  read(bytes: Uint8Array, contentType: string): Promise<DocumentData | null>;
}

/** A typed failure any analyser may raise; its code ends up in `document.failed`. */
export class AnalysisError extends Error {
  constructor(readonly code: FailureCode, message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

/**
 * Thrown by an analyser that started an asynchronous analysis instead of returning a result
 * (Textract StartExpenseAnalysis for multi-page PDFs). The document stays `processing`; the
 * job's completion notification finishes it through `completeFromAnalysis`.
 */
export class AnalysisStarted extends Error {
  constructor(readonly jobId: string) {
    super(`analysis continues asynchronously (job ${jobId})`);
    this.name = 'AnalysisStarted';
  }
}

export interface HttpResult {
  statusCode: number | null;
  headers: Record<string, string>;
  bodyExcerpt: string;
  latencyMs: number;
  error?: string;
}

export interface HttpSender {
  /** `body` is sent as is (a string as UTF-8): the bytes that were signed. */
  post(url: string, headers: Record<string, string>, body: string | Uint8Array, options: { timeoutMs: number }): Promise<HttpResult>;
}
