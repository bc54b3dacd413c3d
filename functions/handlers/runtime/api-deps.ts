import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import { S3UploadPresigner } from '../../adapters/aws/s3-upload-presigner.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import type { ApiDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The API presigns uploads, manages endpoint secrets and reads large results back. */
export function apiDepsFromEnv(): ApiDeps {
  const s3 = new S3Client({});
  return {
    ...pipelineDepsFromEnv(),
    presigner: new S3UploadPresigner(s3, required('UPLOADS_BUCKET')),
    results: new S3ResultStore(s3, required('UPLOADS_BUCKET')), // read: a large document's data
    secrets: new SecretsManagerStore(new SecretsManagerClient({}), { kmsKeyId: process.env.SECRETS_KMS_KEY_ID }),
  };
}
