/** Request bodies of the HTTP API (docs/design.md §4.3), validated here and described in the OpenAPI document. */
import * as z from '../z.ts';
import { Metadata, SubscribableEvent } from '../events.ts';
import { idPattern } from '../ids.ts';

export const ACCEPTED_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'application/xml',
  'text/xml',
] as const;

const Filename = z.string().check(
  z.minLength(1, 'filename must not be empty'),
  z.maxLength(255, 'filename must be at most 255 characters'),
  z.refine((s) => s.trim() !== '', 'filename must not be blank'),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  z.refine((s) => !/[\u0000-\u001f\u007f/\\]/.test(s), 'filename must not contain slashes or control characters'),
);

const ContentType = z.pipe(
  z.string().check(z.minLength(1), z.maxLength(100)),
  z.transform((s: string) => s.toLowerCase().split(';')[0]!.trim()),
);

const SizeBytes = () => z.optional(z.number().check(z.int(), z.nonnegative()));

export const CreateUploadRequest = z.strictObject({
  filename: Filename,
  content_type: ContentType,
  size_bytes: SizeBytes(),
  // Only an id POST /v1/batches could have issued: anything else (even "") never reaches the store.
  batch_id: z.optional(
    z.string().check(z.regex(idPattern('batch'), 'batch_id must be a batch_id returned by POST /v1/batches')),
  ),
  metadata: z.optional(Metadata),
});
export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

export const CreateBatchRequest = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        filename: Filename,
        content_type: ContentType,
        size_bytes: SizeBytes(),
        metadata: z.optional(Metadata),
      }),
    )
    .check(z.minLength(1, 'documents must list at least one file')),
  metadata: z.optional(Metadata),
});
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

export const CreateWebhookRequest = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  events: z.optional(z.array(SubscribableEvent).check(z.maxLength(3))),
  secret: z.optional(z.string()),
  description: z.optional(z.string().check(z.maxLength(200))),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const RecoverRequest = z.strictObject({
  since: z.iso.datetime({ offset: true, message: 'since must be an ISO 8601 date-time' }),
});
export type RecoverRequest = z.infer<typeof RecoverRequest>;
