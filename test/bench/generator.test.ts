import { describe, expect, it } from 'vitest';
import { generateDoc } from '../../bench/generator/document.ts';
import { formatAmount, formatDate, formatNumber, formatQuantity } from '../../bench/generator/format.ts';
import { esc } from '../../bench/generator/html-common.ts';
import type { Invoice } from '../../bench/generator/invoice-model.ts';
import type { Receipt } from '../../bench/generator/receipt-model.ts';

const cents = (s: unknown): number => Math.round(Number(s) * 100);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
/** The HTML's text with tags removed and entities undone, as a reader of the page sees it. */
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;/g, ' ');

describe('generated invoices', () => {
  const docs = Array.from({ length: 300 }, (_, i) => generateDoc(4242, i, 300));

  it('have ground truth whose figures add up', () => {
    for (const d of docs) {
      const e = d.expected;
      const inv = d.model as Invoice;
      for (const li of e.line_items!)
        expect(cents(li.total), d.id).toBe(Math.round(li.quantity! * cents(li.unit_price)));
      expect(cents(e.subtotal), d.id).toBe(sum(e.line_items!.map((li) => cents(li.total))));
      expect(cents(e.tax ?? 0), d.id).toBe(sum(inv.taxes.map((t) => t.taxCents)));
      for (const t of inv.taxes)
        expect(Math.abs(t.taxCents - (t.baseCents * t.rate) / 100), d.id).toBeLessThanOrEqual(0.5);
      if (inv.taxes.length)
        expect(sum(inv.taxes.map((t) => t.baseCents)), d.id).toBe(
          cents(e.subtotal) - inv.discountCents + inv.shippingCents,
        );
      expect(cents(e.total), d.id).toBe(cents(e.subtotal) - inv.discountCents + inv.shippingCents + cents(e.tax ?? 0));
      if (e.amount_due !== null) expect(cents(e.amount_due), d.id).toBe(cents(e.total) - inv.paidCents);
      if (e.due_date) expect(String(e.due_date) > String(e.date), d.id).toBe(true);
    }
  });

  it('print every scored value in the HTML', () => {
    for (const d of docs) {
      const inv = d.model as Invoice;
      const page = text(d.html);
      const e = d.expected;
      expect(page, d.id).toContain(String(e.merchant));
      expect(page, d.id).toContain(String(e.invoice_id));
      expect(page, d.id).toContain(formatDate(inv.date, inv.dates, inv.lang));
      if (inv.due) expect(page, d.id).toContain(formatDate(inv.due, inv.dates, inv.lang));
      for (const f of ['subtotal', 'total', 'amount_due'] as const)
        if (e[f] !== null) expect(page, `${d.id} ${f}`).toContain(formatAmount(cents(e[f]), inv.amounts));
      // The tax: its total, or one row per rate that adds up to it.
      for (const t of inv.taxes) expect(page, d.id).toContain(formatAmount(t.taxCents, inv.amounts));
      for (const li of e.line_items!) {
        expect(page, d.id).toContain(li.description!);
        expect(page, d.id).toContain(formatNumber(cents(li.total), inv.amounts.number));
      }
    }
  });

  it('vary languages, regions, currencies and layouts', () => {
    const models = docs.map((d) => d.model as Invoice);
    expect(new Set(models.map((m) => m.lang.code)).size).toBe(7);
    expect(new Set(models.map((m) => m.currency.code)).size).toBeGreaterThanOrEqual(8);
    expect(models.filter((m) => m.taxes.length > 1).length).toBeGreaterThan(20);
    expect(models.filter((m) => m.lines.length > 25).length).toBeGreaterThan(10);
    expect(new Set(docs.map((d) => /class="items (\w+)"/.exec(d.html)![1])).size).toBe(5);
    const splits = docs.filter((d) => d.split === 'tune').length;
    expect(splits).toBeGreaterThan(120);
    expect(splits).toBeLessThan(180);
  });

  it('print each quantity exactly as the ground truth has it', () => {
    for (const d of docs) {
      for (const l of (d.model as Invoice).lines)
        expect(
          Number(
            formatQuantity(l.quantity, l.quantityDecimals, { ...(d.model as Invoice).amounts.number, decimal: '.' }),
          ),
          d.id,
        ).toBe(l.quantity);
    }
  });

  it('are the same for the same seed and differ for another', () => {
    expect(generateDoc(4242, 7, 300).html).toBe(docs[7]!.html);
    expect(generateDoc(4243, 7, 300).html).not.toBe(docs[7]!.html);
  });

  it('escape names in the HTML', () => {
    expect(esc('Smith & Jones <Ltd>')).toBe('Smith &amp; Jones &lt;Ltd&gt;');
  });
});

describe('generated receipts', () => {
  const docs = Array.from({ length: 200 }, (_, i) => generateDoc(99, i, 0));

  it('total the lines, rounded to the cash step, with the tax included', () => {
    for (const d of docs) {
      const r = d.model as Receipt;
      expect(r.grossCents, d.id).toBe(sum(r.lines.map((l) => l.quantity * l.unitCents)));
      expect(cents(d.expected.total), d.id).toBe(r.grossCents + r.roundingCents);
      expect(cents(d.expected.total) % r.region.cashRounding, d.id).toBe(0);
      expect(Math.abs(r.roundingCents), d.id).toBeLessThan(r.region.cashRounding);
      expect(Math.abs(r.taxIncludedCents - (r.grossCents * r.rate) / (100 + r.rate)), d.id).toBeLessThanOrEqual(0.5);
      expect(r.cashCents, d.id).toBeGreaterThanOrEqual(r.totalCents);
    }
  });

  it('print merchant, date and total', () => {
    for (const d of docs) {
      const r = d.model as Receipt;
      const page = text(d.html);
      expect(page, d.id).toContain(String(d.expected.merchant));
      expect(page, d.id).toContain(formatDate(r.date, r.dates, r.lang));
      expect(page, d.id).toContain(formatAmount(cents(d.expected.total), r.amounts));
    }
  });

  it('are mostly Malaysian-style and come in two paper widths', () => {
    const models = docs.map((d) => d.model as Receipt);
    const malaysian = models.filter((m) => m.region.id === 'en-MY');
    expect(malaysian.length).toBeGreaterThan(60);
    expect(malaysian.every((m) => /(?:BHD\.?|ENTERPRISE|TRADING|RESTAURANT)$/i.test(m.seller.name))).toBe(true);
    expect(new Set(models.map((m) => m.widthMm))).toEqual(new Set([58, 80]));
    expect(models.some((m) => m.roundingCents !== 0)).toBe(true);
  });
});
