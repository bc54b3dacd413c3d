/**
 * `npm run test:deployed`: the end-to-end flow against a DEPLOYED stack (not part of `npm test`;
 * it needs AWS credentials and a stack made with `npx cdk deploy`). It reads the stack's outputs
 * with CloudFormation DescribeStacks, then:
 *   1. creates a test account and API key in the accounts table (as `docuhook accounts create`),
 *   2. registers a webhook to DOCUHOOK_E2E_WEBHOOK_URL (a public https receiver),
 *   3. uploads the sample invoices through the API and the presigned POST,
 *   4. waits until each document completes (the polling path), checks the payload,
 *   5. checks the delivery attempt log,
 *   6. DLQ redrive: a second webhook to a URL that always fails (the stack's own API, which answers
 *      a 4xx) gets one more document's event; once it has failed every attempt and reached the
 *      delivery DLQ, the DLQ is redriven (SQS StartMessageMoveTask, as `docuhook redrive`) and the
 *      redriven copy must be attempted again as attempt 1. Runs only when the stack's retry schedule
 *      lets that happen within DOCUHOOK_E2E_TIMEOUT_S (a test stage deployed with
 *      -c retrySchedule=0,0,0) and the DLQ is empty beforehand (dlq-step.ts); otherwise it says why,
 *   7. checks that both DLQs are empty.
 * Whatever happens, a finally block undoes what the run created (cleanup.ts): both webhooks, the
 * run's dead letters, the uploaded objects and large results under the account's prefixes, and the
 * test account and its key. Document records stay (the API has no delete; they hold no file).
 *
 * Before any of that it runs the preflight (preflight.ts): stack outputs present, the alarm topic
 * has a confirmed subscription, the account's Lambda concurrency holds the stack's caps, Textract
 * exists in the region, the receiver URL is https; any problem stops the run before it sends anything.
 *
 * Environment: DOCUHOOK_STACK (default docuhook-dev), AWS_REGION / AWS_PROFILE as usual,
 * DOCUHOOK_E2E_WEBHOOK_URL (a temporary public https receiver you control), DOCUHOOK_E2E_TIMEOUT_S
 * (default 300), DOCUHOOK_E2E_EXTRACTOR (textract|local, default textract).
 * Exit code 0 when every check passed and everything was cleaned up.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DocuhookClient, postFile, type UploadTicket } from '../../cli/api-client.ts';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb/accounts.ts';
import { documentClient } from '../../functions/adapters/aws/dynamodb/client.ts';
import { hashApiKey, newAccountId, newApiKey } from '../../functions/core/ids.ts';
import { RESULTS_PREFIX, UPLOADS_PREFIX } from '../../functions/core/object-keys.ts';
import { REPO_DIR } from '../support/paths.ts';
import {
  deleteAccount,
  deletePrefix,
  queueDepth,
  queueUrlOf,
  redrive,
  removeDeadLetters,
  waitForDeadLetters,
} from './aws-steps.ts';
import { Cleanup } from './cleanup.ts';
import { dlqStepProblem, redrivenAttempt, type LoggedAttempt } from './dlq-step.ts';
import {
  alarmTopicProblems,
  concurrencyProblems,
  missingOutputs,
  receiverProblems,
  textractRegionProblems,
} from './preflight.ts';

const STACK = process.env.DOCUHOOK_STACK ?? 'docuhook-dev';
const TIMEOUT_S = Number(process.env.DOCUHOOK_E2E_TIMEOUT_S ?? 300);
const SAMPLES = ['riverside-consulting.pdf', 'thames-print-works.pdf'];

type Outputs = Record<string, string>;
const checks: { name: string; ok: boolean; detail?: string }[] = [];
const skipped: string[] = [];
const check = (name: string, ok: boolean, detail?: string) => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
};

async function stackOutputs(): Promise<Outputs> {
  const out = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: STACK }));
  const stack = out.Stacks?.[0];
  if (!stack) throw new Error(`stack ${STACK} not found`);
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

function need(outputs: Outputs, key: string): string {
  const v = outputs[key];
  if (!v) throw new Error(`stack ${STACK} has no output ${key}: deploy the current version of the stack`);
  return v;
}

/** Everything checked before anything is sent; problems are listed together. */
async function preflight(outputs: Outputs): Promise<string[]> {
  const problems = [...missingOutputs(outputs), ...receiverProblems(process.env.DOCUHOOK_E2E_WEBHOOK_URL)];
  if (outputs.AlarmTopicArn) {
    const { Subscriptions = [] } = await new SNSClient({}).send(
      new ListSubscriptionsByTopicCommand({ TopicArn: outputs.AlarmTopicArn }),
    );
    problems.push(...alarmTopicProblems(Subscriptions));
  }
  const { AccountLimit = {} } = await new LambdaClient({}).send(new GetAccountSettingsCommand({}));
  problems.push(...concurrencyProblems(AccountLimit, Number(outputs.QueueConsumerConcurrency ?? 0)));
  const region = outputs.ApiUrl?.match(/execute-api\.([a-z0-9-]+)\./)?.[1];
  const extractor = process.env.DOCUHOOK_E2E_EXTRACTOR === 'local' ? 'local' : 'textract';
  if (region) problems.push(...textractRegionProblems(region, extractor));
  return problems;
}

