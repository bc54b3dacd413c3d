/**
 * Local mode's console logger names the invocation behind each line, `[function request-id]`, as
 * Powertools does on AWS: the request id of the Lambda-like context the local invoker (queue
 * poller, API Gateway bridge, sweeper schedule) created, kept apart for invocations that overlap.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import type { Logger } from '../../functions/core/deps.ts';
import type { AnalyseInput, AnalysisResult } from '../../functions/core/ports.ts';
import { serveThroughLambda } from '../../local/api-gateway-bridge.ts';
import { consoleLogger } from '../../local/logger.ts';
import { startPoller, type Poller } from '../../local/queue/index.ts';
import { startTestRuntime } from '../support/local.ts';
import { REPO_DIR } from '../support/paths.ts';
import { until } from '../support/wait.ts';
import { tempBrokers } from './queue-helpers.ts';

interface Line {
  message: string;
  functionName?: string;
  requestId?: string;
}

/** A console logger at debug level whose lines are parsed into `lines`. */
function capturingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const logger = consoleLogger('debug', (text) => {
    const m = /^\S+ \w+\s+(?:\[(\S+) (\S+)\] )?(.*)$/.exec(text)!;
    lines.push({ functionName: m[1], requestId: m[2], message: m[3]! });
  });
  return { logger, lines };
}

/** A promise with its resolve, to hold one invocation until another has started. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('local-mode log lines carry the invocation’s request id', () => {
  it('queue poller: two overlapping invocations, each line with the id of its own context', async () => {
    const { logger, lines } = capturingLogger();
    const brokers = tempBrokers();
    cleanups.push(() => brokers.cleanup());
    const queue = brokers.open().createQueue('work', { visibilityTimeoutSeconds: 30 });
    const contexts = new Map<string, Context>();
    const secondStarted = signal();
    const handler = async (event: SQSEvent, context: Context) => {
      const body = event.Records[0]!.body;
      contexts.set(body, context);
      logger.info(`${body} started`);
      if (body === 'second') secondStarted.resolve();
      else await secondStarted.promise; // 'first' logs again only once 'second' runs too
      logger.info(`${body} finished`);
    };
    const poller: Poller = startPoller({
      queue,
      handler,
      batchSize: 1,
      concurrency: 2,
      functionName: 'docuhook-test',
      pollWaitMs: 100,
    });
    cleanups.push(() => poller.stop());
    await queue.send({ body: 'first' });
    await until(() => contexts.has('first'), 5_000, 'first invocation');
    await queue.send({ body: 'second' });
    await until(
      () => lines.filter((l) => l.message.endsWith('finished')).length === 2,
      5_000,
      'both invocations finished',
    );

    for (const body of ['first', 'second']) {
      const own = lines.filter((l) => l.message.startsWith(body)).map((l) => [l.functionName, l.requestId]);
      expect(own, body).toEqual([
        ['docuhook-test', contexts.get(body)!.awsRequestId],
        ['docuhook-test', contexts.get(body)!.awsRequestId],
      ]);
    }
    expect(contexts.get('first')!.awsRequestId).not.toBe(contexts.get('second')!.awsRequestId);
  });

  it('API Gateway bridge: overlapping requests keep their own ids; lines outside an invocation carry none', async () => {
    const { logger, lines } = capturingLogger();
    const secondStarted = signal();
    const api = async (event: APIGatewayProxyEventV2, context: Context) => {
      const name = event.rawPath.slice(1);
      logger.info(`${name} started`);
      if (name === 'second') secondStarted.resolve();
      else await secondStarted.promise;
      logger.info(`${name} finished`);
      return { statusCode: 200, body: context.awsRequestId };
    };
    const server: Server = createServer((req, res) => void serveThroughLambda(api, req, res, 'docuhook-api'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const first = fetch(`${url}/first`).then((r) => r.text());
    await until(() => lines.some((l) => l.message === 'first started'), 5_000, 'first request');
    const [firstId, secondId] = await Promise.all([first, fetch(`${url}/second`).then((r) => r.text())]);
    logger.info('after both');

    expect(firstId).toMatch(UUID);
    expect(secondId).toMatch(UUID);
    expect(firstId).not.toBe(secondId);
    expect(lines.map((l) => [l.message, l.functionName, l.requestId])).toEqual([
      ['first started', 'docuhook-api', firstId],
      ['second started', 'docuhook-api', secondId],
      ['second finished', 'docuhook-api', secondId],
      ['first finished', 'docuhook-api', firstId],
      ['after both', undefined, undefined],
    ]);
  });

  it('the local runtime: two documents extracted at once, and the sweeper, each with its own request id', {
    timeout: 60_000,
  }, async () => {
    const { logger, lines } = capturingLogger();
    const started: string[] = [];
    const secondStarted = signal();
    // The real offline analyser, holding the first document until the second one's analysis runs.
    class OverlappingAnalyser extends OfflineAnalyser {
      override async analyse(input: AnalyseInput): Promise<AnalysisResult> {
        const first = started.length === 0;
        started.push(input.objectKey);
        logger.info('analysis started', { key: input.objectKey });
        if (first) await secondStarted.promise;
        else secondStarted.resolve();
        logger.info('analysis resumed', { key: input.objectKey });
        return super.analyse(input);
      }
    }
    const rt = await startTestRuntime({ logger, analyser: new OverlappingAnalyser(), sweepIntervalMs: 100 });
    cleanups.push(() => rt.cleanup());
    const pdf = new Uint8Array(readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`));
    await rt.upload(pdf, 'first.pdf');
    await until(() => started.length === 1, 20_000, 'first analysis');
    await rt.upload(pdf, 'second.pdf');
    await until(
      () => lines.filter((l) => l.message.startsWith('upload processed')).length === 2,
      40_000,
      'both uploads processed',
    );

    const idsOf = (key: string) => {
      const own = lines.filter((l) => l.message.includes(JSON.stringify(key)));
      expect(own.map((l) => l.message.split(' {')[0])).toEqual([
        'analysis started',
        'analysis resumed',
        'upload processed',
      ]);
      expect(new Set(own.map((l) => l.functionName))).toEqual(new Set(['docuhook-extract']));
      return new Set(own.map((l) => l.requestId));
    };
    const [firstIds, secondIds] = started.map(idsOf);
    expect(firstIds!.size).toBe(1);
    expect(secondIds!.size).toBe(1);
    expect([...firstIds!][0]).toMatch(UUID);
    expect([...secondIds!][0]).toMatch(UUID);
    expect([...firstIds!][0]).not.toBe([...secondIds!][0]);

    await until(() => lines.some((l) => l.message.startsWith('sweep done')), 10_000, 'a scheduled sweep');
    const sweep = lines.find((l) => l.message.startsWith('sweep done'))!;
    expect(sweep.functionName).toBe('docuhook-sweeper');
    expect(sweep.requestId).toMatch(UUID);
  });
});
