/**
 * Errors carry the SQS error code as both `code` and `name`, so callers can handle a local
 * failure exactly as they would an AWS SDK exception (`err.name === 'ReceiptHandleIsInvalid'`).
 */
import { DocuhookError } from '../../functions/core/errors.ts';

export type QueueErrorCode =
  | 'QueueDoesNotExist'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'InvalidMessageContents'
  | 'InvalidAttributeName'
  | 'InvalidAttributeValue'
  | 'EmptyBatchRequest'
  | 'TooManyEntriesInBatchRequest'
  | 'BatchEntryIdsNotDistinct'
  | 'InvalidBatchEntryId'
  | 'BatchRequestTooLong'
  | 'UnsupportedOperation'
  | 'BrokerClosed';

export class QueueError extends DocuhookError<QueueErrorCode> {
  /** True when the caller's input is at fault (SQS `SenderFault`). */
  readonly senderFault: boolean;

  constructor(code: QueueErrorCode, message: string, options: { senderFault?: boolean; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.senderFault = options.senderFault ?? code !== 'BrokerClosed';
  }
}

export function isQueueError(error: unknown, code?: QueueErrorCode): error is QueueError {
  return error instanceof QueueError && (code === undefined || error.code === code);
}