type Doc = { status: string; data?: { total?: string | null; source?: string }; error?: { code: string } };

async function uploadSample(client: DocuhookClient, name: string): Promise<string> {
  const bytes = readFileSync(resolve(REPO_DIR, 'samples', name));
  const ticket = await client.request<UploadTicket>('POST', '/v1/uploads', {
    filename: name,
    content_type: 'application/pdf',
    size_bytes: bytes.length,
  });
  await postFile(ticket, bytes, name, 'application/pdf');
  console.log(`uploaded ${name} as ${ticket.document_id}`);
  return ticket.document_id;
}

/** Polls a document until it ends or the deadline passes (S3 → ingest → extract → DynamoDB). */
async function ended(client: DocuhookClient, id: string, deadline: number): Promise<Doc | undefined> {
  let doc: Doc | undefined;
  while (Date.now() < deadline) {
    doc = await client.request<Doc>('GET', `/v1/documents/${id}`);
    if (doc.status === 'completed' || doc.status === 'failed') break;
    await sleep(3000);
  }
  return doc;
}

const attemptLog = async (client: DocuhookClient, webhookId: string) =>
  (await client.request<{ attempts?: LoggedAttempt[] }>('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`))
    .attempts ?? [];

/** Creates a webhook whose deletion (idempotent) is registered for cleanup at once. */
async function createWebhook(client: DocuhookClient, cleanup: Cleanup, url: string, events?: string[]) {
  const created = await client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', {
    url,
    ...(events ? { events } : {}),
  });
  const remove = () =>
    client.request('DELETE', `/v1/webhooks/${created.id}`).catch((err: { status?: number }) => {
      if (err.status !== 404) throw err;
    });
  cleanup.add(`webhook ${created.id}`, remove);
  return { ...created, remove };
}

/**
 * Step 6: a delivery that fails every attempt reaches the DLQ, a redrive brings it back, and the
 * signer attempts it again as a new copy (attempt 1).
 */
async function dlqRedriveStep(
  client: DocuhookClient,
  cleanup: Cleanup,
  outputs: Outputs,
  apiUrl: string,
): Promise<void> {
  const sqs = new SQSClient({});
  const dlqArn = need(outputs, 'DeliveryDlqArn');
  const dlqUrl = queueUrlOf(dlqArn);
  const problem = dlqStepProblem(outputs.DeliveryRetrySchedule, TIMEOUT_S, await queueDepth(sqs, dlqUrl));
  if (problem) {
    console.log(`SKIP DLQ redrive: ${problem}`);
    skipped.push('DLQ redrive');
    return;
  }
  // The stack's own API at a route it does not have: an https receiver that answers every POST with a 4xx.
  const failing = await createWebhook(client, cleanup, new URL('v1/e2e-failing-receiver', apiUrl).href, [
    'document.completed',
  ]);
  // The webhook goes first, so no copy of its delivery can reach the DLQ after its dead letters are removed.
  cleanup.add(`dead letters of webhook ${failing.id}`, async () => {
    await failing.remove();
    await removeDeadLetters(sqs, dlqUrl, new Set([failing.id]));
  });
  const deadline = Date.now() + TIMEOUT_S * 1000;
  const id = await uploadSample(client, SAMPLES[0]!);
  check(`${id} completed`, (await ended(client, id, deadline))?.status === 'completed');
  const dead = await waitForDeadLetters(sqs, dlqUrl, failing.id, deadline);
  const before = await attemptLog(client, failing.id);
  check(
    'a delivery that failed every attempt reached the delivery DLQ',
    dead.length > 0,
    `${before.length} failed attempts logged`,
  );
  if (dead.length === 0) return;
  const status = await redrive(sqs, dlqArn);
  check('the DLQ redrive completed', status === 'COMPLETED', status);
  let again: LoggedAttempt | undefined;
  while (!again && Date.now() < deadline) {
    await sleep(5000);
    again = redrivenAttempt(before, await attemptLog(client, failing.id));
  }
  check(
    'the redriven delivery was attempted again, as attempt 1 of a new copy',
    again !== undefined,
    again ? `HTTP ${again.status_code}` : 'no new attempt',
  );
  // Deleted now, the endpoint ends its redriven copy (endpoint gone) instead of dead-lettering it again.
  await failing.remove();
}

