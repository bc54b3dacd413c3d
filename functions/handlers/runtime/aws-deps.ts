/** Wires the core to AWS from the function's environment (set by the CDK stack). */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TextractClient } from '@aws-sdk/client-textract';
import { documentClient, dynamoStores, tableNamesFromEnv } from '../../adapters/aws/dynamodb/index.ts';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import { SqsDeliveryQueue } from '../../adapters/aws/sqs-delivery-queue.ts';
import { TextractAnalyser } from '../../adapters/aws/textract-analyser.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import type { CoreDeps, ExtractDeps, Logger, SignerDeps } from '../../core/deps.ts';
import type { Analyser } from '../../core/ports.ts';
import { systemClock } from '../../core/ports.ts';
import { loadSettings } from '../../core/settings.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function powertoolsLogger(): Logger {
  const logger = new PowertoolsLogger({ serviceName: 'docuhook' });
  return {
    debug: (m, e) => logger.debug(m, e ?? {}),
    info: (m, e) => logger.info(m, e ?? {}),
    warn: (m, e) => logger.warn(m, e ?? {}),
    error: (m, e) => logger.error(m, e ?? {}),
  };
}

let shared: { deps: CoreDeps; queue: SqsDeliveryQueue } | undefined;

function base(): { deps: CoreDeps; queue: SqsDeliveryQueue } {
  if (shared) return shared;
  const settings = loadSettings();
  const queue = new SqsDeliveryQueue(new SQSClient({}), required('DELIVERY_QUEUE_URL'));
  shared = {
    queue,
    deps: {
      ...dynamoStores(documentClient(), tableNamesFromEnv(), { attemptLogDays: settings.attemptLogDays }),
      objects: new S3ObjectStore(new S3Client({}), required('UPLOADS_BUCKET')),
      secrets: new SecretsManagerStore(new SecretsManagerClient({}), { kmsKeyId: process.env.SECRETS_KMS_KEY_ID }),
      deliveryQueue: queue,
      settings,
      clock: systemClock,
      logger: powertoolsLogger(),
    },
  };
  return shared;
}

export async function coreDepsFromEnv(): Promise<CoreDeps> {
  return base().deps;
}

export async function extractDepsFromEnv(): Promise<ExtractDeps> {
  let analyser: Analyser;
  if ((process.env.EXTRACTOR ?? 'textract') === 'local') {
    const { OfflineAnalyser } = await import('../../adapters/local/offline-analyser.ts');
    analyser = new OfflineAnalyser();
  } else {
    analyser = new TextractAnalyser(new TextractClient({}), required('UPLOADS_BUCKET'));
  }
  return { ...base().deps, analyser };
}

export async function signerDepsFromEnv() {
  const { deps, queue } = base();
  const signer: SignerDeps = { ...deps, http: new GuardedHttpSender({ allowLoopback: deps.settings.localMode }) };
  return { deps: signer, visibility: queue };
}
