/**
 * What every function shares on AWS: the DynamoDB stores, the delivery queue, settings, clock and
 * logger. Each function's own module (api-deps.ts, signer-deps.ts, …) adds only the clients it
 * uses, so each bundle carries only the SDK clients its IAM role may call.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, dynamoStores, tableNamesFromEnv } from '../../adapters/aws/dynamodb/index.ts';
import { SqsDeliveryQueue } from '../../adapters/aws/sqs-delivery-queue.ts';
import type { Logger, Stores } from '../../core/deps.ts';
import { systemClock, type Clock, type DeliveryQueue, type MessageVisibility } from '../../core/ports.ts';
import { loadSettings, type Settings } from '../../core/settings.ts';
import { powertoolsLogger } from './powertools-logger.ts';

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export interface PipelineDeps extends Stores {
  /** One SQS client for both: the pipeline sends, the signer also delays what it received. */
  deliveryQueue: DeliveryQueue & MessageVisibility;
  settings: Settings;
  clock: Clock;
  logger: Logger;
}

let shared: PipelineDeps | undefined;

export function pipelineDepsFromEnv(): PipelineDeps {
  if (shared) return shared;
  const settings = loadSettings();
  shared = {
    ...dynamoStores(documentClient(), tableNamesFromEnv(), { attemptLogDays: settings.attemptLogDays }),
    deliveryQueue: new SqsDeliveryQueue(new SQSClient({}), required('DELIVERY_QUEUE_URL')),
    settings,
    clock: systemClock,
    logger: powertoolsLogger(),
  };
  return shared;
}
