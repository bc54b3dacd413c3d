import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignedS3ResultReader } from '../../adapters/aws/s3-signed-reader.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import { CachedEndpointStore } from '../../core/cached-endpoint-store.ts';
import type { SignerDeps } from '../../core/deps.ts';
import type { MessageVisibility } from '../../core/ports.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The signer reads endpoint secrets and POSTs; of the bucket it reads only large event bodies (results/). */
export async function signerDepsFromEnv(): Promise<{ deps: SignerDeps; visibility: MessageVisibility }> {
  const base = pipelineDepsFromEnv();
  const deps: SignerDeps = {
    ...base,
    endpoints: new CachedEndpointStore(base.endpoints, base.clock),
    // read only: a body too large for its message (a signed GET, without the S3 client's weight)
    results: new SignedS3ResultReader({
      bucket: required('UPLOADS_BUCKET'),
      region: required('AWS_REGION'),
      credentials: fromEnv(),
    }),
    secrets: new SecretsManagerStore(new SecretsManagerClient({})),
    http: new GuardedHttpSender({ allowLoopback: base.settings.localMode }),
  };
  return { deps, visibility: base.deliveryQueue };
}
