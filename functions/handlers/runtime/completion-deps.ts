import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { ObjectStore, SecretStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** Completing an asynchronous analysis only ends the document and announces it. */
export function completionDepsFromEnv(): CoreDeps {
  return {
    ...pipelineDepsFromEnv(),
    objects: notWired<ObjectStore>('the object store'),
    results: new S3ResultStore(new S3Client({}), required('UPLOADS_BUCKET')), // write: a result too large for its item or message
    presigner: notWired<UploadPresigner>('the upload presigner'),
    secrets: notWired<SecretStore>('the secret store'),
  };
}

/** The client that fetches a finished analysis's results. */
export function textractClientFromEnv(): TextractClient {
  return new TextractClient({});
}
