import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { SecretStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The sweeper checks whether expired uploads arrived after all, and ends the rest. */
export function sweeperDepsFromEnv(): CoreDeps {
  return {
    ...pipelineDepsFromEnv(),
    objects: new S3ObjectStore(new S3Client({}), required('UPLOADS_BUCKET')),
    presigner: notWired<UploadPresigner>('the upload presigner'),
    secrets: notWired<SecretStore>('the secret store'),
  };
}
