/**
 * Checks a request's AWS Signature Version 4 (Authorization header) the way AWS does: the signer
 * re-signs the request with the secret we know and the signature must match, the date must be within
 * 15 minutes, and a declared payload hash (S3 always declares one) must be the body's.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { StandInCredentials } from './credentials.ts';
import { NodeSha256, sha256Hex } from '../../functions/adapters/sha256.ts';

export interface BufferedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export async function hasValidSignature(
  req: BufferedRequest,
  credentials: StandInCredentials,
  service: 'dynamodb' | 's3',
  now = Date.now(),
): Promise<boolean> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
  if (!match) return false;
  const [, accessKeyId, shortDate, region, signedService, signedHeaderList, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId || signedService !== service) return false;
  const signingDate = amzDate(req.headers['x-amz-date']);
  if (
    !signingDate ||
    !String(req.headers['x-amz-date']).startsWith(shortDate!) ||
    Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS
  )
    return false;
  const signed = signedHeaderList!.split(';');
  const headers = signedHeaders(req.headers, signed);
  if (!headers || !signed.includes('host')) return false;
  // The signer takes a declared payload hash on trust; S3 always declares one.
  const declared = headers['x-amz-content-sha256'];
  if ((service === 's3' || declared !== undefined) && declared !== sha256Hex(req.body)) return false;
  const [path, search = ''] = req.url.split('?', 2) as [string, string?];
  const signer = new SignatureV4({
    credentials,
    region: region!,
    service,
    sha256: NodeSha256,
    uriEscapePath: service !== 's3',
    applyChecksum: signed.includes('x-amz-content-sha256'),
  });
  const resigned = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: 'stand-in',
      path,
      query: queryOf(search),
      headers,
      body: req.body,
    },
    { signingDate, signableHeaders: new Set(signed) },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1];
  return expected !== undefined && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
}

function amzDate(value: unknown): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Only the headers the client signed, each present; undefined when one is missing. */
function signedHeaders(all: IncomingHttpHeaders, names: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = all[name];
    if (value === undefined) return undefined;
    out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const prior = query[key];
    query[key] = prior === undefined ? value : [...[prior].flat(), value];
  }
  return query;
}
