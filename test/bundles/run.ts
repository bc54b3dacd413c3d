/**
 * `npm run test:bundles`: the deployable assets, built as `cdk synth` builds them, each run from an
 * empty folder (no node_modules but what it ships) on Lambda's Node where available, with
 * realistic events against local stand-ins. Catches a missing module, a bad handler path, an init
 * failure or a wiring mistake (an environment variable, a client) before a deploy would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FIXTURES_DIR } from '../support/paths.ts';
import { synthIsolated, type IsolatedFunction } from './assets.ts';
import { apiEvent, deliveryEvent, ingestEvent, scheduleEvent, textractCompletionEvent } from './events.ts';
import { invoke } from './invoke.ts';
import { lambdaNode } from './node-runtime.ts';
import { lambdaEnvironment, startServices } from './services.ts';

const log = (line: string) => console.log(line);
const node = lambdaNode(log);
log(
  `bundles run on ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${node === process.execPath ? 'this Node' : "Lambda's major"})`,
);

const services = await startServices();
let failures = 0;
async function check(
  label: string,
  fn: IsolatedFunction | undefined,
  event: unknown,
  expect: (result: any) => void,
): Promise<void> {
  try {
    assert.ok(fn, `${label}: no such function in the template`);
    const { result, ms } = await invoke(node, fn, lambdaEnvironment(fn.environment, services.env), event);
    expect(result);
    log(`ok    ${label} (${Math.round(ms)} ms, cold)`);
  } catch (err) {
    failures++;
    log(`FAIL  ${label}: ${String(err).slice(0, 2000)}`);
  }
}
const noFailures = (r: any) => assert.deepEqual(r, { batchItemFailures: [] });
const byId = (fns: IsolatedFunction[], prefix: string) => fns.find((f) => f.id.startsWith(prefix));

try {
  log('synthesizing (extractor: textract) …');
  const textract = synthIsolated({});
  await check(
    'api: an unknown API key is refused after the accounts lookup',
    byId(textract, 'HttpApiApiFunction'),
    apiEvent('GET', '/v1/documents', { authorization: 'Bearer dh_live_unknown' }),
    (r) => assert.equal(r.statusCode, 401),
  );
  await check(
    'extract (textract): an S3 → SQS record for an upload no document owns',
    byId(textract, 'IngestExtractFunction'),
    ingestEvent('uploads/acct_bundles/doc_bundles'),
    noFailures,
  );
  await check(
    'signer: a delivery message for a deleted endpoint',
    byId(textract, 'DeliverySignerFunction'),
    deliveryEvent({
      webhookId: 'msg_bundles',
      accountId: 'acct_bundles',
      endpointId: 'ep_gone',
      eventType: 'document.completed',
      subjectId: 'doc_bundles',
      body: '{}',
    }),
    noFailures,
  );
  await check(
    'textract-complete: a Textract SNS notification for an unknown document',
    byId(textract, 'TextractAsyncCompleteFunction'),
    textractCompletionEvent('doc_unknown'),
    noFailures,
  );
  await check('sweeper: the 5-minute schedule', byId(textract, 'SweeperSweeperFunction'), scheduleEvent, (r) =>
    assert.equal(typeof r, 'object'),
  );

  log('synthesizing (extractor: local) …');
  const local = synthIsolated({ extractor: 'local' });
  const extractLocal = byId(local, 'IngestExtractFunction');
  await check(
    'extract (local): an S3 → SQS record for an upload no document owns',
    extractLocal,
    ingestEvent('uploads/acct_bundles/doc_bundles'),
    noFailures,
  );
  try {
    assert.ok(extractLocal);
    const words = ocrFromAsset(
      extractLocal.dir,
      resolve(FIXTURES_DIR, 'textract', 'trp-js_invoice-expense-response.source.png'),
    );
    assert.ok(words > 60, `only ${words} words read`);
    log(`ok    extract (local): OCR from the asset alone (worker script, WASM core, language data): ${words} words`);
  } catch (err) {
    failures++;
    log(`FAIL  extract (local) OCR: ${String(err).slice(0, 2000)}`);
  }
} finally {
  await services.close();
}
log(failures === 0 ? 'all bundles passed' : `${failures} bundle check(s) failed`);
process.exit(failures === 0 ? 0 : 1);

/** OCRs an image with the tesseract.js the asset ships, resolved exactly as ocr.ts resolves it. */
function ocrFromAsset(dir: string, image: string): number {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(new URL('./index.mjs', 'file://' + process.cwd() + '/'));
    const T = require('tesseract.js');
    const langPath = require('node:path').dirname(require.resolve('@tesseract.js-data/eng/package.json')) + '/4.0.0_best_int';
    const worker = await T.createWorker('eng', 1, { langPath, gzip: true, cacheMethod: 'none' });
    const { data } = await worker.recognize(process.argv[1]);
    await worker.terminate();
    process.stdout.write(String(data.text.split(/\\s+/).filter(Boolean).length));`;
  const r = spawnSync(node, ['--input-type=module', '-e', script, image], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(r.stderr.slice(-2000));
  return Number(r.stdout);
}
