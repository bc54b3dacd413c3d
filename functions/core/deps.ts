/** Everything the core needs, injected: AWS adapters in Lambda, local adapters under `npm start`. */
import type {
  AccountStore, Analyser, EInvoiceReader, BatchStore, Clock, DeliveryQueue, DeliveryStore, DocumentStore,
  EndpointStore, HttpSender, IngestQueue, ObjectStore, SecretStore, UploadPresigner,
} from './ports.ts';
import type { ResultStore } from './large-results.ts';
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
  deliveries: DeliveryStore;
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

export interface ExtractDeps extends CoreDeps {
  eInvoices: EInvoiceReader;
  analyser: Analyser;
}
export interface SignerDeps extends CoreDeps { http: HttpSender }
/** The sweeper re-drives uploads whose S3 event was lost. */
export interface SweeperDeps extends CoreDeps { ingestQueue: IngestQueue }
