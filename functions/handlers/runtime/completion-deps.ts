import { TextractClient } from '@aws-sdk/client-textract';
import type { CompletionDeps } from '../../core/deps.ts';
import { pipelineDepsFromEnv } from './pipeline-deps.ts';

/** Completing an asynchronous analysis only ends the document and announces it. */
export function completionDepsFromEnv(): CompletionDeps {
  return pipelineDepsFromEnv();
}

/** The client that fetches a finished analysis's results. */
export function textractClientFromEnv(): TextractClient {
  return new TextractClient({});
}
