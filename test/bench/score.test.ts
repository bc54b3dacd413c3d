import { describe, expect, it } from 'vitest';
import { reliability } from '../../bench/accuracy/reliability.ts';
import { scoreDocument, scoredFields, summarise, type Expected } from '../support/score.ts';

const item = (description: string) => ({ description, quantity: 1, unit_price: '1.00', total: '1.00' });

/** A facturx-dev golden: read from the PDF's own XML, with the extra keys. */
const facturx: Expected = {
  invoice_id: '471102',
  date: '2018-06-05',
  due_date: null,
  currency: 'EUR',
  merchant: 'Lieferant GmbH',
  customer_name: 'Kunden AG Mitte',
  tax: 21.3,
  total: 215.07,
  amount_due: 165.07,
  line_count: 2,
  subtotal_any_of: [193.77, 202.7],
  credit_note: false,
};

describe('scoring goldens read from e-invoice XML', () => {
  it('scores amount due, customer, subtotal and the item count, not unknown fields', () => {
    expect(scoredFields(facturx).sort()).toEqual([
      'amount_due',
      'currency',
      'customer_name',
      'date',
      'invoice_id',
      'line_count',
      'merchant',
      'subtotal',
      'tax',
      'total',
    ]);
  });

  it('accepts either subtotal and compares the customer fuzzily', () => {
    const actual = {
      ...facturx,
      subtotal: '202.70',
      customer_name: 'KUNDEN AG MITTE',
      line_items: [item('a'), item('b')],
    };
    const s = scoreDocument(facturx, actual);
    expect(s.fields.filter((f) => !f.ok)).toEqual([]);
    const other = scoreDocument(facturx, { ...actual, subtotal: '193.77' });
    expect(other.fields.find((f) => f.field === 'subtotal')!.ok).toBe(true);
    const wrong = scoreDocument(facturx, { ...actual, subtotal: '215.07' });
    expect(wrong.fields.find((f) => f.field === 'subtotal')!.ok).toBe(false);
  });

  it('counts line items found against line_count', () => {
    const s = scoreDocument(facturx, { line_items: [item('a')] });
    expect(s.fields.find((f) => f.field === 'line_count')).toMatchObject({ expected: 2, actual: 1, ok: false });
    expect(
      scoreDocument(facturx, { line_items: [item('a'), item('b')] }).fields.find((f) => f.field === 'line_count')!.ok,
    ).toBe(true);
  });

  it("compares a credit note's amounts without sign", () => {
    const credit = { ...facturx, credit_note: true };
    expect(scoreDocument(credit, { total: '-215.07' }).fields.find((f) => f.field === 'total')!.ok).toBe(true);
    expect(scoreDocument(facturx, { total: '-215.07' }).fields.find((f) => f.field === 'total')!.ok).toBe(false);
  });
});

describe('scoring receipts', () => {
  const receipt: Expected = {
    merchant: 'BOOK TA .K (TAMAN DAYA) SDN BHD',
    date: '2018-12-25',
    total: '9.00',
    _scored_fields: ['merchant', 'date', 'total'],
  };

  it('matches the merchant fuzzily and the total to the cent', () => {
    const s = scoreDocument(receipt, { merchant: 'Book Ta .K (Taman Daya) Sdn Bhd', date: '2018-12-25', total: '9.0' });
    expect(s.fields.every((f) => f.ok)).toBe(true);
    expect(
      scoreDocument(receipt, { merchant: 'TAMAN DAYA', date: '2018-12-25', total: '9.02' }).fields.map((f) => f.ok),
    ).toEqual([true, true, false]);
    expect(
      scoreDocument(receipt, { merchant: 'Unrelated Trading', date: '2018-12-25', total: '9.00' }).fields[0]!.ok,
    ).toBe(false);
  });
});

describe('reliability bins', () => {
  it('bins reported fields by confidence and ignores fields without one', () => {
    const exp: Expected = {
      merchant: 'Acme Ltd',
      total: '10.00',
      date: '2020-01-01',
      _scored_fields: ['merchant', 'total', 'date'],
    };
    const doc = (merchant: string, total: string, confidence: Record<string, number>) => ({
      file: 'x',
      score: scoreDocument(exp, { merchant, total, date: null }),
      confidence,
    });
    const bins = reliability([
      doc('Acme Ltd', '10.00', { merchant: 0.95, total: 0.92 }),
      doc('Other', '11.00', { merchant: 0.95, total: 0.6 }),
      doc('Acme Ltd', '10.00', { merchant: 0.3 }),
    ]);
    expect(bins.map((b) => [b.label, b.n, b.right])).toEqual([
      ['< 0.5', 1, 1],
      ['0.5–0.7', 1, 0],
      ['0.7–0.9', 0, 0],
      ['≥ 0.9', 3, 2],
    ]);
    expect(bins[3]!.accuracy).toBeCloseTo(2 / 3);
  });

  it('summarises new fields like the others', () => {
    const s = summarise([scoreDocument(facturx, { line_items: [item('a'), item('b')], total: '215.07' })]);
    expect(s.perField.line_count).toEqual({ right: 1, scored: 1, accuracy: 1 });
    expect(s.perField.total!.right).toBe(1);
  });
});
