/**
 * AnalyzeExpense-shaped response → the webhook payload's `data` object (docs/design.md §2.3).
 * Pure: no AWS SDK, no I/O. The Textract adapter and the offline extractor both feed it.
 */
import type { AnalyzeExpenseResult } from '../analyze-expense.ts';
import type { DocumentData, Warning } from '../events.ts';
import { addAmounts, amountsClose, formatAmount, sumAmounts, subtractAmounts } from '../parse/amount.ts';
import { minorUnits } from '../parse/currency.ts';
import { decideDocumentType } from './document-type.ts';
import { viewResponse } from './fields.ts';
import { extractLineItems } from './line-items.ts';
import { decideCurrency, decideDayFirst, decideDecimalSeparator, round3 } from './locale.ts';
import { pickMerchant } from './merchant.ts';
import { pickPaymentMethod } from './payment-method.ts';
import {
  dateTexts,
  pickCustomerName,
  pickDate,
  pickDueDate,
  pickInvoiceId,
  pickPaymentTerms,
  pickPoNumber,
  pickVendorAddress,
  pickVendorTaxId,
} from './summary-fields.ts';
import { decideTotals, type Totals } from './totals.ts';

export interface NormaliseOptions {
  source?: 'textract' | 'local' | 'e-invoice';
}

function unit(currency: string | null): string {
  const m = currency ? minorUnits(currency) : 2;
  return m === 0 ? '1' : `0.${'0'.repeat(m - 1)}1`;
}

/** subtotal (+ tax) (+/- discount) = total, in any of the ways invoices print it. */
function totalsConsistent(
  t: { subtotal: string; tax: string | null; total: string; discount: string | null },
  tol: string,
): boolean {
  const tax = t.tax ?? '0';
  const bases = [addAmounts(t.subtotal, tax)];
  if (t.tax === null) bases.push(t.subtotal);
  if (t.discount) {
    const d = t.discount.replace(/^-/, '');
    for (const b of [...bases]) bases.push(subtractAmounts(b, d));
  }
  return bases.some((b) => amountsClose(b, t.total, tol));
}

function lineItemsConsistent(
  lineSum: string,
  totals: { subtotal: string | null; tax: string | null; total: string | null; discount: string | null },
  tol: string,
): boolean {
  if (totals.subtotal !== null) {
    // Some tables list net amounts, some gross ones: both reconcile with the summary.
    return (
      amountsClose(lineSum, totals.subtotal, tol) || (totals.total !== null && amountsClose(lineSum, totals.total, tol))
    );
  }
  if (totals.total === null) return true;
  const d = totals.discount?.replace(/^-/, '') ?? null;
  const options = [lineSum, ...(totals.tax ? [addAmounts(lineSum, totals.tax)] : [])];
  if (d) for (const o of [...options]) options.push(subtractAmounts(o, d));
  return options.some((o) => amountsClose(o, totals.total ?? '0', tol));
}

const KEY_FIELDS = ['merchant', 'date', 'total'];
/** Below this a key field is flagged (LOW_CONFIDENCE): on the development sets such fields are right well under 90 % of the time. */
export const LOW_CONFIDENCE = 0.5;

function formatted(t: Totals, currency: string | null) {
  const f = (p: { value: string } | null) => (p ? formatAmount(p.value, currency) : null);
  return {
    subtotal: f(t.subtotal),
    tax: f(t.tax),
    total: f(t.total),
    amountDue: f(t.amountDue),
    discount: f(t.discount),
  };
}

