import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import { SqsIngestQueue } from '../../adapters/aws/sqs-ingest-queue.ts';
import type { SweeperDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/**
 * The sweeper checks whether expired uploads arrived after all, re-drives those whose S3 event was
 * lost onto the ingest queue, and ends the rest.
 */
export function sweeperDepsFromEnv(): SweeperDeps {
  const bucket = required('UPLOADS_BUCKET');
  const s3 = new S3Client({});
  return {
    ...pipelineDepsFromEnv(),
    objects: new S3ObjectStore(s3, bucket),
    results: new S3ResultStore(s3, bucket), // write: re-announcing a result too large for a message
    ingestQueue: new SqsIngestQueue(new SQSClient({}), required('INGEST_QUEUE_URL'), bucket),
  };
}
