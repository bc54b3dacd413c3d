/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas the API validates
 * requests with and the webhook payload schemas (docs/design.md §2, §4.4). Served at GET /v1/openapi.json.
 */
import * as z from '../z.ts';
import { BatchCompleted, DocumentCompleted, DocumentData, DocumentFailed } from '../events.ts';
import { CreateBatchRequest, CreateUploadRequest, CreateWebhookRequest, RecoverRequest } from './schemas.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const errors = { '4XX': { description: 'Error', ...json('Error') } };

export function openApiDocument(version: string) {
  const op = (summary: string, responses: Record<string, unknown>, body?: string) => ({
    summary,
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses: { ...responses, ...errors },
  });
  const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'docuhook API',
      version,
      description: 'Presigned invoice uploads, extraction results and signed webhook endpoints.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/uploads': {
        post: op(
          'Create a document and its presigned POST',
          { 201: { description: 'Created' } },
          'CreateUploadRequest',
        ),
      },
      '/v1/batches': {
        post: op(
          'Create a batch of documents with presigned POSTs',
          { 201: { description: 'Created' } },
          'CreateBatchRequest',
        ),
      },
      '/v1/batches/{id}': {
        get: { ...op('Batch status and summary', { 200: { description: 'OK' } }), parameters: idParam },
      },
      '/v1/documents': { get: op('List documents, newest first', { 200: { description: 'OK' } }) },
      '/v1/documents/{id}': {
        get: { ...op('Document status with data or error', { 200: { description: 'OK' } }), parameters: idParam },
      },
      '/v1/webhooks': {
        post: op(
          'Create a webhook endpoint (the secret is returned only here)',
          { 201: { description: 'Created' } },
          'CreateWebhookRequest',
        ),
        get: op('List webhook endpoints (no secrets)', { 200: { description: 'OK' } }),
      },
      '/v1/webhooks/{id}': {
        delete: { ...op('Delete an endpoint', { 204: { description: 'Deleted' } }), parameters: idParam },
      },
      '/v1/webhooks/{id}/rotate-secret': {
        post: {
          ...op('Rotate the signing secret; the old one signs for 24 h more', { 200: { description: 'OK' } }),
          parameters: idParam,
        },
      },
      '/v1/webhooks/{id}/test': {
        post: { ...op('Send a signed test event', { 202: { description: 'Queued' } }), parameters: idParam },
      },
      '/v1/webhooks/{id}/deliveries': {
        get: { ...op('The attempt log', { 200: { description: 'OK' } }), parameters: idParam },
      },
      '/v1/webhooks/{id}/recover': {
        post: {
          ...op('Re-send failed deliveries since a time', { 202: { description: 'Queued' } }, 'RecoverRequest'),
          parameters: idParam,
        },
      },
    },
    webhooks: {
      'document.completed': {
        post: { requestBody: json('DocumentCompleted'), responses: { '2XX': { description: 'Accepted' } } },
      },
      'document.failed': {
        post: { requestBody: json('DocumentFailed'), responses: { '2XX': { description: 'Accepted' } } },
      },
      'batch.completed': {
        post: { requestBody: json('BatchCompleted'), responses: { '2XX': { description: 'Accepted' } } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api key>' } },
      schemas: {
        CreateUploadRequest: schema(CreateUploadRequest),
        CreateBatchRequest: schema(CreateBatchRequest),
        CreateWebhookRequest: schema(CreateWebhookRequest),
        RecoverRequest: schema(RecoverRequest),
        DocumentData: schema(DocumentData),
        DocumentCompleted: schema(DocumentCompleted),
        DocumentFailed: schema(DocumentFailed),
        BatchCompleted: schema(BatchCompleted),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  };
}
