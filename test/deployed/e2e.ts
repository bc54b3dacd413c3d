/**
 * `npm run test:deployed`: the end-to-end flow against a DEPLOYED stack (not part of `npm test`;
 * it needs AWS credentials and a stack made with `npx cdk deploy`). It reads the stack's outputs
 * with CloudFormation DescribeStacks, then:
 *   1. creates a test account and API key in the accounts table (as `docuhook accounts create`),
 *   2. optionally registers a webhook (DOCUHOOK_E2E_WEBHOOK_URL, a public https receiver),
 *   3. uploads the sample invoices through the API and the presigned POST,
 *   4. waits until each document completes (the polling path), checks the payload,
 *   5. checks the delivery attempt log (when a webhook was registered) and that both DLQs are empty.
 *
 * Before any of that it runs the preflight (preflight.ts): stack outputs present, the alarm topic
 * has a confirmed subscription, the account's Lambda concurrency holds the stack's caps, Textract
 * exists in the region, the receiver URL is https; any problem stops the run before it sends anything.
 *
 * Environment: DOCUHOOK_STACK (default docuhook-dev), AWS_REGION / AWS_PROFILE as usual,
 * DOCUHOOK_E2E_WEBHOOK_URL (a temporary public https receiver you control), DOCUHOOK_E2E_TIMEOUT_S
 * (default 300), DOCUHOOK_E2E_EXTRACTOR (textract|local, default textract).
 * Exit code 0 when every check passed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DocuhookClient, postFile, type UploadTicket } from '../../cli/api-client.ts';
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb/accounts.ts';
import { documentClient } from '../../functions/adapters/aws/dynamodb/client.ts';
import { hashApiKey, newAccountId, newApiKey } from '../../functions/core/ids.ts';
import { REPO_DIR } from '../support/paths.ts';
import { alarmTopicProblems, concurrencyProblems, missingOutputs, receiverProblems, textractRegionProblems } from './preflight.ts';

const STACK = process.env.DOCUHOOK_STACK ?? 'docuhook-dev';
const TIMEOUT_S = Number(process.env.DOCUHOOK_E2E_TIMEOUT_S ?? 300);
const SAMPLES = ['riverside-consulting.pdf', 'thames-print-works.pdf'];

type Outputs = Record<string, string>;
const checks: { name: string; ok: boolean; detail?: string }[] = [];
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

async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Everything checked before anything is sent; problems are listed together. */
async function preflight(outputs: Outputs): Promise<string[]> {
  const problems = [...missingOutputs(outputs), ...receiverProblems(process.env.DOCUHOOK_E2E_WEBHOOK_URL)];
  if (outputs.AlarmTopicArn) {
    const { Subscriptions = [] } = await new SNSClient({}).send(new ListSubscriptionsByTopicCommand({ TopicArn: outputs.AlarmTopicArn }));
    problems.push(...alarmTopicProblems(Subscriptions));
  }
  const { AccountLimit = {} } = await new LambdaClient({}).send(new GetAccountSettingsCommand({}));
  problems.push(...concurrencyProblems(AccountLimit, Number(outputs.QueueConsumerConcurrency ?? 0)));
  const region = outputs.ApiUrl?.match(/execute-api\.([a-z0-9-]+)\./)?.[1];
  const extractor = process.env.DOCUHOOK_E2E_EXTRACTOR === 'local' ? 'local' : 'textract';
  if (region) problems.push(...textractRegionProblems(region, extractor));
  return problems;
}

