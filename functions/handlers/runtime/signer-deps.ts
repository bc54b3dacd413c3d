import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignedS3ResultReader } from '../../adapters/aws/s3-signed-reader.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import type { SqsDeliveryQueue } from '../../adapters/aws/sqs-delivery-queue.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import type { SignerDeps } from '../../core/deps.ts';
import type { ResultStore } from '../../core/large-results.ts';
import type { ObjectStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The signer reads endpoint secrets and POSTs; of the bucket it reads only large event bodies (results/). */
export async function signerDepsFromEnv(): Promise<{ deps: SignerDeps; visibility: SqsDeliveryQueue }> {
  const base = pipelineDepsFromEnv();
  const reader = new SignedS3ResultReader({ bucket: required('UPLOADS_BUCKET'), region: required('AWS_REGION'), credentials: fromEnv() });
  const deps: SignerDeps = {
    ...base,
    presigner: notWired<UploadPresigner>('the upload presigner'),
    objects: notWired<ObjectStore>('the object store'),
    results: {
      // read only: a body too large for its message (a signed GET, without the S3 client's weight)
      get: (key) => reader.get(key),
      put: notWired<ResultStore>('writing results').put,
    },
    secrets: new SecretsManagerStore(new SecretsManagerClient({})),
    http: new GuardedHttpSender({ allowLoopback: base.settings.localMode }),
  };
  return { deps, visibility: base.deliveryQueue };
}
