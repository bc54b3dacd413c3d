/**
 * `docuhook extract <file> [--visual-only]`: offline extraction of one file; prints `data`
 * (exit 0) or `error` (exit 1). E-invoices first: an XML e-invoice, or a PDF carrying one
 * (Factur-X/ZUGFeRD/XRechnung), prints the exact XML values (`source: "e-invoice"`);
 * `--visual-only` ignores embedded XML and reads the PDF like any other.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import { DocumentData } from '../../functions/core/events.ts';
import { validateUpload } from '../../functions/core/file-type.ts';
import { hasInvoiceEvidence } from '../../functions/core/invoice-evidence.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { AnalysisError } from '../../functions/core/ports.ts';
import { ExtractionError, findEInvoice } from '../../functions/extractor/index.ts';
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
  const analyser = new OfflineAnalyser({ visualOnly: true });
  try {
    if (!options.visualOnly) {
      const einvoice = await findEInvoice(bytes, contentType);
      if (einvoice) {
        console.log(JSON.stringify(DocumentData.parse(einvoice), null, 2));
        return 0;
      }
    }
    const result = await analyser.analyse({ bytes, contentType, filename: basename(file), objectKey: basename(file) });
    const data = DocumentData.parse(normaliseExpense(result, { source: analyser.source }));
    if (!hasInvoiceEvidence(data)) return fail('NOT_AN_INVOICE', 'No invoice or receipt was found in this file: it has no total, invoice number or priced lines.');
    console.log(JSON.stringify(data, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof AnalysisError || err instanceof ExtractionError) return fail(err.code, err.message);
    return fail('EXTRACTION_FAILED', `Extraction failed: ${(err as Error).message}`);
  } finally {
    await analyser.close();
  }
}
