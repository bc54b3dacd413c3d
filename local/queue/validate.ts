/** Input checks with SQS's limits and error codes; they throw QueueError. */
import { QueueError } from './errors.ts';
import { SQS_LIMITS } from './limits.ts';
import type { MessageAttributes, QueueAttributesInput } from './types.ts';

// SQS accepts only these XML-safe characters in bodies and string attribute values.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters SQS allows
const INVALID_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new QueueError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: must be an integer between ${min} and ${max}.`,
    );
  }
  return value;
}

export function checkQueueName(name: unknown): string {
  if (typeof name !== 'string' || !QUEUE_NAME.test(name)) {
    throw new QueueError(
      'InvalidParameterValue',
      `Queue name ${JSON.stringify(name)} is invalid: use 1 to 80 letters, digits, hyphens or underscores.`,
    );
  }
  return name;
}

export function checkBatchEntryId(id: unknown): string {
  if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
    throw new QueueError(
      'InvalidBatchEntryId',
      `Batch entry id ${JSON.stringify(id)} is invalid: use 1 to 80 letters, digits, hyphens or underscores.`,
    );
  }
  return id;
}

/** Validated, defaulted queue attributes (deadLetterQueue existence is the broker's check). */
export interface ResolvedQueueAttributes {
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  delaySeconds: number;
  maxReceiveCount: number | undefined;
  deadLetterQueue: string | undefined;
}

export function checkQueueAttributes(name: string, input: QueueAttributesInput): ResolvedQueueAttributes {
  const visibilityTimeoutSeconds = checkInteger(
    'VisibilityTimeout',
    input.visibilityTimeoutSeconds,
    0,
    SQS_LIMITS.maxVisibilityTimeoutSeconds,
  );
  const retentionSeconds = checkInteger(
    'MessageRetentionPeriod',
    input.retentionSeconds ?? SQS_LIMITS.defaultRetentionSeconds,
    SQS_LIMITS.minRetentionSeconds,
    SQS_LIMITS.maxRetentionSeconds,
  );
  const delaySeconds = checkInteger('DelaySeconds', input.delaySeconds ?? 0, 0, SQS_LIMITS.maxDelaySeconds);
  const hasCount = input.maxReceiveCount !== undefined;
  const hasDlq = input.deadLetterQueue !== undefined;
  if (hasCount !== hasDlq) {
    throw new QueueError(
      'InvalidParameterValue',
      `Queue ${name}: a redrive policy needs both deadLetterQueue and maxReceiveCount.`,
    );
  }
  if (hasDlq) {
    checkInteger('maxReceiveCount', input.maxReceiveCount, 1, SQS_LIMITS.maxReceiveCount);
    checkQueueName(input.deadLetterQueue);
    if (input.deadLetterQueue === name) {
      throw new QueueError('InvalidParameterValue', `Queue ${name} cannot be its own dead-letter queue.`);
    }
  }
  return {
    visibilityTimeoutSeconds,
    retentionSeconds,
    delaySeconds,
    maxReceiveCount: input.maxReceiveCount,
    deadLetterQueue: input.deadLetterQueue,
  };
}

/** Checks one message and returns its size in bytes as SQS counts it (body + attributes). */
export function checkMessage(body: unknown, attributes: MessageAttributes | undefined, maxBytes: number): number {
  if (typeof body !== 'string' || body.length === 0) {
    throw new QueueError(
      'MissingParameter',
      'The request must contain the parameter MessageBody (a non-empty string).',
    );
  }
  if (INVALID_CHARACTER.test(body)) {
    throw new QueueError(
      'InvalidMessageContents',
      'Invalid characters found in the message body: SQS allows #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF.',
    );
  }
  let size = Buffer.byteLength(body, 'utf8');
  if (attributes !== undefined) size += checkMessageAttributes(attributes);
  if (size > maxBytes) {
    throw new QueueError(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxBytes} bytes (got ${size}, body plus attributes).`,
    );
  }
  return size;
}

function checkMessageAttributes(attributes: MessageAttributes): number {
  if (attributes === null || typeof attributes !== 'object') {
    throw new QueueError('InvalidParameterValue', 'messageAttributes must be an object.');
  }
  const names = Object.keys(attributes);
  if (names.length > SQS_LIMITS.maxMessageAttributes) {
    throw new QueueError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${SQS_LIMITS.maxMessageAttributes}].`,
    );
  }
  let size = 0;
  for (const name of names) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..') ||
      /^(aws|amazon)\./i.test(name)
    ) {
      throw new QueueError('InvalidAttributeName', `Message attribute name ${JSON.stringify(name)} is invalid.`);
    }
    const value = attributes[name]!;
    const type = value?.DataType;
    if (typeof type !== 'string' || !/^(String|Number|Binary)(\.[\x21-\x7E]+)?$/.test(type) || type.length > 256) {
      throw new QueueError(
        'InvalidAttributeValue',
        `Message attribute ${name} has an invalid DataType ${JSON.stringify(type)}: use String, Number or Binary, optionally with a custom suffix.`,
      );
    }
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(type, 'utf8');
    if (type.startsWith('Binary')) {
      if (!(value.BinaryValue instanceof Uint8Array) || value.BinaryValue.length === 0) {
        throw new QueueError(
          'InvalidAttributeValue',
          `Message attribute ${name} of type ${type} needs a non-empty BinaryValue.`,
        );
      }
      size += value.BinaryValue.length;
    } else {
      const text = value.StringValue;
      if (typeof text !== 'string' || text.length === 0) {
        throw new QueueError(
          'InvalidAttributeValue',
          `Message attribute ${name} of type ${type} needs a non-empty StringValue.`,
        );
      }
      if (INVALID_CHARACTER.test(text)) {
        throw new QueueError(
          'InvalidAttributeValue',
          `Message attribute ${name} contains characters SQS does not allow.`,
        );
      }
      if (type.startsWith('Number') && !NUMBER.test(text.trim())) {
        throw new QueueError(
          'InvalidAttributeValue',
          `Message attribute ${name} of type ${type} must be a number, got ${JSON.stringify(text)}.`,
        );
      }
      size += Buffer.byteLength(text, 'utf8');
    }
  }
  return size;
}
