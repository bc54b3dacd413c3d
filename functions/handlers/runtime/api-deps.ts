import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import { S3UploadPresigner } from '../../adapters/aws/s3-upload-presigner.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The API presigns uploads and manages endpoint secrets. */
export function apiDepsFromEnv(): CoreDeps {
  const s3 = new S3Client({});
  return {
    ...pipelineDepsFromEnv(),
    objects: new S3ObjectStore(s3, required('UPLOADS_BUCKET')),
    presigner: new S3UploadPresigner(s3, required('UPLOADS_BUCKET')),
    results: new S3ResultStore(s3, required('UPLOADS_BUCKET')), // read: a large document's data
    secrets: new SecretsManagerStore(new SecretsManagerClient({}), { kmsKeyId: process.env.SECRETS_KMS_KEY_ID }),
  };
}
