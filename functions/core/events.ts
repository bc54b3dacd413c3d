/**
 * Webhook event payloads (DESIGN §2). These field names are the DocuParse format's and are
 * normative: receivers written for it must work unchanged. Additions are allowed; changes are not.
 */
import { z } from './z.ts';

/** "3850.00", "-233.47", "3850" (JPY): a decimal string, `.` separator, no grouping. */
export const Amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'amount must be a plain decimal string');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
/** ISO 8601 UTC with seconds precision and `Z`. */
export const Timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'timestamp must be YYYY-MM-DDTHH:MM:SSZ');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code');

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
  description: z.string().nullable(),
  quantity: z.number().nullable(),
  unit_price: Amount.nullable(),
  total: Amount.nullable(),
});
export type LineItem = z.infer<typeof LineItem>;

export const Warning = z.enum(['TOTALS_MISMATCH', 'LINE_ITEMS_MISMATCH', 'CURRENCY_ASSUMED', 'DATE_AMBIGUOUS']);
export type Warning = z.infer<typeof Warning>;

export const Source = z.enum(['textract', 'local', 'e-invoice']);
export type Source = z.infer<typeof Source>;

/** Per-field confidence, 0..1, for the seed fields that were found. */
export const Confidence = z.record(z.string(), z.number().min(0).max(1));

export const DocumentData = z.object({
  // Seed fields (DocuParse): always present, `null` when unknown, never "".
  document_type: z.enum(['invoice', 'receipt']),
  merchant: z.string().min(1).nullable(),
  invoice_id: z.string().min(1).nullable(),
  date: IsoDate.nullable(),
  due_date: IsoDate.nullable(),
  currency: CurrencyCode.nullable(),
  subtotal: Amount.nullable(),
  tax: Amount.nullable(),
  total: Amount.nullable(),
  payment_method: z.string().min(1).nullable(),
  line_items: z.array(LineItem),
  // Additions (optional, never replacing a seed field).
  vendor_address: z.string().min(1).nullable().optional(),
  vendor_tax_id: z.string().min(1).nullable().optional(),
  customer_name: z.string().min(1).nullable().optional(),
  po_number: z.string().min(1).nullable().optional(),
  payment_terms: z.string().min(1).nullable().optional(),
  amount_due: Amount.nullable().optional(),
  page_count: z.number().int().positive().optional(),
  confidence: Confidence.optional(),
  warnings: z.array(Warning).optional(),
  source: Source.optional(),
});
export type DocumentData = z.infer<typeof DocumentData>;

export const Metadata = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 20, 'metadata allows at most 20 keys');
export type Metadata = z.infer<typeof Metadata>;

const envelope = {
  timestamp: Timestamp,
  batch_id: z.string().optional(),
  metadata: Metadata.optional(),
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
  error: z.object({ code: FailureCode, message: z.string().min(1) }),
});
export const BatchCompleted = z.object({
  event: z.literal('batch.completed'),
  batch_id: z.string(),
  timestamp: Timestamp,
  summary: z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }),
});
/** Sent by `POST /v1/webhooks/{id}/test`; not a document event. */
export const WebhookTest = z.object({
  event: z.literal('webhook.test'),
  webhook_id: z.string(),
  timestamp: Timestamp,
  message: z.string(),
});

export const WebhookEvent = z.discriminatedUnion('event', [DocumentCompleted, DocumentFailed, BatchCompleted, WebhookTest]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export type DocumentCompleted = z.infer<typeof DocumentCompleted>;
export type DocumentFailed = z.infer<typeof DocumentFailed>;
export type BatchCompleted = z.infer<typeof BatchCompleted>;

/** Event types a webhook endpoint can subscribe to. */
export const SubscribableEvent = z.enum(['document.completed', 'document.failed', 'batch.completed']);
export type SubscribableEvent = z.infer<typeof SubscribableEvent>;
export const EventType = z.enum(['document.completed', 'document.failed', 'batch.completed', 'webhook.test']);
export type EventType = z.infer<typeof EventType>;

/** Seconds-precision UTC, as the contract wants ("2026-05-19T14:32:00Z"). */
export function toTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
