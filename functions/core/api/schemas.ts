/** Request bodies of the HTTP API (DESIGN §4), validated here and described in the OpenAPI document. */
import { z } from '../z.ts';
import { Metadata, SubscribableEvent } from '../events.ts';

export const ACCEPTED_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/xml', 'text/xml'] as const;

const Filename = z
  .string()
  .min(1, 'filename must not be empty')
  .max(255, 'filename must be at most 255 characters')
  .refine((s) => !/[\u0000-\u001f\u007f/\\]/.test(s), 'filename must not contain slashes or control characters');

const ContentType = z.string().min(1).max(100).transform((s) => s.toLowerCase().split(';')[0]!.trim());

export const CreateUploadRequest = z.strictObject({
  filename: Filename,
  content_type: ContentType,
  size_bytes: z.number().int().nonnegative().optional(),
  batch_id: z.string().max(64).optional(),
  metadata: Metadata.optional(),
});
export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

export const CreateBatchRequest = z.strictObject({
  documents: z
    .array(z.strictObject({ filename: Filename, content_type: ContentType, size_bytes: z.number().int().nonnegative().optional(), metadata: Metadata.optional() }))
    .min(1, 'documents must list at least one file'),
  metadata: Metadata.optional(),
});
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

export const CreateWebhookRequest = z.strictObject({
  url: z.string().min(1).max(2048),
  events: z.array(SubscribableEvent).max(3).optional(),
  secret: z.string().optional(),
  description: z.string().max(200).optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const RecoverRequest = z.strictObject({
  since: z.iso.datetime({ offset: true, message: 'since must be an ISO 8601 date-time' }),
});
export type RecoverRequest = z.infer<typeof RecoverRequest>;
