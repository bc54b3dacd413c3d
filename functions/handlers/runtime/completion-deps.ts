import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import type { CompletionDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** Completing an asynchronous analysis only ends the document and announces it. */
export function completionDepsFromEnv(): CompletionDeps {
  return {
    ...pipelineDepsFromEnv(),
    results: new S3ResultStore(new S3Client({}), required('UPLOADS_BUCKET')), // write: a result too large for its item or message
  };
}

/** The client that fetches a finished analysis's results. */
export function textractClientFromEnv(): TextractClient {
  return new TextractClient({});
}
