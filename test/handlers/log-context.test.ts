/**
 * Every Lambda handler stamps its log lines with the invocation's context (Powertools'
 * injectLambdaContext): the request id of the invocation that wrote it, and the cold start flag.
 * The contexts come from local mode's own factories, so they are plausible enough for Powertools.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreDeps, ExtractDeps, SignerDeps } from '../../functions/core/deps.ts';
import { createApiHandler } from '../../functions/handlers/api.ts';
import { createExtractHandler } from '../../functions/handlers/extract.ts';
import { powertoolsLogger } from '../../functions/handlers/runtime/powertools-logger.ts';
import { createSignerHandler } from '../../functions/handlers/signer.ts';
import { createTextractCompleteHandler } from '../../functions/handlers/textract-complete.ts';
import { lambdaContext } from '../../local/api-gateway-bridge.ts';
import { createLambdaContext } from '../../local/queue/lambda-event.ts';
import type { TextractClient } from '@aws-sdk/client-textract';
import { startTestRuntime } from '../support/local.ts';
import { REPO_DIR } from '../support/paths.ts';
import { until } from '../support/wait.ts';

type Line = Record<string, unknown>;

/** Powertools writes one JSON object per line to stdout (info) and stderr (warn, error). */
function captureLogs(): Line[] {
  const lines: Line[] = [];
  const grab = (chunk: unknown) => {
    for (const text of String(chunk).split('\n')) if (text.startsWith('{')) lines.push(JSON.parse(text) as Line);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  return lines;
}
afterEach(() => vi.restoreAllMocks());

const sqsContext = (functionName: string) =>
  createLambdaContext({ functionName, timeoutMs: 30_000, awsRegion: 'eu-west-1', complete: () => {} });
const sqsEvent = (body: string): SQSEvent =>
  ({ Records: [{ messageId: 'm-1', body, attributes: { ApproximateReceiveCount: '1' } }] }) as unknown as SQSEvent;

describe('log lines carry the Lambda request id', () => {
  it('extract: each invocation its own request id; a later one is no cold start', async () => {
    const lines = captureLogs();
    const logger = powertoolsLogger();
    const handler = createExtractHandler({ logger } as unknown as ExtractDeps, { maxReceiveCount: 5 });
    const first = sqsContext('docuhook-extract');
    const second = sqsContext('docuhook-extract');
    await handler(sqsEvent('not an S3 event'), first);
    await handler(sqsEvent('still not one'), second);
    const ignored = lines.filter((l) => l.message === 'ignoring an ingest message that is not an S3 event');
    expect(ignored.map((l) => [l.function_request_id, l.cold_start, l.function_name])).toEqual([
      // Cold start is per process, as on Lambda: true only if this is the process's first invocation.
      [first.awsRequestId, expect.any(Boolean), 'docuhook-extract'],
      [second.awsRequestId, false, 'docuhook-extract'],
    ]);
  });

  it('signer and textract-complete', async () => {
    const lines = captureLogs();
    const signerContext = sqsContext('docuhook-signer');
    const signer = createSignerHandler({ logger: powertoolsLogger() } as unknown as SignerDeps, {
      delay: async () => {},
    });
    await signer(sqsEvent('{"malformed":true}'), signerContext);
    const completionContext = sqsContext('docuhook-textract-complete');
    const completion = createTextractCompleteHandler(
      { logger: powertoolsLogger() } as unknown as CoreDeps,
      {} as TextractClient,
      { maxReceiveCount: 5 },
    );
    await completion(sqsEvent('{}'), completionContext);
    expect(lines.find((l) => l.message === 'malformed delivery message')).toMatchObject({
      function_request_id: signerContext.awsRequestId,
      cold_start: expect.any(Boolean),
    });
    expect(lines.find((l) => l.message === 'ignoring a completion message without a job tag')).toMatchObject({
      function_request_id: completionContext.awsRequestId,
    });
  });

  it('API: the line of an unexpected error names the request that hit it', async () => {
    const lines = captureLogs();
    const accounts = {
      findAccountIdByKeyHash: async () => {
        throw new Error('table unavailable');
      },
    };
    const api = createApiHandler({
      logger: powertoolsLogger(),
      accounts,
      settings: { userAgent: 'docuhook/0.0.0' },
    } as unknown as CoreDeps);
    const context: Context = lambdaContext('docuhook-api');
    const event = {
      rawPath: '/v1/webhooks',
      headers: { authorization: 'Bearer dh_key' },
      requestContext: { http: { method: 'GET', path: '/v1/webhooks' } },
    } as unknown as APIGatewayProxyEventV2;
    expect(await api(event, context)).toMatchObject({ statusCode: 500 });
    expect(lines.find((l) => l.message === 'unhandled API error')).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: 'docuhook-api',
      level: 'ERROR',
    });
  });
});

describe('in local mode', () => {
  it('the runtime passes Lambda-like contexts, so a Powertools logger stamps every handler line', async () => {
    const lines = captureLogs();
    const rt = await startTestRuntime({ logger: powertoolsLogger() });
    try {
      await rt.upload(
        new Uint8Array(readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`)),
        'riverside-consulting.pdf',
      );
      await until(() => lines.some((l) => l.message === 'upload processed'));
    } finally {
      await rt.cleanup();
    }
    expect(lines.find((l) => l.message === 'upload processed')).toMatchObject({
      function_name: 'docuhook-extract',
      function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      cold_start: expect.any(Boolean),
    });
  });
});
