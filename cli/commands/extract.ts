/**
 * `docuhook extract <file> [--visual-only]`: offline extraction of one file; prints `data`
 * (exit 0) or `error` (exit 1). E-invoices first: an XML e-invoice, or a PDF carrying one
 * (Factur-X/ZUGFeRD/XRechnung), prints the exact XML values (`source: "e-invoice"`);
 * `--visual-only` ignores embedded XML and reads the PDF like any other.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import { ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { validateUpload } from '../../functions/core/file-type.ts';
import { readDocument } from '../../functions/core/read-document.ts';
import { contentTypeOf } from '../api-client.ts';

const MAX_BYTES = 50 * 1024 * 1024;

function fail(code: string, message: string): number {
  console.log(JSON.stringify({ error: { code, message } }));
  return 1;
}

export interface ExtractCommandOptions {
  visualOnly?: boolean;
}

export async function extract(file: string | undefined, options: ExtractCommandOptions = {}): Promise<number> {
  if (!file) return fail('USAGE', 'usage: docuhook extract <file> [--visual-only]');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return fail('FILE_NOT_FOUND', `Cannot read ${file}.`);
  }
  const bytes = size > MAX_BYTES ? new Uint8Array() : new Uint8Array(readFileSync(file));
  const contentType = contentTypeOf(file);
  const check = validateUpload({ head: bytes.subarray(0, 4096), size, declaredContentType: contentType, maxBytes: MAX_BYTES });
  if (!check.ok) return fail(check.code, check.message);
  // The same reading as the pipeline's: e-invoice first (unless --visual-only), then the extractor.
  const analyser = new OfflineAnalyser();
  try {
    const eInvoices = options.visualOnly ? undefined : new ScanningEInvoiceReader();
    const outcome = await readDocument({ eInvoices, analyser, logger: silentLogger }, { bytes, contentType, filename: basename(file), objectKey: basename(file) });
    if (outcome.status === 'failed') return fail(outcome.error.code, outcome.error.message);
    if (outcome.status !== 'completed') return fail('EXTRACTION_FAILED', 'The offline extractor did not finish this file.');
    console.log(JSON.stringify(outcome.data, null, 2));
    return 0;
  } catch (err) {
    return fail('EXTRACTION_FAILED', `Extraction failed: ${(err as Error).message}`);
  } finally {
    await analyser.close();
  }
}
