/**
 * An e-invoice payload in the AnalyzeExpense shape, so callers that only speak Textract's shape
 * (the analyser port, the normaliser) get the exact XML values. Confidence 100, no geometry.
 */
import type { AnalyzeExpenseResult, ExpenseField, LineItemFields } from '../core/analyze-expense.ts';
import type { DocumentData } from '../core/events.ts';

function field(type: string, value: string | number | null | undefined, currency?: string | null, label?: string): ExpenseField | null {
  if (value === null || value === undefined || value === '') return null;
  const f: ExpenseField = { Type: { Text: type, Confidence: 100 }, ValueDetection: { Text: String(value), Confidence: 100 }, PageNumber: 1 };
  if (label) f.LabelDetection = { Text: label, Confidence: 100 };
  if (currency) f.Currency = { Code: currency, Confidence: 100 };
  return f;
}

export function eInvoiceToExpense(d: DocumentData): AnalyzeExpenseResult {
  const c = d.currency;
  const summary = [
    field('VENDOR_NAME', d.merchant),
    field('INVOICE_RECEIPT_ID', d.invoice_id, null, 'Invoice number'),
    field('INVOICE_RECEIPT_DATE', d.date),
    field('DUE_DATE', d.due_date),
    field('SUBTOTAL', d.subtotal, c),
    field('TAX', d.tax, c),
    field('TOTAL', d.total, c),
    field('AMOUNT_DUE', d.amount_due, c),
    field('RECEIVER_NAME', d.customer_name),
    field('VENDOR_ADDRESS', d.vendor_address),
    field('VENDOR_VAT_NUMBER', d.vendor_tax_id),
    field('PO_NUMBER', d.po_number),
    field('PAYMENT_TERMS', d.payment_terms),
    field('OTHER', d.payment_method, null, 'Payment method'),
  ].filter((f): f is ExpenseField => f !== null);
  const items: LineItemFields[] = d.line_items.map((li) => ({
    LineItemExpenseFields: [
      field('ITEM', li.description),
      field('QUANTITY', li.quantity),
      field('UNIT_PRICE', li.unit_price, c),
      field('PRICE', li.total, c),
    ].filter((f): f is ExpenseField => f !== null),
  }));
  return {
    DocumentMetadata: { Pages: d.page_count ?? 1 },
    ExpenseDocuments: [{ ExpenseIndex: 1, SummaryFields: summary, LineItemGroups: items.length ? [{ LineItemGroupIndex: 0, LineItems: items }] : [] }],
  };
}
