/** Ground truth in the corpus' Expected format (test/support/score.ts). */
import type { Expected } from '../../test/support/score.ts';
import { decimal, isoDate } from './format.ts';
import type { Invoice } from './invoice-model.ts';
import type { Receipt } from './receipt-model.ts';

export function invoiceExpected(inv: Invoice): Expected {
  const scored = ['merchant', 'invoice_id', 'date', 'currency', 'subtotal', 'total', 'line_items'];
  if (inv.due) scored.push('due_date');
  if (inv.taxes.length) scored.push('tax');
  if (inv.amountDueCents !== null) scored.push('amount_due');
  return {
    document_type: 'invoice',
    merchant: inv.seller.name,
    invoice_id: inv.number,
    date: isoDate(inv.date),
    due_date: inv.due ? isoDate(inv.due) : null,
    currency: inv.currency.code,
    subtotal: decimal(inv.subtotalCents),
    tax: inv.taxes.length ? decimal(inv.taxCents) : null,
    total: decimal(inv.totalCents),
    amount_due: inv.amountDueCents === null ? null : decimal(inv.amountDueCents),
    customer_name: inv.customer,
    payment_method: null,
    line_items: inv.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit_price: decimal(l.unitCents),
      total: decimal(l.amountCents),
    })),
    _scored_fields: scored,
    _generator: { region: inv.region.id, lines: inv.lines.length, tax_rates: inv.taxes.map((t) => t.rate) },
  };
}

export function receiptExpected(r: Receipt): Expected {
  return {
    document_type: 'receipt',
    merchant: r.seller.name,
    date: isoDate(r.date),
    currency: r.currency.code,
    total: decimal(r.totalCents),
    _scored_fields: ['merchant', 'date', 'currency', 'total'],
    _generator: {
      region: r.region.id,
      width_mm: r.widthMm,
      gross: decimal(r.grossCents),
      tax_included: decimal(r.taxIncludedCents),
      rounding: decimal(r.roundingCents),
    },
  };
}
