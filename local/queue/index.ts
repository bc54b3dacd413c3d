/** Local SQS: a durable SQLite-backed broker, SQS-semantics queues, redrive, and a Lambda poller. */
export { LocalQueueBroker } from './broker.ts';
export type { LocalQueueBrokerOptions } from './broker.ts';
export { LocalQueue } from './queue.ts';
export { startPoller } from './poller.ts';
export type { Poller, PollerErrorInfo, PollerOptions, SqsLambdaHandler } from './poller.ts';
export { QueueError, isQueueError } from './errors.ts';
export type { QueueErrorCode } from './errors.ts';
export { SQS_LIMITS, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './limits.ts';
export { localQueueArn, queueNameOf } from './arn.ts';
export { md5OfBody, md5OfMessageAttributes } from './md5.ts';
export { createLambdaContext, toSqsRecord, toLambdaMessageAttributes, parseBatchResponse } from './lambda-event.ts';
export type * from './types.ts';
