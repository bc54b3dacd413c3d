/**
 * `docuhook extract <file> [--visual-only]`: offline extraction of one file; prints `data`
 * (exit 0) or `error` (exit 1). E-invoices first: an XML e-invoice, or a PDF carrying one
 * (Factur-X/ZUGFeRD/XRechnung), prints the exact XML values (`source: "e-invoice"`);
 * `--visual-only` ignores embedded XML and reads the PDF like any other.
 * Every failure is a CliError, which main prints as `{"error":{"code","message"}}` on stdout.
 */
import { basename } from 'node:path';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import { ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { readDocument, type ReadOutcome } from '../../functions/core/read-document.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../output.ts';
import { readAcceptedFile } from '../input-file.ts';

const MAX_BYTES = 50 * 1024 * 1024;

export interface ExtractCommandOptions {
  visualOnly?: boolean;
  /** One line instead of indented JSON. */
  json?: boolean;
}

export async function extract(file: string, options: ExtractCommandOptions = {}): Promise<number> {
  const { bytes, contentType } = readAcceptedFile(file, MAX_BYTES);
  // The same reading as the pipeline's: e-invoice first (unless --visual-only), then the extractor.
  const analyser = new OfflineAnalyser();
  let outcome: ReadOutcome;
  try {
    const eInvoices = options.visualOnly ? undefined : new ScanningEInvoiceReader();
    outcome = await readDocument(
      { eInvoices, analyser, logger: silentLogger },
      { bytes, contentType, filename: basename(file), objectKey: basename(file) },
    );
  } catch (err) {
    throw new CliError('EXTRACTION_FAILED', `Extraction failed: ${(err as Error).message}`);
  } finally {
    await analyser.close();
  }
  if (outcome.status === 'failed') throw new CliError(outcome.error.code, outcome.error.message);
  if (outcome.status !== 'completed')
    throw new CliError('EXTRACTION_FAILED', 'The offline extractor did not finish this file.');
  printJson(outcome.data, options.json);
  return 0;
}
