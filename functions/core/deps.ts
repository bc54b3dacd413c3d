/**
 * Everything the core needs, injected: AWS adapters in Lambda, local adapters under `npm start`.
 * Each use case declares the part of CoreDeps it uses (e.g. `FinishDeps`, `DeliverDeps`).
 */
import type { DocumentsDeps } from './api/documents.ts';
import type { UploadsDeps } from './api/uploads.ts';
import type { WebhooksDeps } from './api/webhooks.ts';
import type { DeliverDeps } from './deliver.ts';
import type {
  AccountStore,
  AttemptLog,
  BatchStore,
  Clock,
  DeliveryLeases,
  DeliveryListing,
  DeliveryQueue,
  DocumentStore,
  EndpointStore,
  ObjectStore,
  ResultStore,
  SecretStore,
  UploadPresigner,
} from './ports.ts';
import type { CompleteAnalysisDeps, ProcessUploadDeps } from './process-upload.ts';
import type { SweepProcessingDeps } from './sweep-processing.ts';
import type { SweepUploadsDeps } from './sweep-uploads.ts';
import type { Settings } from './settings.ts';

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface Stores {
  accounts: AccountStore;
  documents: DocumentStore;
  batches: BatchStore;
  endpoints: EndpointStore;
  deliveries: DeliveryLeases;
  attemptLog: AttemptLog;
  deliveryListing: DeliveryListing;
}

export interface CoreDeps extends Stores {
  objects: ObjectStore;
  /** Event bodies too large for an item or a message (large-results.ts). */
  results: ResultStore;
  presigner: UploadPresigner;
  secrets: SecretStore;
  deliveryQueue: DeliveryQueue;
  settings: Settings;
  clock: Clock;
  logger: Logger;
}

// What each function is wired with: the union of the capabilities its use cases declare, so a
// capability a function must not use is a type error where it is wired, not a runtime surprise.

export type ExtractDeps = ProcessUploadDeps;
export type CompletionDeps = CompleteAnalysisDeps;
export type SignerDeps = DeliverDeps & Pick<CoreDeps, 'logger'>;
export type SweeperDeps = SweepUploadsDeps & SweepProcessingDeps;
export type ApiDeps = UploadsDeps & DocumentsDeps & WebhooksDeps & Pick<CoreDeps, 'accounts' | 'settings' | 'logger'>;
