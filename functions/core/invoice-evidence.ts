/** Whether extracted data looks like an invoice or receipt at all (else NOT_AN_INVOICE). */
import type { DocumentData } from './events.ts';

export function hasInvoiceEvidence(data: DocumentData): boolean {
  const amounts = [data.total, data.subtotal, data.amount_due, data.tax].filter((v) => v != null).length;
  const identity = [data.invoice_id, data.date].filter((v) => v != null).length;
  const priced = data.line_items.some((li) => li.total != null || li.unit_price != null);
  // An amount that something is owed or paid, backed by an identity or by priced lines.
  return amounts > 0 && (identity > 0 || priced || amounts > 1);
}
