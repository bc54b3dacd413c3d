/**
 * Webhook event payloads (docs/design.md §2). These field names are the DocuParse format's and are
 * normative: receivers written for it must work unchanged. Additions are allowed; changes are not.
 */
import { EVENT_TYPES } from './event-types.ts';
import * as z from './z.ts';

/** "3850.00", "-233.47", "3850" (JPY): a decimal string, `.` separator, no grouping. */
export const Amount = z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'amount must be a plain decimal string'));
export const IsoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'));
/** ISO 8601 UTC with seconds precision and `Z`. */
export const Timestamp = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'timestamp must be YYYY-MM-DDTHH:MM:SSZ'));
export const CurrencyCode = z.string().check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code'));

export const FailureCode = z.enum([
  'EXTRACTION_FAILED',
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'PASSWORD_PROTECTED',
  'TOO_MANY_PAGES',
  'NOT_AN_INVOICE',
  'UPLOAD_EXPIRED',
  'INTERNAL_ERROR',
]);
export type FailureCode = z.infer<typeof FailureCode>;

export const LineItem = z.object({
  description: z.nullable(z.string()),
  quantity: z.nullable(z.number()),
  unit_price: z.nullable(Amount),
  total: z.nullable(Amount),
});
export type LineItem = z.infer<typeof LineItem>;

export const Warning = z.enum([
  'TOTALS_MISMATCH',
  'LINE_ITEMS_MISMATCH',
  'CURRENCY_ASSUMED',
  'DATE_AMBIGUOUS',
  'LOW_CONFIDENCE',
]);
export type Warning = z.infer<typeof Warning>;

export const Source = z.enum(['textract', 'local', 'e-invoice']);
export type Source = z.infer<typeof Source>;

/** Per-field confidence, 0..1, for the seed fields that were found. */
export const Confidence = z.record(z.string(), z.number().check(z.gte(0), z.lte(1)));

/** A non-empty string. */
const NonEmpty = () => z.string().check(z.minLength(1));

export const DocumentData = z.object({
  // Seed fields (DocuParse): always present, `null` when unknown, never "".
  document_type: z.enum(['invoice', 'receipt']),
  merchant: z.nullable(NonEmpty()),
  invoice_id: z.nullable(NonEmpty()),
  date: z.nullable(IsoDate),
  due_date: z.nullable(IsoDate),
  currency: z.nullable(CurrencyCode),
  subtotal: z.nullable(Amount),
  tax: z.nullable(Amount),
  total: z.nullable(Amount),
  payment_method: z.nullable(NonEmpty()),
  line_items: z.array(LineItem),
  // Additions (optional, never replacing a seed field).
  vendor_address: z.optional(z.nullable(NonEmpty())),
  vendor_tax_id: z.optional(z.nullable(NonEmpty())),
  customer_name: z.optional(z.nullable(NonEmpty())),
  po_number: z.optional(z.nullable(NonEmpty())),
  payment_terms: z.optional(z.nullable(NonEmpty())),
  amount_due: z.optional(z.nullable(Amount)),
  page_count: z.optional(z.number().check(z.int(), z.positive())),
  confidence: z.optional(Confidence),
  warnings: z.optional(z.array(Warning)),
  source: z.optional(Source),
});
export type DocumentData = z.infer<typeof DocumentData>;

/**
 * Names every plain object already has (constructor, toString, …): as keys they break code that
 * reads them as the built-ins (the DynamoDB marshaller). zod itself drops a `__proto__` key.
 */
const OBJECT_BUILT_INS = new Set(Object.getOwnPropertyNames(Object.prototype));
const MetadataKey = z.string().check(
  z.maxLength(64),
  z.refine((key) => !OBJECT_BUILT_INS.has(key), {
    error: (issue) => `metadata key "${String(issue.input)}" is reserved (a built-in name of JavaScript objects)`,
  }),
);

export const Metadata = z
  .record(MetadataKey, z.union([z.string().check(z.maxLength(512)), z.number(), z.boolean(), z.null()]))
  .check(z.refine((m) => Object.keys(m).length <= 20, 'metadata allows at most 20 keys'));
export type Metadata = z.infer<typeof Metadata>;

const envelope = {
  timestamp: Timestamp,
  batch_id: z.optional(z.string()),
  metadata: z.optional(Metadata),
};

export const DocumentCompleted = z.object({
  event: z.literal('document.completed'),
  document_id: z.string(),
  ...envelope,
  data: DocumentData,
});
export const DocumentFailed = z.object({
  event: z.literal('document.failed'),
  document_id: z.string(),
  ...envelope,
  error: z.object({ code: FailureCode, message: NonEmpty() }),
});
export const BatchCompleted = z.object({
  event: z.literal('batch.completed'),
  batch_id: z.string(),
  timestamp: Timestamp,
  summary: z.object({
    total: z.number().check(z.int()),
    succeeded: z.number().check(z.int()),
    failed: z.number().check(z.int()),
  }),
});
/** Sent by `POST /v1/webhooks/{id}/test`; not a document event. */
export const WebhookTest = z.object({
  event: z.literal('webhook.test'),
  webhook_id: z.string(),
  timestamp: Timestamp,
  message: z.string(),
});

export const WebhookEvent = z.discriminatedUnion('event', [
  DocumentCompleted,
  DocumentFailed,
  BatchCompleted,
  WebhookTest,
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export type DocumentCompleted = z.infer<typeof DocumentCompleted>;
export type DocumentFailed = z.infer<typeof DocumentFailed>;
export type BatchCompleted = z.infer<typeof BatchCompleted>;

/** Event types a webhook endpoint can subscribe to. */
export const SubscribableEvent = z.enum(['document.completed', 'document.failed', 'batch.completed']);
export type SubscribableEvent = z.infer<typeof SubscribableEvent>;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** Seconds-precision UTC, as the contract wants ("2026-05-19T14:32:00Z"). */
export function toTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
