import type * as z from '../z.ts';
import type { core } from 'zod/mini';
import { ApiError, notFound } from '../api-error.ts';
import { isWellFormedId, type IdKind } from '../ids.ts';

/** Parses a request body with a schema; the message names each offending field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('VALIDATION_ERROR', 'The request body must be a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}${ofFile(body, i.path)}: ${messageOf(i)}` : messageOf(i)))
    .join('; ');
  throw new ApiError('VALIDATION_ERROR', `Invalid request: ${detail}.`);
}

type ZodIssue = core.$ZodIssue;

/** A refused record key says why (its key schema's message), not only "Invalid key in record". */
function messageOf(issue: ZodIssue): string {
  return issue.code === 'invalid_key' && issue.issues.length > 0
    ? issue.issues.map((i) => i.message).join(', ')
    : issue.message;
}

/**
 * ` of "<filename>"` when the offending field belongs to a file entry (an upload, a batch's
 * document) whose filename is readable: "documents.1.size_bytes" alone does not say which file.
 */
function ofFile(body: object, path: readonly PropertyKey[]): string {
  if (path.at(-1) === 'filename') return '';
  let filename: unknown;
  let node: unknown = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') break;
    if (typeof (node as { filename?: unknown }).filename === 'string')
      filename = (node as { filename: string }).filename;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return typeof filename === 'string' && filename.length <= 255 ? ` of ${JSON.stringify(filename)}` : '';
}

/** `?limit=` for list routes: a whole number from 1 to 100, default 50. */
export function parseLimit(raw: string | undefined): number {
  const limit = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new ApiError('VALIDATION_ERROR', 'limit must be a whole number from 1 to 100.');
  return limit;
}

/**
 * The `{id}` of a path, still percent-encoded. An id that is not one this API could have issued
 * (undecodable, of another kind, too long for a store key) names nothing, so it is not found,
 * decided here before any store sees it.
 */
export function parsePathId(raw: string, kind: IdKind, what: string): string {
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // Malformed percent-encoding: the raw text keeps its '%', which no id contains.
  }
  if (isWellFormedId(id, kind)) return id;
  throw notFound(`${what} ${id.length > 64 ? `${id.slice(0, 64)}…` : id}`);
}
