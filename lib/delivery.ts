/**
 * Delivery: one message per (event, endpoint) on the delivery queue → signer function (sign, POST
 * with a timeout, back off with ChangeMessageVisibility, report partial batch failures). After the
 * last attempt of the retry schedule SQS moves the message to the DLQ (kept 14 days), from where
 * `docuhook redrive` (StartMessageMoveTask) sends it back.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { deliveryMaxReceiveCount, MAX_VISIBILITY_SECONDS } from '../functions/core/retry.ts';
import { DocuhookFunction } from './docuhook-function.ts';
import { QueueWithDlq } from './queues.ts';

export interface DeliveryProps {
  /** Retry delays after the first attempt, in seconds (RETRY_SCHEDULE). */
  readonly retrySchedule: number[];
  /** Environment shared by every function. */
  readonly environment: Record<string, string>;
  /** Concurrent signer invocations. @default 20 */
  readonly maxConcurrency?: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** Per-attempt HTTP timeout the signer uses (DELIVERY_TIMEOUT_MS). @default 15000 */
  readonly deliveryTimeoutMs?: number;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * How long a delivery message must survive in the queue: every retry delay at its +20 % jitter,
 * plus a day of slack for redrives and outages; at least the SQS default of 4 days, at most 14.
 */
export function deliveryRetentionSeconds(schedule: readonly number[]): number {
  const worstCase = schedule.reduce((sum, s) => sum + Math.min(MAX_VISIBILITY_SECONDS, s * 1.2), 0);
  const needed = Math.ceil(worstCase + 24 * 3600);
  const max = 14 * 24 * 3600;
  if (needed > max) throw new Error(`the retry schedule spans ${Math.round(worstCase / 3600)} h: longer than the 14 days SQS can keep a message`);
  return Math.max(4 * 24 * 3600, needed);
}

export class Delivery extends Construct {
  readonly delivery: QueueWithDlq;
  readonly signerFunction: DocuhookFunction;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const deliveryTimeoutMs = props.deliveryTimeoutMs ?? 15_000;
    // Records of a batch are delivered in parallel: one attempt timeout plus secret/DB work.
    const timeout = Duration.seconds(Math.ceil(deliveryTimeoutMs / 1000) + 45);
    this.delivery = new QueueWithDlq(this, 'Delivery', {
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
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
    this.signerFunction.consume(this.delivery.queue, { batchSize: props.batchSize ?? 10, maxConcurrency: props.maxConcurrency ?? 20 });
  }
}
