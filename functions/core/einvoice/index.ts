/**
 * E-invoices (EN 16931 syntaxes) → the webhook payload, exactly: Factur-X / ZUGFeRD CII (1.0 and
 * 2.x), XRechnung CII, and UBL Invoice / CreditNote (XRechnung UBL, Peppol). Pure: no I/O.
 * The machine-readable invoice is the legal original, so its values beat anything read visually.
 */
import type { DocumentData } from '../events.ts';
import { addAmounts, amountsClose } from '../parse/amount.ts';
import { isCiiRoot, readCii } from './cii.ts';
import { isUblRoot, readUbl } from './ubl.ts';
import { decodeXml, EInvoiceError, parseXml, rootOf } from './xml.ts';

export { EInvoiceError, MAX_XML_ATTRIBUTES, MAX_XML_BYTES, MAX_XML_DEPTH, MAX_XML_ELEMENTS } from './xml.ts';

export type EInvoiceSyntax = 'cii' | 'ubl';

/** Cheap sniff on the text (no parse): which e-invoice syntax a document's root element names. */
export function sniffEInvoice(xml: string): EInvoiceSyntax | null {
  const head = xml.slice(0, 8192);
  const name = rootElementName(head);
  if (!name) return null;
  if (isCiiRoot(name)) return 'cii';
  if (isUblRoot(name) && /urn:oasis:names:specification:ubl:schema:xsd:(?:Invoice|CreditNote)-2/.test(head))
    return 'ubl';
  return null;
}

const ELEMENT_NAME = /<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/y;

/**
 * The local name of the first element after the prolog, comments and processing instructions.
 * A scan, not one regex: skipping `<?…?>` with a lazy pattern inside a repetition backtracked
 * exponentially on a run of instructions that ends in garbage (28 of them took 15 s).
 */
function rootElementName(head: string): string | undefined {
  let i = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < head.length && /\s/.test(head[i]!)) i++;
    const [open, close] = head.startsWith('<?', i) ? ['<?', '?>'] : head.startsWith('<!--', i) ? ['<!--', '-->'] : [];
    if (!open || !close) break;
    const end = head.indexOf(close, i + open.length);
    if (end < 0) return undefined;
    i = end + close.length;
  }
  ELEMENT_NAME.lastIndex = i;
  return ELEMENT_NAME.exec(head)?.[1];
}

/**
 * Parse an e-invoice. Throws EInvoiceError when the XML is not one (or is hostile/malformed).
 * The payload always has `source: "e-invoice"` and confidence 1 for every field found.
 */
export function parseEInvoice(input: string | Uint8Array): DocumentData {
  const xml = decodeXml(input);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml.slice(0, 64 * 1024)))
    throw new EInvoiceError('The XML declares a DTD or entities, which e-invoices never need; it was refused.');
  const syntax = sniffEInvoice(xml);
  if (!syntax) throw new EInvoiceError('The XML is not a CII (Factur-X/ZUGFeRD/XRechnung) or UBL invoice.');
  const root = rootOf(parseXml(xml));
  if (!root) throw new EInvoiceError('The XML has no root element.');
  const data = syntax === 'cii' ? readCii(root.node) : readUbl(root.node, root.name);
  return finish(data);
}

function finish(data: DocumentData): DocumentData {
  const confidence: Record<string, number> = {};
  for (const k of [
    'merchant',
    'invoice_id',
    'date',
    'due_date',
    'currency',
    'subtotal',
    'tax',
    'total',
    'payment_method',
    'amount_due',
  ] as const) {
    if (data[k] != null) confidence[k] = 1;
  }
  if (data.line_items.length) confidence.line_items = 1;
  const warnings: NonNullable<DocumentData['warnings']> = [];
  if (data.subtotal && data.tax && data.total && !amountsClose(addAmounts(data.subtotal, data.tax), data.total, '0.01'))
    warnings.push('TOTALS_MISMATCH');
  if (!data.invoice_id && !data.total)
    throw new EInvoiceError('The e-invoice carries neither an invoice number nor a total.');
  return { ...data, confidence, warnings, source: 'e-invoice' };
}
