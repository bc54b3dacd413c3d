import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3UploadPresigner } from '../../adapters/aws/s3-upload-presigner.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import type { ApiDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** The API presigns uploads and manages endpoint secrets. */
export function apiDepsFromEnv(): ApiDeps {
  return {
    ...pipelineDepsFromEnv(),
    presigner: new S3UploadPresigner(new S3Client({}), required('UPLOADS_BUCKET')),
    secrets: new SecretsManagerStore(new SecretsManagerClient({}), { kmsKeyId: process.env.SECRETS_KMS_KEY_ID }),
  };
}
