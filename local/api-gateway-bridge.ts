/**
 * Turns Node HTTP requests into API Gateway HTTP API (payload v2) events and writes the Lambda's
 * result back, so the unchanged API handler serves local requests.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { runInvocation } from './invocation-context.ts';
import { readBody } from './read-body.ts';
import { LOCAL_REGION } from './queue/limits.ts';
import { createLambdaContext } from './queue/lambda-event.ts';

export type ApiLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

const MAX_BODY_BYTES = 1024 * 1024; // below API Gateway's 10 MB; the API itself caps JSON at 256 KB
const API_TIMEOUT_MS = 29_000; // API Gateway's integration timeout

export async function toApiGatewayEvent(req: IncomingMessage): Promise<APIGatewayProxyEventV2 | 'too-large'> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === 'too-large') return body;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
  };
}

/** The context API Gateway's Lambda gets: the same Lambda-like context the queue pollers pass. */
export function lambdaContext(functionName: string): Context {
  return createLambdaContext({ functionName, timeoutMs: API_TIMEOUT_MS, awsRegion: LOCAL_REGION, complete: () => {} });
}

export async function serveThroughLambda(
  handler: ApiLambda,
  req: IncomingMessage,
  res: ServerResponse,
  functionName = 'docuhook-api',
): Promise<void> {
  const event = await toApiGatewayEvent(req);
  if (event === 'too-large') {
    res
      .writeHead(413, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } }));
    return;
  }
  const context = lambdaContext(functionName);
  const result = await runInvocation(context, () => handler(event, context));
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const headers: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  const body =
    result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  res.end(body);
}