export function normaliseExpense(result: AnalyzeExpenseResult, options?: NormaliseOptions): DocumentData {
  const view = viewResponse(result ?? {});
  const warnings = new Set<Warning>();
  const confidence: Record<string, number> = {};
  const note = (key: string, c: number | null | undefined) => {
    if (typeof c === 'number' && Number.isFinite(c)) confidence[key] = round3(c);
  };

  const currencyDecision = decideCurrency(view);
  const currency = currencyDecision.code;
  if (currency) {
    note('currency', currencyDecision.confidence);
    if (currencyDecision.assumed) warnings.add('CURRENCY_ASSUMED');
  }
  const decimalHint = decideDecimalSeparator([...view.summary, ...view.rows.flatMap((r) => r.fields)]);

  const lines = extractLineItems(view.rows, currency, decimalHint);
  const lineTotals = lines.items.map((i) => i.total);
  const allLineTotals = lineTotals.length > 0 && lineTotals.every((t) => t !== null);
  const lineSum = allLineTotals ? sumAmounts(lineTotals as string[]) : null;
  if (lines.confidence !== null) note('line_items', lines.confidence);

  const totals = decideTotals(view.summary, decimalHint, lineSum);
  const money = formatted(totals, currency);
  note('subtotal', totals.subtotal?.confidence);
  note('tax', totals.tax?.confidence);
  note('total', totals.total?.confidence);
  note('amount_due', totals.amountDue?.confidence);

  // Every date printed on the page is evidence for the order, not only the labelled ones.
  const pageTexts = view.lines.map((l) => l.text);
  const order = decideDayFirst([...dateTexts(view.summary), ...pageTexts], currencyDecision, pageTexts);
  const date = pickDate(view.summary, order);
  const dueDate = pickDueDate(view.summary, order);
  if (date?.ambiguous || dueDate?.ambiguous) warnings.add('DATE_AMBIGUOUS');
  note('date', date?.confidence);
  note('due_date', dueDate?.confidence);

  const merchant = pickMerchant(view.summary, view.rows, view.lines);
  const invoiceId = pickInvoiceId(view.summary);
  const payment = pickPaymentMethod(view.summary, view.lines);
  const vendorAddress = pickVendorAddress(view.summary);
  const vendorTaxId = pickVendorTaxId(view.summary);
  const customer = pickCustomerName(view.summary);
  const po = pickPoNumber(view.summary);
  const terms = pickPaymentTerms(view.summary);
  note('merchant', merchant?.confidence);
  note('invoice_id', invoiceId?.confidence);
  note('payment_method', payment?.confidence);
  note('vendor_address', vendorAddress?.confidence);
  note('vendor_tax_id', vendorTaxId?.confidence);
  note('customer_name', customer?.confidence);
  note('po_number', po?.confidence);
  note('payment_terms', terms?.confidence);

  const docType = decideDocumentType({
    summary: view.summary,
    lines: view.lines,
    hasDueDate: dueDate !== null,
    hasPoNumber: po !== null,
    hasPaymentTerms: terms !== null,
    hasCustomer: customer !== null,
    taxFlaggedRows: lines.taxFlagged,
  });
  note('document_type', docType.confidence);

  const tol = unit(currency);
  if (
    money.subtotal !== null &&
    money.total !== null &&
    !totalsConsistent({ subtotal: money.subtotal, tax: money.tax, total: money.total, discount: money.discount }, tol)
  ) {
    warnings.add('TOTALS_MISMATCH');
  }
  if (lineSum !== null && (money.subtotal !== null || money.total !== null)) {
    if (
      !lineItemsConsistent(
        formatAmount(lineSum, currency),
        { subtotal: money.subtotal, tax: money.tax, total: money.total, discount: money.discount },
        tol,
      )
    ) {
      warnings.add('LINE_ITEMS_MISMATCH');
    }
  }

  // A key field read with little certainty deserves a person's look before anyone pays on it.
  if (KEY_FIELDS.some((k) => confidence[k] !== undefined && confidence[k] < LOW_CONFIDENCE))
    warnings.add('LOW_CONFIDENCE');

  return {
    document_type: docType.type,
    merchant: merchant?.value ?? null,
    invoice_id: invoiceId?.value ?? null,
    date: date?.iso ?? null,
    due_date: dueDate?.iso ?? null,
    currency,
    subtotal: money.subtotal,
    tax: money.tax,
    total: money.total,
    payment_method: payment?.value ?? null,
    line_items: lines.items,
    vendor_address: vendorAddress?.value ?? null,
    vendor_tax_id: vendorTaxId?.value ?? null,
    customer_name: customer?.value ?? null,
    po_number: po?.value ?? null,
    payment_terms: terms?.value ?? null,
    amount_due: money.amountDue,
    page_count: view.pageCount,
    confidence,
    warnings: [...warnings],
    source: options?.source ?? 'textract',
  };
}
