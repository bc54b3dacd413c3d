import { TextractClient } from '@aws-sdk/client-textract';
import type { CoreDeps } from '../../core/deps.ts';
import type { ObjectStore, SecretStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv } from './pipeline-deps.ts';

/** Completing an asynchronous analysis only ends the document and announces it. */
export function completionDepsFromEnv(): CoreDeps {
  return {
    ...pipelineDepsFromEnv(),
    objects: notWired<ObjectStore>('the object store'),
    presigner: notWired<UploadPresigner>('the upload presigner'),
    secrets: notWired<SecretStore>('the secret store'),
  };
}

/** The client that fetches a finished analysis's results. */
export function textractClientFromEnv(): TextractClient {
  return new TextractClient({});
}
