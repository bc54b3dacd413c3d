/**
 * Delivery: one message per (event, endpoint) on the delivery queue → signer function (sign, POST
 * with a timeout, back off with ChangeMessageVisibility, report partial batch failures). After the
 * last attempt of the retry schedule SQS moves the message to the DLQ (kept 14 days), from where
 * `docuhook redrive` (StartMessageMoveTask) sends it back.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  DELIVERY_QUEUE,
  deliveryRetentionSeconds,
  lambdaVisibilitySeconds,
  signerTimeoutSeconds,
} from '../functions/core/queue-settings.ts';
import { deliveryMaxReceiveCount } from '../functions/core/retry.ts';
import { DocuhookFunction } from './docuhook-function.ts';
import { QueueWithDlq } from './queues.ts';

export interface DeliveryProps {
  /** Retry delays after the first attempt, in seconds (RETRY_SCHEDULE). */
  readonly retrySchedule: number[];
  /** Environment shared by every function. */
  readonly environment: Record<string, string>;
  /** Concurrent signer invocations. @default DELIVERY_QUEUE.maxConcurrency */
  readonly maxConcurrency?: number;
  /** @default DELIVERY_QUEUE.batchSize */
  readonly batchSize?: number;
  /** Per-attempt HTTP timeout the signer uses (DELIVERY_TIMEOUT_MS). @default 15000 */
  readonly deliveryTimeoutMs?: number;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class Delivery extends Construct {
  readonly delivery: QueueWithDlq;
  readonly signerFunction: DocuhookFunction;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const deliveryTimeoutMs = props.deliveryTimeoutMs ?? 15_000;
    const timeout = Duration.seconds(signerTimeoutSeconds(deliveryTimeoutMs));
    this.delivery = new QueueWithDlq(this, 'Delivery', {
      visibilityTimeout: Duration.seconds(lambdaVisibilitySeconds(timeout.toSeconds())),
      retentionPeriod: Duration.seconds(deliveryRetentionSeconds(props.retrySchedule)),
      // Every attempt of the schedule plus headroom for receives that never POST (attempts are
      // counted in the delivery record; after the last one the signer lets the message go).
      maxReceiveCount: deliveryMaxReceiveCount(props.retrySchedule),
    });
    this.signerFunction = new DocuhookFunction(this, 'SignerFunction', {
      name: 'signer',
      description: 'docuhook: delivery queue → signed webhook POST with retries',
      memorySize: props.memorySize ?? 256,
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: { ...props.environment, DELIVERY_TIMEOUT_MS: String(deliveryTimeoutMs) },
    });
    this.signerFunction.consume(this.delivery.queue, {
      batchSize: props.batchSize ?? DELIVERY_QUEUE.batchSize,
      maxConcurrency: props.maxConcurrency ?? DELIVERY_QUEUE.maxConcurrency,
    });
  }
}
