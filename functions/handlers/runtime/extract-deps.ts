import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { S3ResultStore } from '../../adapters/aws/s3-result-store.ts';
import { TextractAnalyser } from '../../adapters/aws/textract-analyser.ts';
import { ScanningEInvoiceReader } from '../../adapters/pdf-embedded-xml.ts';
import type { ExtractDeps } from '../../core/deps.ts';
import type { Analyser } from '../../core/ports.ts';
import { pipelineDepsFromEnv, required } from './pipeline-deps.ts';

/** Extraction reads uploads and analyses them with Textract, or with the offline extractor. */
export async function extractDepsFromEnv(): Promise<ExtractDeps> {
  let analyser: Analyser;
  if ((process.env.EXTRACTOR ?? 'textract') === 'local') {
    // Only `extractor: local` bundles include the offline extractor (see lib/bundling.ts).
    const { OfflineAnalyser } = await import('../../adapters/local/offline-analyser.ts');
    analyser = new OfflineAnalyser(); // e-invoices are read before analysing
  } else {
    analyser = new TextractAnalyser(new TextractClient({}), required('UPLOADS_BUCKET'));
  }
  const s3 = new S3Client({});
  return {
    ...pipelineDepsFromEnv(),
    objects: new S3ObjectStore(s3, required('UPLOADS_BUCKET')),
    results: new S3ResultStore(s3, required('UPLOADS_BUCKET')), // write: a result too large for its item or message
    eInvoices: new ScanningEInvoiceReader(),
    analyser,
  };
}
