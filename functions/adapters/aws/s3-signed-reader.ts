/**
 * Reads large event bodies (results/) with one SigV4-signed GET, for the signer: the S3 client
 * would add ≈ 185 KB to a bundle whose only S3 call is this one (README, bench:bundles). The
 * request is signed by the SDK's own signer (@smithy/signature-v4) with the function's credentials.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { ResultReader } from '../../core/ports.ts';
import { NodeSha256, sha256Hex } from '../sha256.ts';

export interface SignedS3ReaderOptions {
  bucket: string;
  region: string;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  /** A path-style endpoint (the local S3 stand-in); default the bucket's virtual-hosted AWS endpoint. */
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
}

const EMPTY_BODY_SHA256 = sha256Hex(Buffer.alloc(0));

export class SignedS3ResultReader implements ResultReader {
  private readonly signer: SignatureV4;

  constructor(private readonly options: SignedS3ReaderOptions) {
    this.signer = new SignatureV4({
      service: 's3',
      region: options.region,
      credentials: options.credentials,
      sha256: NodeSha256,
      uriEscapePath: false,
    });
  }

  async get(key: string): Promise<string> {
    const path = key.split('/').map(encodeURIComponent).join('/');
    const url = this.options.endpoint
      ? new URL(`${this.options.endpoint.replace(/\/$/, '')}/${this.options.bucket}/${path}`)
      : new URL(`https://${this.options.bucket}.s3.${this.options.region}.amazonaws.com/${path}`);
    const signed = await this.signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'x-amz-content-sha256': EMPTY_BODY_SHA256 },
    });
    const res = await (this.options.fetch ?? fetch)(url, { headers: signed.headers });
    const text = await res.text();
    if (!res.ok) throw new Error(`S3 GET ${key} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    return text;
  }
}
