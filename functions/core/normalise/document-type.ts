/**
 * invoice vs receipt, from cues: receipts show what was paid (AMOUNT_PAID, change, cashier,
 * card approval, tax letters after prices); invoices ask to be paid (invoice wording, due date,
 * PO number, payment terms, an addressee).
 */
import { labelOf, type FieldView, type LineView } from './fields.ts';

const RECEIPT_WORDS =
  /\b(?:receipt|kassenbon|quittung|kassenbeleg|bon\s*fiscal|ticket\s*de\s*caisse|re[çc]u|recibo|ricevuta|scontrino|paragon|kassabon|change(?:\s*due)?|cashier|kassierer|caissier|cajero|tend(?:er(?:ed)?)?|approval|approved|auth(?:orization)?\s*(?:code|#)|items?\s*sold|customer\s*copy|merchant\s*copy|terminal|thank\s*you\s*for\s*(?:shopping|your\s*purchase)|merchant\s*id|trans(?:action)?\s*id|register|till|r[üu]ckgeld|wechselgeld|rendu|cambio)\b/i;
const INVOICE_WORDS =
  /\b(?:invoice|tax\s*invoice|rechnung|facture|factura|fattura|faktura|factuur|bill\s*to|sold\s*to|ship\s*to|remit|payment\s*terms|zahlungsbedingungen|zahlbar|due\s*date|f[äa]llig|[ée]ch[ée]ance|vencimiento|scadenza|termin\s*p[łl]atno[śs]ci|vervaldatum|iban|bic|swift|purchase\s*order|p\.?\s*o\.?\s*(?:#|number|no)|statement|amount\s*due|balance\s*due)\b/i;

export interface TypeEvidence {
  summary: readonly FieldView[];
  lines: readonly LineView[];
  hasDueDate: boolean;
  hasPoNumber: boolean;
  hasPaymentTerms: boolean;
  hasCustomer: boolean;
  taxFlaggedRows: number;
}

export function decideDocumentType(e: TypeEvidence): { type: 'invoice' | 'receipt'; confidence: number } {
  let invoice = 0;
  let receipt = 0;
  if (e.hasDueDate) invoice += 2;
  if (e.hasPoNumber) invoice += 1;
  if (e.hasPaymentTerms) invoice += 1;
  if (e.hasCustomer) invoice += 1;
  if (e.summary.some((f) => f.type === 'AMOUNT_PAID')) receipt += 2;
  if (e.taxFlaggedRows > 0) receipt += 1;

  const idLabels = e.summary.filter((f) => f.type === 'INVOICE_RECEIPT_ID').map(labelOf);
  if (idLabels.some((l) => /invoice|rechnung|facture|factura|fattura|faktura|factuur/.test(l))) invoice += 2;
  if (idLabels.some((l) => /receipt|re[çc]u|beleg|bon|ticket|recibo|ricevuta/.test(l))) receipt += 2;

  // Distinct cue words in labels, values and OCR lines, capped so long documents do not run away.
  const texts = [...e.summary.flatMap((f) => (f.value ? [f.label ?? '', f.value] : [])), ...e.lines.map((l) => l.text)];
  const receiptCues = new Set<string>();
  const invoiceCues = new Set<string>();
  for (const t of texts) {
    const r = RECEIPT_WORDS.exec(t);
    if (r) receiptCues.add(r[0].toLowerCase());
    const i = INVOICE_WORDS.exec(t);
    if (i) invoiceCues.add(i[0].toLowerCase());
  }
  receipt += Math.min(3, receiptCues.size);
  invoice += Math.min(3, invoiceCues.size);

  if (receipt > invoice) return { type: 'receipt', confidence: Math.min(0.99, 0.5 + (receipt - invoice) * 0.1) };
  // Ties (no cues at all) read as invoices: that is what the service is for.
  return { type: 'invoice', confidence: Math.min(0.99, 0.5 + (invoice - receipt) * 0.1) };
}
