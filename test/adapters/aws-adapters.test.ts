import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AnalyzeExpenseCommand,
  StartExpenseAnalysisCommand,
  TextractClient,
  UnsupportedDocumentException,
  ThrottlingException,
} from '@aws-sdk/client-textract';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { TextractAnalyser } from '../../functions/adapters/aws/textract-analyser.ts';
import { SecretsManagerStore } from '../../functions/adapters/aws/secrets-manager-store.ts';
import { BATCH_BYTES, SqsDeliveryQueue } from '../../functions/adapters/aws/sqs-delivery-queue.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { AnalysisError } from '../../functions/core/errors.ts';
import type { DeliveryMessage } from '../../functions/core/records.ts';
import { FIXTURES_DIR } from '../support/paths.ts';

const textract = mockClient(TextractClient);
const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
afterEach(() => {
  textract.reset();
  secrets.reset();
  sqs.reset();
});
// The unit project shares a worker between files (no isolation): put the real clients back.
afterAll(() => {
  textract.restore();
  secrets.restore();
  sqs.restore();
});

describe('TextractAnalyser', () => {
  const recorded = JSON.parse(readFileSync(`${FIXTURES_DIR}/textract/trp-js_invoice-expense-response.json`, 'utf8'));
  const input = {
    bytes: new Uint8Array([1]),
    contentType: 'image/png',
    filename: 'a.png',
    objectKey: 'uploads/acct_a/doc_b',
  };

  it('analyses the object in place and its real response normalises to the expected payload', async () => {
    textract.on(AnalyzeExpenseCommand).resolves(recorded);
    const analysis = await new TextractAnalyser(new TextractClient({ region: 'eu-west-1' }), 'bucket-x').analyse(input);
    expect(analysis.kind).toBe('completed');
    const result = analysis.kind === 'completed' ? analysis.result : {};
    expect(textract.commandCalls(AnalyzeExpenseCommand)[0]!.args[0].input).toEqual({
      Document: { S3Object: { Bucket: 'bucket-x', Name: 'uploads/acct_a/doc_b' } },
    });
    const expected = JSON.parse(
      readFileSync(`${FIXTURES_DIR}/textract/trp-js_invoice-expense-response.expected.json`, 'utf8'),
    );
    expect(normaliseExpense(result, { source: 'textract' })).toMatchObject({
      invoice_id: expected.invoice_id,
      total: expected.total,
      subtotal: expected.subtotal,
      source: 'textract',
    });
  });

  it('turns Textract client errors into document failures and lets throttling through for retry', async () => {
    const analyser = new TextractAnalyser(new TextractClient({ region: 'eu-west-1', maxAttempts: 1 }), 'b');
    textract
      .on(AnalyzeExpenseCommand)
      .rejects(new UnsupportedDocumentException({ message: 'unsupported', $metadata: {} }));
    await expect(analyser.analyse(input)).resolves.toMatchObject({
      kind: 'failed',
      error: { code: 'UNSUPPORTED_FORMAT' },
    });
    textract.on(AnalyzeExpenseCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const err = await analyser.analyse(input).catch((e) => e);
    expect(err).not.toBeInstanceOf(AnalysisError);
    expect(err.name).toBe('ThrottlingException');
  });
});

describe('TextractAnalyser on a password-protected PDF', () => {
  const pdf = (trailer: string) => ({
    bytes: new Uint8Array(
      Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Page >> endobj\ntrailer << /Root 1 0 R ${trailer} >>\n%%EOF`),
    ),
    contentType: 'application/pdf',
    filename: 'a.pdf',
    objectKey: 'uploads/acct_a/doc_b',
  });

  it('reports PASSWORD_PROTECTED when Textract refuses a PDF that declares encryption, not "unsupported format"', async () => {
    const analyser = new TextractAnalyser(new TextractClient({ region: 'eu-west-1', maxAttempts: 1 }), 'b', {
      notificationChannel: { snsTopicArn: 'arn:aws:sns:eu-west-1:1:t', roleArn: 'arn:aws:iam::1:role/r' },
    });
    textract
      .on(AnalyzeExpenseCommand)
      .rejects(new UnsupportedDocumentException({ message: 'unsupported', $metadata: {} }));
    await expect(analyser.analyse(pdf('/Encrypt 9 0 R /ID [<a><b>]'))).resolves.toMatchObject({
      kind: 'failed',
      error: { code: 'PASSWORD_PROTECTED', message: expect.stringMatching(/password-protected/) },
    });
    // No asynchronous retry of a file Textract cannot open.
    expect(textract.commandCalls(StartExpenseAnalysisCommand)).toHaveLength(0);
    // Without an /Encrypt entry the refusal keeps its meaning (here: try the asynchronous API).
    textract.on(StartExpenseAnalysisCommand).resolves({ JobId: 'job-1' });
    await expect(analyser.analyse(pdf('/Size 2'))).resolves.toEqual({ kind: 'started', jobId: 'job-1' });
  });
});

describe('SecretsManagerStore', () => {
  const notFound = () => new ResourceNotFoundException({ message: 'nope', $metadata: {} });

  it('creates a secret that does not exist yet, then reads it (cached)', async () => {
    secrets.on(PutSecretValueCommand).rejects(notFound());
    secrets.on(CreateSecretCommand).resolves({});
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"current":"whsec_x"}' });
    const store = new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-west-1' }), { kmsKeyId: 'alias/k' });
    await store.put('docuhook/endpoints/acct/ep', '{"current":"whsec_x"}');
    expect(secrets.commandCalls(CreateSecretCommand)[0]!.args[0].input).toMatchObject({
      Name: 'docuhook/endpoints/acct/ep',
      KmsKeyId: 'alias/k',
    });
    expect(await store.get('docuhook/endpoints/acct/ep')).toBe('{"current":"whsec_x"}');
    expect(await store.get('docuhook/endpoints/acct/ep')).toBe('{"current":"whsec_x"}');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('updates an existing secret and invalidates the cache; delete forgets it without recovery window', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old' }).resolves({ SecretString: 'new' });
    secrets.on(PutSecretValueCommand).resolves({});
    secrets.on(DeleteSecretCommand).resolves({});
    const store = new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-west-1' }));
    expect(await store.get('n')).toBe('old');
    await store.put('n', 'new');
    expect(await store.get('n')).toBe('new');
    await store.delete('n');
    expect(secrets.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({
      SecretId: 'n',
      ForceDeleteWithoutRecovery: true,
    });
  });

  it('reads a missing secret as undefined', async () => {
    secrets.on(GetSecretValueCommand).rejects(notFound());
    expect(
      await new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-west-1' })).get('missing'),
    ).toBeUndefined();
  });
});

describe('SqsDeliveryQueue', () => {
  const msg = (i: number): DeliveryMessage => ({
    webhookId: `msg_${i}`,
    accountId: 'acct_a',
    endpointId: 'ep_b',
    eventType: 'document.completed',
    subjectId: `doc_${i}`,
    body: '{}',
  });

  it('sends in batches of ten and retries the entries SQS reports as failed', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '3', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Successful: [], Failed: [] });
    await new SqsDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs/q').send(
      Array.from({ length: 12 }, (_, i) => msg(i)),
    );
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length);
    expect(calls).toEqual([10, 1, 2]);
    expect(JSON.parse(sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries![0]!.MessageBody!)).toEqual(
      msg(3),
    );
  });

  it("keeps every batch under SQS's 256 KiB batch size: a 100 KB event for four endpoints goes in two batches", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const big = (i: number): DeliveryMessage => ({
      ...msg(i),
      body: JSON.stringify({ line_items: 'x'.repeat(100_000) }),
    });
    await new SqsDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs/q').send([
      big(1),
      big(2),
      big(3),
      big(4),
    ]);
    const batches = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((c) => c.args[0].input.Entries!.map((e) => Buffer.byteLength(e.MessageBody!)));
    expect(batches.map((b) => b.length)).toEqual([2, 2]);
    for (const b of batches) expect(b.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(BATCH_BYTES);
  });

  it('delays a message through ChangeMessageVisibility, clamped to SQS limits', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const q = new SqsDeliveryQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs/q');
    await q.delay('rh', 99_999);
    await q.delay('rh', -5);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout)).toEqual([
      43200, 0,
    ]);
  });
});
