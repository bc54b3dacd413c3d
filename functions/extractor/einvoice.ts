/**
 * "E-invoices first": the one entry point the pipeline calls before any visual extraction.
 * An uploaded XML e-invoice, or a PDF hybrid (Factur-X / ZUGFeRD / XRechnung) carrying one,
 * yields the exact payload with `source: "e-invoice"`; anything else yields null.
 */
import type { DocumentData } from '../core/events.ts';
import { EInvoiceError, parseEInvoice } from '../core/einvoice/index.ts';
import { sniffFileType } from '../core/file-type.ts';
import { findEmbeddedEInvoiceXml } from './attachments.ts';
import { ExtractionError } from './errors.ts';
import { deadline, openPdf, type PdfjsDoc } from './pdf-doc.ts';

const TIMEOUT_MS = 15_000;

/**
 * The e-invoice in these bytes, or null when there is none (a plain PDF, an image, a PDF whose
 * attachment is not an invoice or cannot be read: the visual path takes over).
 * Throws ExtractionError only for an XML upload that is not a readable e-invoice, since XML has
 * no other path (code UNSUPPORTED_FORMAT, or EXTRACTION_FAILED for a malformed/hostile one).
 */
export async function findEInvoice(bytes: Uint8Array, contentType: string): Promise<DocumentData | null> {
  void contentType; // the bytes decide; the declared type is checked by validateUpload
  const kind = sniffFileType(bytes.subarray(0, 4096));
  if (kind === 'xml') return parseXmlUpload(bytes);
  if (kind !== 'pdf') return null;
  const d = deadline(TIMEOUT_MS, 'PDF');
  let doc: PdfjsDoc | undefined;
  try {
    return await Promise.race([(async () => {
      doc = await openPdf(bytes);
      return eInvoiceFromDoc(doc, doc.numPages);
    })(), d.timeout]);
  } catch (e) {
    // Damaged, encrypted or hostile PDFs: the visual path reports them with its own codes.
    if (e instanceof ExtractionError) return null;
    throw e;
  } finally {
    d.clear();
    await (doc as PdfjsDoc | undefined)?.destroy().catch(() => undefined);
  }
}

/** Parse an e-invoice attached to an open PDF; null when none or unreadable. */
export async function eInvoiceFromDoc(doc: PdfjsDoc, pageCount?: number): Promise<DocumentData | null> {
  const xml = await findEmbeddedEInvoiceXml(doc);
  if (!xml) return null;
  try {
    const data = parseEInvoice(xml.bytes);
    return pageCount ? { ...data, page_count: pageCount } : data;
  } catch (e) {
    if (e instanceof EInvoiceError) return null;
    throw e;
  }
}

export function parseXmlUpload(bytes: Uint8Array): DocumentData {
  try {
    return parseEInvoice(bytes);
  } catch (e) {
    if (e instanceof EInvoiceError) {
      const notInvoice = /not a CII|not an? /.test(e.message);
      throw new ExtractionError(notInvoice ? 'UNSUPPORTED_FORMAT' : 'EXTRACTION_FAILED',
        notInvoice
          ? 'This XML file is not an e-invoice: only Factur-X/ZUGFeRD/XRechnung CII and UBL invoices are accepted as XML. Upload the invoice as PDF or image instead.'
          : `This XML e-invoice could not be read: ${e.message} Check the export and upload it again.`, { cause: e });
    }
    throw e;
  }
}