async function main(): Promise<number> {
  const outputs = await stackOutputs();
  const problems = await preflight(outputs);
  for (const p of problems) console.log(`FAIL preflight: ${p}`);
  if (problems.length > 0) return 1;
  console.log('ok   preflight (outputs, alarm subscription, Lambda concurrency, Textract region, receiver)');
  const apiUrl = need(outputs, 'ApiUrl');
  console.log(`stack ${STACK}: ${apiUrl}`);

  // 1. An account and key, exactly as `docuhook accounts create` makes them.
  const accounts = new DynamoAccountStore(documentClient(), need(outputs, 'AccountsTableName'));
  const accountId = newAccountId();
  const apiKey = newApiKey();
  const now = new Date().toISOString();
  await accounts.createAccount({ accountId, name: `e2e ${now}`, createdAt: now });
  await accounts.addApiKey({ accountId, keyHash: hashApiKey(apiKey), createdAt: now, label: 'test:deployed' });
  const client = new DocuhookClient(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`, apiKey);
  const anonymous = await fetch(new URL('v1/webhooks', client.baseUrl));
  check('the API refuses calls without a key', anonymous.status === 401, `HTTP ${anonymous.status}`);

  // 2. A webhook, when a public receiver is given.
  let webhookId: string | undefined;
  if (process.env.DOCUHOOK_E2E_WEBHOOK_URL) {
    const created = await client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', { url: process.env.DOCUHOOK_E2E_WEBHOOK_URL });
    webhookId = created.id;
    check('webhook created with a secret', /^whsec_/.test(created.secret));
  }

  // 3. Uploads.
  const documents: string[] = [];
  for (const name of SAMPLES) {
    const bytes = readFileSync(resolve(REPO_DIR, 'samples', name));
    const ticket = await client.request<UploadTicket>('POST', '/v1/uploads', { filename: name, content_type: 'application/pdf', size_bytes: bytes.length });
    await postFile(ticket, bytes, name, 'application/pdf');
    documents.push(ticket.document_id);
    console.log(`uploaded ${name} as ${ticket.document_id}`);
  }

  // 4. Wait for the pipeline (S3 → ingest → extract → DynamoDB).
  const deadline = Date.now() + TIMEOUT_S * 1000;
  for (const id of documents) {
    let doc: { status: string; data?: { total?: string | null; source?: string }; error?: { code: string } } | undefined;
    while (Date.now() < deadline) {
      doc = await client.request('GET', `/v1/documents/${id}`);
      if (doc?.status === 'completed' || doc?.status === 'failed') break;
      await sleep(3000);
    }
    check(`${id} completed`, doc?.status === 'completed', doc?.status === 'failed' ? doc.error?.code : doc?.status);
    if (doc?.status === 'completed') check(`${id} has a total`, typeof doc.data?.total === 'string', `total ${doc.data?.total}, source ${doc.data?.source}`);
  }

  // 5. Deliveries and dead letters.
  if (webhookId) {
    await sleep(10_000);
    const log = await client.request<{ items?: { outcome: string; statusCode: number | null }[] }>('GET', `/v1/webhooks/${webhookId}/deliveries`);
    const items = log.items ?? [];
    check('webhook deliveries were attempted', items.length >= documents.length, `${items.length} attempts`);
    check('a webhook delivery succeeded', items.some((i) => i.outcome === 'succeeded'));
    await client.request('DELETE', `/v1/webhooks/${webhookId}`);
  }
  const sqs = new SQSClient({});
  for (const q of ['IngestDlqName', 'DeliveryDlqName']) {
    const arn = outputs[q.replace('Name', 'Arn')];
    if (!arn) continue;
    const [, , , region, account, name] = arn.split(':');
    const depth = await queueDepth(sqs, `https://sqs.${region}.amazonaws.com/${account}/${name}`);
    check(`${q.replace('Name', '')} is empty`, depth === 0, `${depth} messages`);
  }

  const failed = checks.filter((c) => !c.ok);
  console.log(JSON.stringify({ bench: 'test:deployed', stack: STACK, checks: checks.length, failed: failed.length }));
  console.log(`Test account ${accountId} stays in the accounts table; delete it with: aws dynamodb delete-item --table-name ${outputs.AccountsTableName} --key '{"pk":{"S":"account#${accountId}"}}' (and its key#… item).`);
  return failed.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`test:deployed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
