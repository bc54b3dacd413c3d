/**
 * What local mode's DynamoDB and S3 stand-ins let through — what AWS would. They listen on
 * loopback, which any page the developer opens and any local process can reach, and neither
 * dynalite nor s3rver checks credentials or POST policies. So every request must carry a valid
 * SigV4 signature made with this run's secret (docuhook's own SDK clients; their requests never
 * carry an Origin header), except the one thing browsers are meant to do: a presigned POST upload
 * to the bucket, whose policy is verified as S3 does, and its preflight. Object keys must be plain
 * relative paths.
 */
import type { StandInCredentials } from './stand-ins/credentials.ts';
import type { Decision, Rule } from './stand-ins/front-door.ts';
import { isSafeObjectKey, s3Target } from './stand-ins/object-keys.ts';
import { postPolicyProblem, readUploadForm, uploadBody } from './stand-ins/post-policy.ts';
import { hasValidSignature, type BufferedRequest } from './stand-ins/sigv4.ts';

const pass = (req: BufferedRequest): Decision => ({ forward: req });

async function signedProblem(
  req: BufferedRequest,
  credentials: StandInCredentials,
  service: 'dynamodb' | 's3',
): Promise<string | undefined> {
  if (req.headers.origin !== undefined) return 'requests from web pages are refused';
  if (!(await hasValidSignature(req, credentials, service)))
    return "the request is not signed with this run's credentials";
  return undefined;
}

/** dynalite: signed SDK requests only (DynamoDB's protocol is a POST per operation). */
export function dynamoRule(credentials: StandInCredentials): Rule {
  return async (req) => {
    if (req.method !== 'POST') return { refuse: 'DynamoDB takes POST only' };
    const problem = await signedProblem(req, credentials, 'dynamodb');
    return problem ? { refuse: problem } : pass(req);
  };
}

export interface S3Access {
  bucket: string;
  credentials: StandInCredentials;
  uploadCredentials: StandInCredentials;
}

/** s3rver: signed SDK requests on the bucket, and browser uploads by presigned POST with their preflight. */
export function s3Rule(access: S3Access): Rule {
  return async (req) => {
    if (req.headers.authorization !== undefined) return signedS3(req, access);
    const uploadUrl = req.url === `/${access.bucket}`;
    if (req.method === 'OPTIONS') {
      const preflightOk = uploadUrl && String(req.headers['access-control-request-method']).toUpperCase() === 'POST';
      return preflightOk ? pass(req) : { refuse: 'browsers may only POST uploads' };
    }
    if (req.method === 'POST' && uploadUrl) return presignedUpload(req, access);
    return { refuse: 'unsigned request' };
  };
}

async function signedS3(req: BufferedRequest, access: S3Access): Promise<Decision> {
  const problem = await signedProblem(req, access.credentials, 's3');
  if (problem) return { refuse: problem };
  const target = s3Target(req.url.split('?')[0]!);
  if (target?.bucket !== access.bucket) return { refuse: `only the bucket ${access.bucket} is served` };
  if (target.key !== undefined && !isSafeObjectKey(target.key))
    return { refuse: 'the key is not a plain relative path' };
  // Checked here; s3rver would check it again against its built-in S3RVER account only.
  const { authorization: _checked, ...headers } = req.headers;
  return { forward: { ...req, headers } };
}

async function presignedUpload(req: BufferedRequest, access: S3Access): Promise<Decision> {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('multipart/form-data'))
    return { refuse: 'an upload is a multipart/form-data POST' };
  const form = await readUploadForm(req.body, contentType);
  if (!form) return { refuse: 'malformed upload form (one file field named "file", no repeated fields)' };
  const problem = postPolicyProblem(form, { bucket: access.bucket, credentials: access.uploadCredentials });
  if (problem) return { refuse: problem };
  const rebuilt = uploadBody(form);
  const headers = { ...req.headers, 'content-type': rebuilt.contentType };
  return { forward: { ...req, headers, body: Buffer.from(await rebuilt.body) } };
}
