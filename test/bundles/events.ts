/** Realistic Lambda events, shaped as the AWS services deliver them. */
import type { DeliveryMessage } from '../../functions/core/records.ts';

const sqsRecord = (body: string, n = 1) => ({
  messageId: `0b1e4c3a-0000-4000-8000-00000000000${n}`,
  receiptHandle: `handle-${n}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:queue',
  awsRegion: 'eu-west-1',
});

/** S3 → SQS ingest record for an upload no document owns (the pipeline ignores it after a lookup). */
export function ingestEvent(key: string) {
  const s3Event = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Post',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: 'docuhook-bundles', arn: 'arn:aws:s3:::docuhook-bundles' },
          object: { key, size: 1024, eTag: 'abc', sequencer: '00' },
        },
      },
    ],
  };
  return { Records: [sqsRecord(JSON.stringify(s3Event))] };
}

export function apiEvent(method: string, path: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: `${method} /v1/{proxy+}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: 'req',
      routeKey: `${method} /v1/{proxy+}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'bundles' },
    },
    pathParameters: { proxy: path.replace(/^\/v1\//, '') },
    isBase64Encoded: false,
  };
}

export function deliveryEvent(message: DeliveryMessage) {
  return { Records: [sqsRecord(JSON.stringify(message))] };
}

/** Textract → SNS → SQS with raw message delivery (lib/textract-async.ts): the notification is the body. */
export function textractCompletionEvent(jobTag: string) {
  const notification = {
    JobId: 'job-1',
    Status: 'SUCCEEDED',
    API: 'StartExpenseAnalysis',
    JobTag: jobTag,
    Timestamp: Date.now(),
    DocumentLocation: { S3ObjectName: 'uploads/a/b', S3Bucket: 'docuhook-bundles' },
  };
  return { Records: [sqsRecord(JSON.stringify(notification))] };
}

export const scheduleEvent = {
  version: '0',
  id: 'evt-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: new Date().toISOString(),
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/sweeper'],
  detail: {},
};