async function main(cleanup: Cleanup): Promise<number> {
  const outputs = await stackOutputs();
  const problems = await preflight(outputs);
  for (const p of problems) console.log(`FAIL preflight: ${p}`);
  if (problems.length > 0) return 1;
  console.log('ok   preflight (outputs, alarm subscription, Lambda concurrency, Textract region, receiver)');
  const apiUrl = need(outputs, 'ApiUrl');
  console.log(`stack ${STACK}: ${apiUrl}`);

  // 1. An account and key, exactly as `docuhook accounts create` makes them; undone at the end.
  const accountsTable = need(outputs, 'AccountsTableName');
  const accounts = new DynamoAccountStore(documentClient(), accountsTable);
  const accountId = newAccountId();
  const apiKey = newApiKey();
  const now = new Date().toISOString();
  cleanup.add(`test account ${accountId} and its API key`, () =>
    deleteAccount(accountsTable, accountId, hashApiKey(apiKey)),
  );
  await accounts.createAccount({ accountId, name: `e2e ${now}`, createdAt: now });
  await accounts.addApiKey({ accountId, keyHash: hashApiKey(apiKey), createdAt: now, label: 'test:deployed' });
  const bucket = need(outputs, 'UploadsBucketName');
  for (const prefix of [UPLOADS_PREFIX, RESULTS_PREFIX])
    cleanup.add(`objects under ${prefix}${accountId}/`, () => deletePrefix(bucket, `${prefix}${accountId}/`));
  const client = new DocuhookClient(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`, apiKey);
  const anonymous = await fetch(new URL('v1/webhooks', client.baseUrl));
  check('the API refuses calls without a key', anonymous.status === 401, `HTTP ${anonymous.status}`);

  // 2. A webhook to the user's receiver.
  const webhook = await createWebhook(client, cleanup, process.env.DOCUHOOK_E2E_WEBHOOK_URL!);
  check('webhook created with a secret', /^whsec_/.test(webhook.secret));

  // 3–4. Uploads, then the pipeline.
  const documents: string[] = [];
  for (const name of SAMPLES) documents.push(await uploadSample(client, name));
  const deadline = Date.now() + TIMEOUT_S * 1000;
  for (const id of documents) {
    const doc = await ended(client, id, deadline);
    check(`${id} completed`, doc?.status === 'completed', doc?.status === 'failed' ? doc.error?.code : doc?.status);
    if (doc?.status === 'completed')
      check(
        `${id} has a total`,
        typeof doc.data?.total === 'string',
        `total ${doc.data?.total}, source ${doc.data?.source}`,
      );
  }

  // 5. Deliveries.
  await sleep(10_000);
  const log = await attemptLog(client, webhook.id);
  check('webhook deliveries were attempted', log.length >= documents.length, `${log.length} attempts`);
  check(
    'a webhook delivery succeeded',
    log.some((i) => i.outcome === 'succeeded'),
  );

  // 6. A failing delivery through the DLQ and back.
  await dlqRedriveStep(client, cleanup, outputs, client.baseUrl);

  // 7. Dead letters: the run's own are removed first (cleanup), then both DLQs must be empty.
  for (const failure of await cleanup.run(console.log)) check(`cleanup: ${failure}`, false);
  const sqs = new SQSClient({});
  for (const q of ['IngestDlqArn', 'DeliveryDlqArn']) {
    const depth = await queueDepth(sqs, queueUrlOf(need(outputs, q)));
    check(`${q.replace('Arn', '')} is empty`, depth === 0, `${depth} messages`);
  }

  const failed = checks.filter((c) => !c.ok);
  console.log(
    JSON.stringify({ bench: 'test:deployed', stack: STACK, checks: checks.length, failed: failed.length, skipped }),
  );
  return failed.length === 0 ? 0 : 1;
}

const cleanup = new Cleanup();
let code = 1;
try {
  code = await main(cleanup);
} catch (err) {
  console.error(`test:deployed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  // Whatever failed above: nothing the run created is left behind.
  const failures = await cleanup.run(console.log);
  for (const failure of failures) console.log(`FAIL cleanup: ${failure}`);
  if (failures.length > 0) code = 1;
}
process.exit(code);
