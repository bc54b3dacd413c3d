/**
 * The asynchronous Textract path: the adapter's sync/async choice (StartExpenseAnalysis with an
 * idempotency token and the document id as JobTag), GetExpenseAnalysis paging, and the completion
 * handler finishing documents. Textract is mocked (aws-sdk-client-mock) with a REAL multi-page
 * GetExpenseAnalysis response split into pages; DynamoDB is real (dynalite).
 */
import { ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AnalyzeExpenseCommand,
  GetExpenseAnalysisCommand,
  StartExpenseAnalysisCommand,
  TextractClient,
  type GetExpenseAnalysisCommandOutput,
} from '@aws-sdk/client-textract';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient, dynamoStores } from '../../functions/adapters/aws/dynamodb/index.ts';
import {
  getExpenseAnalysis,
  parseCompletion,
  ExpenseJobNotSucceeded,
} from '../../functions/adapters/aws/textract-async.ts';
import { clientRequestToken, TextractAnalyser } from '../../functions/adapters/aws/textract-analyser.ts';
import { pdfPageCountHint } from '../../functions/core/file-type.ts';
import type { CoreDeps, ExtractDeps } from '../../functions/core/deps.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { newAccountId, newDocumentId, newEndpointId } from '../../functions/core/ids.ts';
import { uploadKey } from '../../functions/core/object-keys.ts';
import { AnalysisError } from '../../functions/core/errors.ts';
import { systemClock, type ObjectStore } from '../../functions/core/ports.ts';
import type { DeliveryMessage, DocumentRecord } from '../../functions/core/records.ts';
import { processUpload } from '../../functions/core/process-upload.ts';
import { loadSettings } from '../../functions/core/settings.ts';
import { TABLE_LIST } from '../../functions/core/tables.ts';
import { createTextractCompleteHandler } from '../../functions/handlers/textract-complete.ts';
import {
  ensureTables,
  LOCAL_REGION,
  localDynamoClient,
  startDynamo,
  type DynamoService,
} from '../../local/local-services.ts';
import { newStandInCredentials } from '../../local/stand-ins/credentials.ts';
import { FIXTURES_DIR } from '../support/paths.ts';
import { MemoryResultStore } from '../support/memory-results.ts';

const MULTIPAGE = JSON.parse(
  readFileSync(resolve(FIXTURES_DIR, 'textract/trp-py_analyzeExpenseResponse-multipage.json'), 'utf8'),
) as GetExpenseAnalysisCommandOutput;
const CHANNEL = {
  snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:textract',
  roleArn: 'arn:aws:iam::123456789012:role/textract',
};
const BUCKET = 'uploads-bucket';

/** The real response, one ExpenseDocument per page, chained by NextToken. */
function pages(): GetExpenseAnalysisCommandOutput[] {
  const docs = MULTIPAGE.ExpenseDocuments!;
  return docs.map((d, i) => ({
    $metadata: {},
    JobStatus: 'SUCCEEDED',
    DocumentMetadata: MULTIPAGE.DocumentMetadata,
    AnalyzeExpenseModelVersion: MULTIPAGE.AnalyzeExpenseModelVersion,
    ExpenseDocuments: [d],
    NextToken: i < docs.length - 1 ? `page-${i + 2}` : undefined,
  }));
}

