import { AnalyzeExpenseCommand, StartExpenseAnalysisCommand, type TextractClient } from '@aws-sdk/client-textract';
import type { AnalyzeExpenseResult } from '../../core/analyze-expense.ts';
import {
  PASSWORD_PROTECTED_MESSAGE,
  pdfDeclaresEncryption,
  pdfPageCountHint,
  sniffFileType,
} from '../../core/file-type.ts';
import { parseUploadKey } from '../../core/object-keys.ts';
import { AnalysisError } from '../../core/errors.ts';
import type { AnalyseInput, Analyser, AnalysisResult } from '../../core/ports.ts';
import { notificationChannelFromEnv, type TextractNotificationChannel } from './textract-async.ts';

/** Textract's limit for synchronous AnalyzeExpense (and for images on either path). */
export const SYNC_MAX_BYTES = 10 * 1024 * 1024;

export interface TextractAnalyserOptions {
  /**
   * Where Textract announces the end of an asynchronous job. Without it, every document goes
   * through synchronous AnalyzeExpense (multi-page PDFs then fail). Defaults to the channel the
   * CDK stack puts in the environment (TEXTRACT_SNS_TOPIC_ARN, TEXTRACT_ROLE_ARN).
   */
  notificationChannel?: TextractNotificationChannel;
}

/**
 * Textract on the object in place. Images and one-page PDFs up to 10 MB: synchronous
 * AnalyzeExpense. Multi-page PDFs and PDFs over 10 MB: StartExpenseAnalysis, whose completion
 * arrives on SNS; `analyse` then returns `started` and the completion handler finishes the
 * document. Textract's client errors become document failures; throttling and faults are thrown
 * so the SDK (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE set by the stack) and then the queue retry them.
 */
export class TextractAnalyser implements Analyser {
  readonly source = 'textract' as const;
  /** Images reach `analyse` as their first bytes only: Textract reads the object from S3. */
  readonly readsObjectInPlace = true;
  private readonly channel: TextractNotificationChannel | undefined;

  constructor(
    private readonly textract: TextractClient,
    private readonly bucket: string,
    options: TextractAnalyserOptions = {},
  ) {
    this.channel = options.notificationChannel ?? notificationChannelFromEnv();
  }

  async analyse(input: AnalyseInput): Promise<AnalysisResult> {
    const isPdf = sniffFileType(input.bytes.subarray(0, 1024)) === 'pdf';
    if (isPdf && this.channel && (input.bytes.length > SYNC_MAX_BYTES || pdfPageCountHint(input.bytes) > 1)) {
      return this.startAsync(input.objectKey, this.channel);
    }
    try {
      const out = await this.textract.send(
        new AnalyzeExpenseCommand({ Document: { S3Object: { Bucket: this.bucket, Name: input.objectKey } } }),
      );
      return { kind: 'completed', result: out as AnalyzeExpenseResult };
    } catch (err) {
      const name = (err as { name?: string }).name;
      // Textract reads no password-protected PDF; say so rather than "unsupported format".
      if (
        isPdf &&
        (name === 'UnsupportedDocumentException' || name === 'BadDocumentException') &&
        pdfDeclaresEncryption(input.bytes)
      ) {
        return {
          kind: 'failed',
          error: new AnalysisError('PASSWORD_PROTECTED', PASSWORD_PROTECTED_MESSAGE, { cause: err }),
        };
      }
      // A multi-page PDF the page hint missed (pages inside compressed object streams): the
      // synchronous API rejects it as unsupported, the asynchronous one reads it.
      if (isPdf && this.channel && name === 'UnsupportedDocumentException') {
        return this.startAsync(input.objectKey, this.channel);
      }
      return failedOrThrow(err);
    }
  }

  private async startAsync(objectKey: string, channel: TextractNotificationChannel): Promise<AnalysisResult> {
    const documentId = parseUploadKey(objectKey)?.documentId ?? objectKey;
    let jobId: string | undefined;
    try {
      const out = await this.textract.send(
        new StartExpenseAnalysisCommand({
          DocumentLocation: { S3Object: { Bucket: this.bucket, Name: objectKey } },
          // Same document, same token, same job: a redelivered S3 event cannot start a second job.
          ClientRequestToken: clientRequestToken(documentId),
          JobTag: jobTag(documentId),
          NotificationChannel: { SNSTopicArn: channel.snsTopicArn, RoleArn: channel.roleArn },
        }),
      );
      jobId = out.JobId;
    } catch (err) {
      return failedOrThrow(err);
    }
    if (!jobId) throw new Error(`StartExpenseAnalysis returned no JobId for ${objectKey}`);
    return { kind: 'started', jobId };
  }
}

/** ClientRequestToken: 1–64 characters of [a-zA-Z0-9-_]; document ids already are. */
export function clientRequestToken(documentId: string): string {
  return documentId.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 64);
}

/** JobTag: 1–64 characters of [a-zA-Z0-9_.\-:]; the completion handler reads the document id from it. */
export function jobTag(documentId: string): string {
  return documentId.replace(/[^a-zA-Z0-9_.:-]/g, '-').slice(0, 64);
}

/** A Textract client error is a document failure; anything else (throttling, faults) is thrown for retry. */
function failedOrThrow(err: unknown): AnalysisResult {
  const error = mapTextractError(err);
  if (error instanceof AnalysisError) return { kind: 'failed', error };
  throw error;
}

export function mapTextractError(err: unknown): unknown {
  switch ((err as { name?: string }).name) {
    case 'UnsupportedDocumentException':
      return new AnalysisError(
        'UNSUPPORTED_FORMAT',
        'Textract cannot read this file: use a PDF, PNG, JPEG or TIFF invoice.',
        { cause: err },
      );
    case 'DocumentTooLargeException':
      return new AnalysisError(
        'FILE_TOO_LARGE',
        'The file is larger than Textract accepts (10 MB for images and single-page documents, 500 MB for PDFs).',
        { cause: err },
      );
    case 'BadDocumentException':
      return new AnalysisError(
        'EXTRACTION_FAILED',
        'Textract could not read this document: it may be corrupt or unreadable. Check the file and upload it again.',
        { cause: err },
      );
    case 'InvalidParameterException':
      return new AnalysisError('EXTRACTION_FAILED', 'Textract rejected this document as invalid.', { cause: err });
    default:
      return err; // throttling (ThrottlingException, ProvisionedThroughputExceededException, LimitExceededException), timeouts, faults: retried
  }
}
