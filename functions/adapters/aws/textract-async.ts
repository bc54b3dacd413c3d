/**
 * The asynchronous half of the Textract adapter: reading Textract's completion notification
 * (SNS, delivered through the completion queue) and collecting a finished job's results with
 * GetExpenseAnalysis, paged by NextToken and merged into one AnalyzeExpenseResult.
 */
import {
  GetExpenseAnalysisCommand,
  type GetExpenseAnalysisCommandOutput,
  type TextractClient,
} from '@aws-sdk/client-textract';
import type { AnalyzeExpenseResult, ExpenseDocument } from '../../core/analyze-expense.ts';
import { DocuhookError } from '../../core/errors.ts';
import { parseJsonObject } from '../../core/json-object.ts';

/** Where Textract publishes job completion, and the role it assumes to do so. */
export interface TextractNotificationChannel {
  snsTopicArn: string;
  roleArn: string;
}

/** The channel from the environment the CDK stack sets; undefined when async analysis is not configured. */
export function notificationChannelFromEnv(
  env: Record<string, string | undefined> = process.env,
): TextractNotificationChannel | undefined {
  const snsTopicArn = env.TEXTRACT_SNS_TOPIC_ARN;
  const roleArn = env.TEXTRACT_ROLE_ARN;
  return snsTopicArn && roleArn ? { snsTopicArn, roleArn } : undefined;
}

/** Textract's completion status message (docs: "Amazon Textract Results Notification"). */
export interface TextractCompletion {
  JobId: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'ERROR' | string;
  API?: string;
  JobTag?: string;
  Timestamp?: number;
  DocumentLocation?: { S3ObjectName?: string; S3Bucket?: string };
}

/**
 * Parses a completion from an SQS body: either the raw Textract message (raw message delivery)
 * or the SNS envelope around it. Returns null for anything else.
 */
export function parseCompletion(body: string): TextractCompletion | null {
  const value = parseJsonObject(body);
  if (value?.Type === 'Notification' && typeof value.Message === 'string') return parseCompletion(value.Message);
  if (value && typeof value.JobId === 'string' && typeof value.Status === 'string')
    return value as unknown as TextractCompletion;
  return null;
}

/** Thrown when GetExpenseAnalysis reports the job as not finished or failed. */
export class ExpenseJobNotSucceeded extends DocuhookError<'EXPENSE_JOB_NOT_SUCCEEDED'> {
  constructor(
    readonly jobId: string,
    readonly jobStatus: string,
    readonly statusMessage?: string,
  ) {
    super(
      'EXPENSE_JOB_NOT_SUCCEEDED',
      `expense analysis job ${jobId} is ${jobStatus}${statusMessage ? `: ${statusMessage}` : ''}`,
    );
    this.name = 'ExpenseJobNotSucceeded';
  }
}

/**
 * All results of a finished StartExpenseAnalysis job, page after page, merged into the shape
 * AnalyzeExpense returns: the ExpenseDocuments of every page, in order.
 */
export async function getExpenseAnalysis(
  textract: TextractClient,
  jobId: string,
  options: { maxPages?: number } = {},
): Promise<AnalyzeExpenseResult> {
  const documents: ExpenseDocument[] = [];
  let metadata: AnalyzeExpenseResult['DocumentMetadata'];
  let nextToken: string | undefined;
  const maxPages = options.maxPages ?? 1000;
  for (let page = 0; page < maxPages; page++) {
    const out: GetExpenseAnalysisCommandOutput = await textract.send(
      new GetExpenseAnalysisCommand({ JobId: jobId, MaxResults: 20, NextToken: nextToken }),
    );
    if (out.JobStatus !== 'SUCCEEDED' && out.JobStatus !== 'PARTIAL_SUCCESS') {
      throw new ExpenseJobNotSucceeded(jobId, out.JobStatus ?? 'UNKNOWN', out.StatusMessage);
    }
    metadata ??= out.DocumentMetadata as AnalyzeExpenseResult['DocumentMetadata'];
    documents.push(...((out.ExpenseDocuments ?? []) as ExpenseDocument[]));
    nextToken = out.NextToken;
    if (!nextToken) return { DocumentMetadata: metadata, ExpenseDocuments: documents };
  }
  throw new Error(`expense analysis job ${jobId} returned more than ${maxPages} result pages`);
}
