/**
 * Embedded files of a PDF (the EmbeddedFiles name tree that Factur-X / ZUGFeRD / XRechnung
 * hybrids use) and the e-invoice XML among them.
 */
import { sniffEInvoice } from '../core/einvoice/index.ts';
import { decodeXml, MAX_XML_BYTES } from '../core/einvoice/xml.ts';
import type { PdfjsDoc } from './pdf-doc.ts';

export interface EmbeddedXml { filename: string; bytes: Uint8Array }

/** Names the hybrid standards give their XML, most specific first. */
const KNOWN = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'zugferd_invoice.xml', 'order-x.xml'];

/**
 * The e-invoice XML attached to an open PDF, or null. Known file names first, then any attached
 * *.xml (or nameless file) whose root element is a CII or UBL invoice.
 */
export async function findEmbeddedEInvoiceXml(doc: PdfjsDoc): Promise<EmbeddedXml | null> {
  let files: Awaited<ReturnType<PdfjsDoc['getAttachments']>>;
  try {
    files = await doc.getAttachments();
  } catch {
    return null;
  }
  if (!files) return null;
  const list = Object.entries(files)
    .map(([key, f]) => ({ filename: (f.filename || key || '').split('/').pop() ?? '', bytes: f.content ?? null }))
    .filter((f): f is EmbeddedXml => f.bytes instanceof Uint8Array && f.bytes.length > 0 && f.bytes.length <= MAX_XML_BYTES);
  const rank = (name: string): number => {
    const i = KNOWN.indexOf(name.toLowerCase());
    if (i >= 0) return i;
    return /\.xml$/i.test(name) ? KNOWN.length : KNOWN.length + 1;
  };
  list.sort((a, b) => rank(a.filename) - rank(b.filename));
  for (const f of list) {
    if (rank(f.filename) > KNOWN.length && !looksLikeXml(f.bytes)) continue;
    try {
      if (sniffEInvoice(decodeXml(f.bytes))) return f;
    } catch {
      // not XML, or not an e-invoice: keep looking
    }
  }
  return null;
}

function looksLikeXml(b: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<');
}