const pdf = (pageCount: number, padTo = 0) => {
  const body = Array.from(
    { length: pageCount },
    (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`,
  ).join('\n');
  const text = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${pageCount} >> endobj\n${body}\n%%EOF`;
  const bytes = new Uint8Array(Math.max(padTo, text.length));
  bytes.set(Buffer.from(text, 'latin1'));
  return bytes;
};

const textract = mockClient(TextractClient);
beforeEach(() => textract.reset());

describe('TextractAnalyser', () => {
  const key = uploadKey('acct_0123456789abcdef', 'doc_0123456789abcdefghij');
  const analyser = () =>
    new TextractAnalyser(new TextractClient({ region: 'eu-west-1' }), BUCKET, { notificationChannel: CHANNEL });

  it('counts visible PDF pages', () => {
    expect(pdfPageCountHint(pdf(1))).toBe(1);
    expect(pdfPageCountHint(pdf(3))).toBe(3);
  });

  it('analyses a one-page PDF synchronously, in place in S3', async () => {
    textract.on(AnalyzeExpenseCommand).resolves({ ExpenseDocuments: [], DocumentMetadata: { Pages: 1 } });
    const analysis = await analyser().analyse({
      bytes: pdf(1),
      contentType: 'application/pdf',
      filename: 'a.pdf',
      objectKey: key,
    });
    expect(analysis.kind).toBe('completed');
    expect(analysis.kind === 'completed' && analysis.result.DocumentMetadata?.Pages).toBe(1);
    expect(textract.commandCalls(AnalyzeExpenseCommand)[0]!.args[0].input).toEqual({
      Document: { S3Object: { Bucket: BUCKET, Name: key } },
    });
    expect(textract.commandCalls(StartExpenseAnalysisCommand)).toHaveLength(0);
  });

  it('starts an asynchronous analysis for a multi-page PDF, idempotently, tagged with the document id', async () => {
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-1' });
    for (let i = 0; i < 2; i++) {
      const analysis = await analyser().analyse({
        bytes: pdf(2),
        contentType: 'application/pdf',
        filename: 'a.pdf',
        objectKey: key,
      });
      expect(analysis).toEqual({ kind: 'started', jobId: 'job-1' });
    }
    const calls = textract.commandCalls(StartExpenseAnalysisCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({
      DocumentLocation: { S3Object: { Bucket: BUCKET, Name: key } },
      ClientRequestToken: 'doc_0123456789abcdefghij',
      JobTag: 'doc_0123456789abcdefghij',
      NotificationChannel: { SNSTopicArn: CHANNEL.snsTopicArn, RoleArn: CHANNEL.roleArn },
    });
    expect(calls[1]!.ClientRequestToken).toBe(calls[0]!.ClientRequestToken);
    expect(textract.commandCalls(AnalyzeExpenseCommand)).toHaveLength(0);
    expect(clientRequestToken('doc_a.b')).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('sends PDFs over 10 MB to the asynchronous API', async () => {
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-big' });
    await expect(
      analyser().analyse({
        bytes: pdf(1, 10 * 1024 * 1024 + 1),
        contentType: 'application/pdf',
        filename: 'a.pdf',
        objectKey: key,
      }),
    ).resolves.toEqual({ kind: 'started', jobId: 'job-big' });
  });

  it('falls back to the asynchronous API when the synchronous one rejects a PDF whose pages it could not count', async () => {
    textract
      .on(AnalyzeExpenseCommand)
      .rejects(Object.assign(new Error('multi-page'), { name: 'UnsupportedDocumentException' }));
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-2' });
    const objStm = Buffer.from(
      '%PDF-1.5\n1 0 obj << /Type /ObjStm /N 3 >> stream\nxx\nendstream endobj\n%%EOF',
      'latin1',
    );
    await expect(
      analyser().analyse({
        bytes: new Uint8Array(objStm),
        contentType: 'application/pdf',
        filename: 'a.pdf',
        objectKey: key,
      }),
    ).resolves.toEqual({ kind: 'started', jobId: 'job-2' });
  });

  it('keeps images synchronous, and maps their client errors to document failures', async () => {
    textract
      .on(AnalyzeExpenseCommand)
      .rejects(Object.assign(new Error('bad'), { name: 'UnsupportedDocumentException' }));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    const analysis = await analyser().analyse({
      bytes: png,
      contentType: 'image/png',
      filename: 'a.png',
      objectKey: key,
    });
    expect(analysis.kind).toBe('failed');
    const err = analysis.kind === 'failed' ? analysis.error : undefined;
    expect(err).toBeInstanceOf(AnalysisError);
    expect((err as AnalysisError).code).toBe('UNSUPPORTED_FORMAT');
    expect((err as AnalysisError).cause).toMatchObject({ name: 'UnsupportedDocumentException' });
    expect(textract.commandCalls(StartExpenseAnalysisCommand)).toHaveLength(0);
  });

  it('rethrows throttling unchanged so the SDK and then the queue retry it', async () => {
    for (const name of ['ThrottlingException', 'ProvisionedThroughputExceededException', 'LimitExceededException']) {
      textract.reset();
      textract.on(StartExpenseAnalysisCommand).rejects(Object.assign(new Error(name), { name }));
      const err = await analyser()
        .analyse({ bytes: pdf(2), contentType: 'application/pdf', filename: 'a.pdf', objectKey: key })
        .catch((e: unknown) => e);
      expect((err as Error).name).toBe(name);
      expect(err).not.toBeInstanceOf(AnalysisError);
    }
  });
});

describe('getExpenseAnalysis', () => {
  it('pages with NextToken and merges the pages into one result', async () => {
    const [p1, p2] = pages();
    textract.on(GetExpenseAnalysisCommand, { JobId: 'job-1', NextToken: undefined }).resolves(p1!);
    textract.on(GetExpenseAnalysisCommand, { JobId: 'job-1', NextToken: 'page-2' }).resolves(p2!);
    const merged = await getExpenseAnalysis(new TextractClient({ region: 'eu-west-1' }), 'job-1');
    expect(textract.commandCalls(GetExpenseAnalysisCommand).map((c) => c.args[0].input)).toEqual([
      { JobId: 'job-1', MaxResults: 20, NextToken: undefined },
      { JobId: 'job-1', MaxResults: 20, NextToken: 'page-2' },
    ]);
    expect(merged).toEqual({ DocumentMetadata: { Pages: 2 }, ExpenseDocuments: MULTIPAGE.ExpenseDocuments });
  });

  it('refuses a job that did not succeed', async () => {
    textract.on(GetExpenseAnalysisCommand).resolves({ JobStatus: 'FAILED', StatusMessage: 'unsupported document' });
    await expect(getExpenseAnalysis(new TextractClient({ region: 'eu-west-1' }), 'job-x')).rejects.toBeInstanceOf(
      ExpenseJobNotSucceeded,
    );
  });

  it('reads completions raw or inside the SNS envelope', () => {
    const raw = {
      JobId: 'j',
      Status: 'SUCCEEDED',
      API: 'StartExpenseAnalysis',
      JobTag: 'doc_x',
      Timestamp: 1,
      DocumentLocation: { S3ObjectName: 'k', S3Bucket: 'b' },
    };
    expect(parseCompletion(JSON.stringify(raw))).toEqual(raw);
    expect(parseCompletion(JSON.stringify({ Type: 'Notification', Message: JSON.stringify(raw) }))).toEqual(raw);
    expect(parseCompletion('not json')).toBeNull();
    expect(parseCompletion('{"hello":1}')).toBeNull();
  });
});

describe('asynchronous completion, end to end on DynamoDB (dynalite)', () => {
  let dir: string;
  const credentials = newStandInCredentials();
  let dynamo: DynamoService;
  let deps: CoreDeps;
  const sent: DeliveryMessage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docuhook-textract-'));
    dynamo = await startDynamo(dir, { credentials });
    const names = Object.fromEntries(TABLE_LIST.map((t) => [t.id, `t-${t.id}`])) as Record<
      (typeof TABLE_LIST)[number]['id'],
      string
    >;
    await ensureTables(localDynamoClient(dynamo.endpoint, credentials), names);
    const objects: ObjectStore = { head: async () => ({ size: 2048 }), read: async () => pdf(2) };
    deps = {
      ...dynamoStores(documentClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials }), names),
      objects,
      results: new MemoryResultStore(),
      presigner: { presignPost: async () => ({ url: '', fields: {} }) },
      secrets: { get: async () => undefined, put: async () => {}, delete: async () => {} },
      deliveryQueue: { send: async (m) => void sent.push(...m) },
      settings: loadSettings({}),
      clock: systemClock,
      logger: silentLogger,
    };
  }, 60_000);
  afterAll(async () => {
    await dynamo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newDocument(status: DocumentRecord['status'] = 'awaiting_upload') {
    const accountId = newAccountId();
    const documentId = newDocumentId();
    const now = new Date().toISOString();
    const endpointId = newEndpointId();
    await deps.endpoints.put({
      accountId,
      endpointId,
      url: 'https://hooks.example.com/in',
      events: [],
      status: 'enabled',
      secretName: `docuhook/test/${accountId}/${endpointId}`,
      createdAt: now,
      updatedAt: now,
    });
    const doc: DocumentRecord = {
      documentId,
      accountId,
      status,
      filename: 'multi.pdf',
      contentType: 'application/pdf',
      maxBytes: 20 * 1024 * 1024,
      objectKey: uploadKey(accountId, documentId),
      createdAt: now,
      updatedAt: now,
      uploadExpiresAt: new Date(Date.now() + 900_000).toISOString(),
    };
    await deps.documents.create(doc);
    return doc;
  }

  const event = (body: unknown, receiveCount = 1): SQSEvent => ({
    Records: [
      {
        messageId: `m-${Math.random()}`,
        receiptHandle: 'r',
        body: JSON.stringify(body),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:completions',
        awsRegion: 'eu-west-1',
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: '0',
          SenderId: 's',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
      },
    ],
  });
  const completion = (doc: DocumentRecord, status = 'SUCCEEDED') => ({
    JobId: `job-${doc.documentId}`,
    Status: status,
    API: 'StartExpenseAnalysis',
    JobTag: doc.documentId,
    Timestamp: Date.now(),
    DocumentLocation: { S3ObjectName: doc.objectKey, S3Bucket: BUCKET },
  });
  const handler = () =>
    createTextractCompleteHandler(deps, new TextractClient({ region: 'eu-west-1' }), { maxReceiveCount: 5 });
  const ctx = {} as Context;

  it('leaves a multi-page upload processing after starting the job', async () => {
    const doc = await newDocument();
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-a' });
    const extractDeps: ExtractDeps = {
      ...deps,
      eInvoices: new ScanningEInvoiceReader(),
      analyser: new TextractAnalyser(new TextractClient({ region: 'eu-west-1' }), BUCKET, {
        notificationChannel: CHANNEL,
      }),
    };
    expect(await processUpload(extractDeps, doc.objectKey, { finalAttempt: false })).toBe('analysing');
    expect((await deps.documents.get(doc.documentId))?.status).toBe('processing');
  });

  it('downloads an image only as far as its type (Textract reads it in place), a PDF whole (embedded e-invoices, page count)', async () => {
    const jpeg = new Uint8Array(
      readFileSync(resolve(FIXTURES_DIR, 'textract/textractor_test_analyze_expense_from_path.source.jpg')),
    );
    const expense = JSON.parse(
      readFileSync(resolve(FIXTURES_DIR, 'textract/textractor_test_analyze_expense_from_path.json'), 'utf8'),
    );
    textract.on(AnalyzeExpenseCommand).resolves(expense);
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-b' });
    const longPdf = new Uint8Array(Buffer.concat([pdf(2), Buffer.from(`%${'padding '.repeat(1000)}\n`)]));
    for (const [file, contentType, expected] of [
      [jpeg, 'image/jpeg', [4096]],
      [longPdf, 'application/pdf', [4096, 20 * 1024 * 1024 + 1]],
    ] as const) {
      const doc = { ...(await newDocument()), contentType };
      await deps.documents.discard(doc.documentId);
      await deps.documents.create(doc);
      const reads: number[] = [];
      const objects: ObjectStore = {
        head: async () => ({ size: file.length }),
        read: async (_key, maxBytes) => {
          reads.push(maxBytes);
          return file.subarray(0, maxBytes);
        },
      };
      const analyser = new TextractAnalyser(new TextractClient({ region: 'eu-west-1' }), BUCKET, {
        notificationChannel: CHANNEL,
      });
      await processUpload({ ...deps, objects, eInvoices: new ScanningEInvoiceReader(), analyser }, doc.objectKey, {
        finalAttempt: true,
      });
      expect(reads, contentType).toEqual(expected);
      expect((await deps.documents.get(doc.documentId))?.status, contentType).toMatch(/completed|processing/);
    }
    expect(textract.commandCalls(AnalyzeExpenseCommand).at(-1)?.args[0].input.Document).toEqual({
      S3Object: { Bucket: BUCKET, Name: expect.stringMatching(/^uploads\//) },
    });
  });

  it('completes the document from the paged results and announces it once', async () => {
    const doc = await newDocument('processing');
    const [p1, p2] = pages();
    textract.on(GetExpenseAnalysisCommand, { NextToken: undefined }).resolves(p1!);
    textract.on(GetExpenseAnalysisCommand, { NextToken: 'page-2' }).resolves(p2!);
    sent.length = 0;
    expect(await handler()(event(completion(doc)), ctx)).toEqual({ batchItemFailures: [] });
    const stored = await deps.documents.get(doc.documentId);
    expect(stored?.status).toBe('completed');
    expect(stored?.data?.source).toBe('textract');
    expect(stored?.data?.page_count).toBe(2);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(expect.objectContaining({ eventType: 'document.completed', subjectId: doc.documentId }));
    expect(JSON.parse(sent[0]!.body)).toEqual(
      expect.objectContaining({
        event: 'document.completed',
        document_id: doc.documentId,
        data: expect.objectContaining({ total: expect.any(String) }),
      }),
    );

    // A duplicate notification changes nothing and sends nothing new.
    await handler()(event(completion(doc)), ctx);
    expect(sent).toHaveLength(1);
  });

  it('fails the document when the job failed', async () => {
    const doc = await newDocument('processing');
    sent.length = 0;
    await handler()(event(completion(doc, 'FAILED')), ctx);
    const stored = await deps.documents.get(doc.documentId);
    expect(stored?.status).toBe('failed');
    expect(stored?.error?.code).toBe('EXTRACTION_FAILED');
    expect(JSON.parse(sent[0]!.body).event).toBe('document.failed');
  });

  it('retries throttling through the queue, and ends the document on the last receive', async () => {
    const doc = await newDocument('processing');
    textract
      .on(GetExpenseAnalysisCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const first = event(completion(doc), 1);
    expect(await handler()(first, ctx)).toEqual({
      batchItemFailures: [{ itemIdentifier: first.Records[0]!.messageId }],
    });
    expect((await deps.documents.get(doc.documentId))?.status).toBe('processing');
    expect(await handler()(event(completion(doc), 5), ctx)).toEqual({ batchItemFailures: [] });
    expect((await deps.documents.get(doc.documentId))?.error?.code).toBe('INTERNAL_ERROR');
  });

  it('ignores completions for unknown documents or other objects', async () => {
    const doc = await newDocument('processing');
    expect(await handler()(event({ ...completion(doc), JobTag: 'doc_unknownunknownunkn' }), ctx)).toEqual({
      batchItemFailures: [],
    });
    expect(
      await handler()(
        event({ ...completion(doc), DocumentLocation: { S3ObjectName: 'uploads/other', S3Bucket: BUCKET } }),
        ctx,
      ),
    ).toEqual({ batchItemFailures: [] });
    expect((await deps.documents.get(doc.documentId))?.status).toBe('processing');
  });
});
