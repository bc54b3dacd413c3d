import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import type { SqsDeliveryQueue } from '../../adapters/aws/sqs-delivery-queue.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import type { SignerDeps } from '../../core/deps.ts';
import type { ObjectStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The signer reads endpoint secrets and POSTs; of the bucket it reads only large event bodies (results/). */
export async function signerDepsFromEnv(): Promise<{ deps: SignerDeps; visibility: SqsDeliveryQueue }> {
  const base = pipelineDepsFromEnv();
  const deps: SignerDeps = {
    ...base,
    presigner: notWired<UploadPresigner>('the upload presigner'),
    objects: notWired<ObjectStore>('the object store'),
    results: new S3ResultStore(new S3Client({}), required('UPLOADS_BUCKET')), // read: a body too large for its message
    secrets: new SecretsManagerStore(new SecretsManagerClient({})),
    http: new GuardedHttpSender({ allowLoopback: base.settings.localMode }),
  };
  return { deps, visibility: base.deliveryQueue };
}
