/**
 * Verifies a browser's presigned POST upload as S3 does: the policy's signature (SigV4, upload
 * credentials), its expiry, and every condition — bucket, key, content-length-range, Content-Type
 * and any other field; each form field must be covered by a condition. The form is then rebuilt
 * from what was checked, so s3rver's own parser sees exactly that.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StandInCredentials } from './credentials.ts';
import { isSafeObjectKey } from './object-keys.ts';

export interface UploadForm {
  fields: [name: string, value: string][];
  file: File;
}

/** Fields (names as sent, in order) and the one file; undefined for a malformed or ambiguous form. */
export async function readUploadForm(body: Buffer, contentType: string): Promise<UploadForm | undefined> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const fields: [string, string][] = [];
  const files: [string, File][] = [];
  const seen = new Set<string>();
  let repeated = false; // which copy would s3rver take?
  form.forEach((value, name) => {
    repeated ||= seen.has(name.toLowerCase());
    seen.add(name.toLowerCase());
    if (typeof value === 'string') fields.push([name, value]);
    else files.push([name, value]);
  });
  if (repeated) return undefined;
  if (files.length !== 1 || files[0]![0] !== 'file') return undefined;
  return { fields, file: files[0]![1] };
}

export function uploadBody(form: UploadForm): { body: Promise<ArrayBuffer>; contentType: string } {
  const clean = new FormData();
  for (const [name, value] of form.fields) clean.append(name, value);
  clean.append('file', form.file, 'upload');
  const response = new Response(clean);
  return { body: response.arrayBuffer(), contentType: response.headers.get('content-type')! };
}

type Condition = Record<string, unknown> | unknown[];
interface Policy {
  expiration: string;
  conditions: Condition[];
}
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file']);

/** Why the upload is refused, or undefined when S3 would take it. */
export function postPolicyProblem(
  form: UploadForm,
  target: { bucket: string; credentials: StandInCredentials; now?: number },
): string | undefined {
  const field = fieldReader(form);
  if (field('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') return 'unsupported x-amz-algorithm';
  const scope = /^([^/]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request$/.exec(field('x-amz-credential') ?? '');
  if (!scope || scope[1] !== target.credentials.accessKeyId) return 'unknown x-amz-credential';
  if (!(field('x-amz-date') ?? '').startsWith(scope[2]!)) return 'x-amz-date does not match the credential scope';
  const encoded = field('policy') ?? '';
  const signature = Buffer.from(field('x-amz-signature') ?? '');
  const expected = Buffer.from(policySignature(target.credentials.secretAccessKey, scope[2]!, scope[3]!, encoded));
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected))
    return 'the policy signature does not match';
  const policy = decodePolicy(encoded);
  if (!policy) return 'malformed policy';
  if (!(Date.parse(policy.expiration) > (target.now ?? Date.now()))) return 'the policy has expired';
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    const problem = conditionProblem(condition, { field, bucket: target.bucket, size: form.file.size, covered });
    if (problem) return problem;
  }
  if (!covered.has('bucket')) return 'the policy names no bucket';
  const uncovered = form.fields
    .map(([name]) => name.toLowerCase())
    .find((name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name));
  if (uncovered) return `the policy has no condition for the field ${uncovered}`;
  const key = field('key');
  if (key === undefined || !covered.has('key')) return 'the form has no key';
  if (!isSafeObjectKey(key)) return 'the key is not a plain relative path';
  return undefined;
}

function fieldReader(form: UploadForm): (name: string) => string | undefined {
  const byName = new Map(form.fields.map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => byName.get(name.toLowerCase());
}

function policySignature(secret: string, date: string, region: string, policy: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = ['s3', 'aws4_request'].reduce(
    (key, part) => hmac(key, part),
    hmac(hmac(`AWS4${secret}`, date), region),
  );
  return createHmac('sha256', signingKey).update(policy).digest('hex');
}

function decodePolicy(encoded: string): Policy | undefined {
  try {
    const policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<Policy>;
    return typeof policy.expiration === 'string' && Array.isArray(policy.conditions) ? (policy as Policy) : undefined;
  } catch {
    return undefined;
  }
}

interface ConditionContext {
  field(name: string): string | undefined;
  bucket: string;
  size: number;
  covered: Set<string>;
}

function conditionProblem(condition: Condition, ctx: ConditionContext): string | undefined {
  if (Array.isArray(condition)) {
    const [op, subject, value] = condition as [unknown, unknown, unknown];
    if (op === 'content-length-range') {
      const inRange =
        typeof subject === 'number' && typeof value === 'number' && ctx.size >= subject && ctx.size <= value;
      return inRange ? undefined : 'the file size is outside content-length-range';
    }
    if (
      (op !== 'eq' && op !== 'starts-with') ||
      typeof subject !== 'string' ||
      !subject.startsWith('$') ||
      typeof value !== 'string'
    )
      return 'malformed policy condition';
    return matchProblem(
      subject.slice(1).toLowerCase(),
      (actual) => (op === 'eq' ? actual === value : actual.startsWith(value)),
      ctx,
    );
  }
  const entries = Object.entries(condition ?? {});
  if (entries.length !== 1 || typeof entries[0]![1] !== 'string') return 'malformed policy condition';
  const [name, value] = entries[0]! as [string, string];
  return matchProblem(name.toLowerCase(), (actual) => actual === value, ctx);
}

function matchProblem(name: string, matches: (actual: string) => boolean, ctx: ConditionContext): string | undefined {
  ctx.covered.add(name);
  const actual = name === 'bucket' ? ctx.bucket : ctx.field(name);
  if (name === 'bucket' && ctx.field('bucket') !== undefined && ctx.field('bucket') !== ctx.bucket)
    return 'the bucket field does not match the bucket';
  return matches(actual ?? '') ? undefined : `the policy condition on ${name} does not hold`;
}
