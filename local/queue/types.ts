/** Public shapes of the local queue. Field names follow the SQS API where SQS has an equivalent. */

export interface QueueAttributesInput {
  /** Default visibility timeout of received messages, 0..43200 s. */
  visibilityTimeoutSeconds: number;
  /** Receives allowed before the next receive moves the message to `deadLetterQueue` (1..1000). */
  maxReceiveCount?: number;
  /** Name of an existing queue; requires `maxReceiveCount`. */
  deadLetterQueue?: string;
  /** 60..1209600 s, default 4 days (SQS default). */
  retentionSeconds?: number;
  /** Default delay of new messages, 0..900 s. */
  delaySeconds?: number;
}

export interface QueueConfig {
  name: string;
  arn: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number | undefined;
  deadLetterQueue: string | undefined;
  retentionSeconds: number;
  delaySeconds: number;
}

/** Same shape as the AWS SDK's `MessageAttributeValue` (list values are reserved by SQS, so absent). */
export interface MessageAttributeValue {
  /** `String`, `Number` or `Binary`, optionally with a custom suffix (`String.json`). */
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

export interface SendMessageInput {
  body: string;
  /** Overrides the queue's delay, 0..900 s. */
  delaySeconds?: number;
  messageAttributes?: MessageAttributes;
}

export interface SendMessageResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
}

export interface SendBatchEntry extends SendMessageInput {
  /** Batch-unique id: letters, digits, `-`, `_`, at most 80 characters. */
  id: string;
}

export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export interface SendBatchResult {
  Successful: Array<{ Id: string; MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes?: string }>;
  Failed: BatchResultErrorEntry[];
}

export interface DeleteBatchEntry {
  id: string;
  receiptHandle: string;
}

export interface DeleteBatchResult {
  Successful: Array<{ Id: string }>;
  Failed: BatchResultErrorEntry[];
}

export interface ReceiveOptions {
  /** 1..10, default 1 (as SQS). */
  maxMessages?: number;
  /** Overrides the queue's visibility timeout for this receive, 0..43200 s. */
  visibilityTimeoutSeconds?: number;
  /** Long polling, 0..20000 ms: returns as soon as at least one message is available. */
  waitTimeMs?: number;
  /** Ends a long poll early; an already-aborted signal receives nothing. */
  signal?: AbortSignal;
}

export interface ReceivedMessageAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  ApproximateFirstReceiveTimestamp: string;
  SenderId: string;
  /** Present on messages the redrive policy moved here: the ARN of the queue they came from. */
  DeadLetterQueueSourceArn?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: ReceivedMessageAttributes;
  messageAttributes: MessageAttributes;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
}

export interface QueueStats {
  /** Receivable now (includes messages the next receive will dead-letter). */
  visible: number;
  /** Received and still within their visibility timeout. */
  inFlight: number;
  /** Sent with a delay that has not yet passed. */
  delayed: number;
  total: number;
}

export interface MessageMoveProgress {
  moved: number;
  total: number;
}

export interface MessageMoveTaskOptions {
  /** The dead-letter queue to drain (name or ARN). */
  source: string;
  /** Where to move them (name or ARN); default: each message's original source queue. */
  destination?: string;
  /** Rate cap, like SQS MaxNumberOfMessagesPerSecond; default as fast as possible. */
  maxMessagesPerSecond?: number;
  onProgress?: (progress: MessageMoveProgress) => void;
  /** Cancels between chunks (SQS CancelMessageMoveTask); already-moved messages stay moved. */
  signal?: AbortSignal;
}

export interface MessageMoveResult extends MessageMoveProgress {
  cancelled: boolean;
}
