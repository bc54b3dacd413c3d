/**
 * The narrow ports the core talks to. AWS adapters (functions/adapters/aws) and local adapters
 * (functions/adapters/local) implement them; the core never imports an SDK.
 */
import type { AnalyzeExpenseResult } from './analyze-expense.ts';
import type { AnalysisError } from './errors.ts';
import type { DocumentData } from './events.ts';
import type {
  AttemptRecord,
  BatchRecord,
  DeliveryMessage,
  DeliveryRecord,
  DeliveryStatus,
  DocumentRecord,
  EndpointRecord,
} from './records.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- stores

export interface AccountStore {
  createAccount(input: { accountId: string; name: string; createdAt: string }): Promise<void>;
  addApiKey(input: { accountId: string; keyHash: string; createdAt: string; label?: string }): Promise<void>;
  findAccountIdByKeyHash(keyHash: string): Promise<string | null>;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface DocumentStore {
  create(doc: DocumentRecord): Promise<void>;
  /** Removes a document no upload URL was handed out for (its batch would not count it); only while awaiting its upload. */
  discard(documentId: string): Promise<void>;
  get(documentId: string): Promise<DocumentRecord | null>;
  listByAccount(accountId: string, options: { limit: number; cursor?: string }): Promise<Page<DocumentRecord>>;
  /** awaiting_upload → processing; no-op for other states. Returns the record as it now is. */
  markProcessing(documentId: string, at: string): Promise<DocumentRecord | null>;
  /** Records the one final outcome; returns false when the document had already ended. */
  finish(
    documentId: string,
    outcome: Pick<DocumentRecord, 'status' | 'data' | 'error' | 'eventBody'> & { at: string },
  ): Promise<boolean>;
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
  // The state changes a delivery or `recover` makes; each is a no-op once the endpoint is deleted.
  /** Starts the endpoint's run of continuous failures at `since` (or moves its start to it). */
  markFailing(accountId: string, endpointId: string, since: string, at: string): Promise<void>;
  /** Ends the run of failures after a success. */
  clearFailing(accountId: string, endpointId: string, at: string): Promise<void>;
  disable(accountId: string, endpointId: string, reason: string, at: string): Promise<void>;
  /** Enables the endpoint again, with no run of failures and no reason for being disabled. */
  enable(accountId: string, endpointId: string, at: string): Promise<void>;
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
export type ClaimResult =
  | { outcome: 'claimed'; attempt: number; attemptsMade: number }
  | { outcome: 'already-succeeded' | 'busy' | 'duplicate' };

/** The delivery state machine: one record per webhook-id, leased while one attempt POSTs. */
export interface DeliveryLeases {
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
  settle(
    webhookId: string,
    changes: {
      status: DeliveryStatus;
      attempts: number;
      at: string;
      lastStatusCode?: number;
      lastError?: string;
      holder?: string;
      copyAttempt?: number;
    },
  ): Promise<void>;
}

/** Every POST made to an endpoint, kept for the API's delivery log (settings.attemptLogDays). */
export interface AttemptLog {
  record(attempt: AttemptRecord): Promise<void>;
  /** Newest first; attempts past their retention (`now`, default the system time) are not returned. */
  list(endpointId: string, options: { limit: number; cursor?: string; now?: Date }): Promise<Page<AttemptRecord>>;
}

/** An endpoint's deliveries since a time, for `recover`. */
export interface DeliveryListing {
  listByEndpoint(endpointId: string, options: { since?: string; limit: number }): Promise<DeliveryRecord[]>;
}

// ---------------------------------------------------------------- services

export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** Issues the browser's upload: a presigned POST for exactly one key, type and size range. */
export interface UploadPresigner {
  presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload>;
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

/** Reads an event body kept outside its item or message (large-results.ts), e.g. the signer's one signed GET. */
export interface ResultReader {
  get(key: string): Promise<string>;
}

/** Keeps event bodies too large for a DynamoDB item or an SQS message (S3 under results/, or s3rver locally). */
export interface ResultStore extends ResultReader {
  /** Writes `body` under `key`; writing the same body to the same key again is harmless. */
  put(key: string, body: string): Promise<void>;
}

export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
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
export interface AnalyseInput {
  bytes: Uint8Array;
  contentType: string;
  filename: string;
  objectKey: string;
}

/**
 * What an analysis came to. `started`: an asynchronous analysis was started instead (Textract
 * StartExpenseAnalysis for multi-page PDFs); the document stays `processing` and the job's
 * completion finishes it through `completeFromAnalysis`. `failed`: the file cannot be read, a
 * typed document failure. Transient faults (throttling, timeouts) are thrown, for the queue to retry.
 */
export type AnalysisResult =
  | { kind: 'completed'; result: AnalyzeExpenseResult }
  | { kind: 'started'; jobId: string }
  | { kind: 'failed'; error: AnalysisError };

export interface Analyser {
  readonly source: 'textract' | 'local';
  /**
   * The analyser reads the stored object itself (Textract, from S3): the extract path then downloads
   * whole only what it must read itself (PDFs and XML, for embedded e-invoices and the page count).
   */
  readonly readsObjectInPlace?: boolean;
  analyse(input: AnalyseInput): Promise<AnalysisResult>;
}

/**
 * E-invoices first (docs/design.md §1.2): the exact XML data of an uploaded CII/UBL file or of a PDF hybrid
 * (Factur-X, ZUGFeRD, XRechnung), or null when the file carries none. Throws AnalysisError for
 * an XML upload that is not a readable e-invoice.
 */
export interface EInvoiceReader {
  read(bytes: Uint8Array, contentType: string): Promise<DocumentData | null>;
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
  post(
    url: string,
    headers: Record<string, string>,
    body: string | Uint8Array,
    options: { timeoutMs: number },
  ): Promise<HttpResult>;
}
