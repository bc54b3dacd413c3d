import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './limits.ts';

export function localQueueArn(name: string, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

/** Accepts a queue name or an SQS ARN, so CLI users can paste either. */
export function queueNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[5] ?? '') : nameOrArn;
}

export function regionOfArn(arn: string): string | undefined {
  return arn.startsWith('arn:') ? arn.split(':')[3] : undefined;
}
