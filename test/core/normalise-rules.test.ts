/**
 * Normaliser rules changed with the offline extractor: payment-method names (iDEAL, cash paid
 * elsewhere), the "#" of invoice numbers, a subtotal the document itself settles, and the
 * merchant fallback that never reads the recipient's address block.
 */
import { describe, expect, it } from 'vitest';
import type { Block, ExpenseField } from '../../functions/core/analyze-expense.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { cleanId } from '../../functions/core/normalise/summary-fields.ts';

function field(type: string, value: string, label?: string): ExpenseField {
  return {
    Type: { Text: type, Confidence: 99 },
    ValueDetection: { Text: value, Confidence: 99 },
    PageNumber: 1,
    ...(label ? { LabelDetection: { Text: label, Confidence: 99 } } : {}),
  };
}
const norm = (summary: ExpenseField[], rows: ExpenseField[][] = []) =>
  normaliseExpense({
    ExpenseDocuments: [
      { SummaryFields: summary, LineItemGroups: [{ LineItems: rows.map((r) => ({ LineItemExpenseFields: r })) }] },
    ],
  });

describe('payment method', () => {
  it.each([
    ['iDEAL', 'iDEAL'],
    ["''iDEAL'' op 31 maart 2014", 'iDEAL'],
    ['IDEAL', 'iDEAL'],
    ['Cash at Hotel', 'Cash at hotel'],
    ['Cash on delivery', 'Cash on delivery'],
    ['Cash', 'Cash'],
    ['Visa **** 1234', 'Visa'],
  ])('%s → %s', (value, expected) => {
    expect(norm([field('OTHER', value, 'Payment Mode'), field('TOTAL', '10.00')]).payment_method).toBe(expected);
  });

  it('the English word "ideal" is not the Dutch payment scheme', () => {
    expect(norm([field('OTHER', 'The ideal gift', 'Payment Mode'), field('TOTAL', '10.00')]).payment_method).toBeNull();
  });
});

describe('invoice number and "#"', () => {
  it('"#" after a bare title is the number sign', () => {
    expect(cleanId('#1258', 'Invoice')).toBe('1258');
    expect(cleanId('# 1258', null)).toBe('1258');
    expect(cleanId('Invoice #1258')).toBe('1258');
  });

  it('"#" after a label that already has its number word belongs to the printed id', () => {
    expect(cleanId('# BLR_WFLD2015', 'Invoice No :')).toBe('#BLR_WFLD2015');
    expect(cleanId('#A-1001', 'Order Number')).toBe('#A-1001');
    expect(
      norm([field('INVOICE_RECEIPT_ID', '# BLR_WFLD2015', 'Invoice No :'), field('TOTAL', '1.00')]).invoice_id,
    ).toBe('#BLR_WFLD2015');
  });
});

describe('subtotal the document settles', () => {
  it('a printed zero tax makes the total the pre-tax amount', () => {
    const d = norm([field('TOTAL', '$4.11', 'Total for this invoice'), field('TAX', '$0.00', 'Tax')]);
    expect(d).toMatchObject({ subtotal: '4.11', tax: '0.00', total: '4.11' });
  });

  it('lines adding up to total − tax give the subtotal', () => {
    const d = norm(
      [field('TOTAL', '119.00', 'Total'), field('TAX', '19.00', 'VAT 19%')],
      [
        [field('ITEM', 'A'), field('PRICE', '60.00')],
        [field('ITEM', 'B'), field('PRICE', '40.00')],
      ],
    );
    expect(d.subtotal).toBe('100.00');
  });

  it('no subtotal is invented when nothing settles it', () => {
    expect(norm([field('TOTAL', '119.00', 'Total'), field('TAX', '19.00', 'VAT')]).subtotal).toBeNull();
    expect(
      norm([field('TOTAL', '119.00', 'Total')], [[field('ITEM', 'A'), field('PRICE', '60.00')]]).subtotal,
    ).toBeNull();
  });
});

describe('credit notes', () => {
  it.each([
    ['FR', 'Total HT', '-218,48 €', 'Taxes', '14,99 €', 'Total TTC', '-233,47 €', ['-218.48', '-14.99', '-233.47']],
    ['EN', 'Subtotal', '-100.00', 'VAT 20%', '20.00', 'Total', '-120.00', ['-100.00', '-20.00', '-120.00']],
  ])(
    '%s: a tax printed without its minus sign takes the sign that adds up',
    (_l, sl, sv, tl, tv, tol, tov, [subtotal, tax, total]) => {
      const d = norm([field('SUBTOTAL', sv, sl), field('TAX', tv, tl), field('TOTAL', tov, tol)]);
      expect(d).toMatchObject({ subtotal, tax, total });
    },
  );

  it('an invoice keeps a positive tax even when its negation would add up', () => {
    const d = norm([
      field('SUBTOTAL', '120.00', 'Subtotal'),
      field('TAX', '20.00', 'Tax'),
      field('TOTAL', '100.00', 'Total'),
    ]);
    expect(d.tax).toBe('20.00');
  });
});

describe('merchant from the page lines (no vendor field)', () => {
  const at = (f: ExpenseField, top: number): ExpenseField => ({
    ...f,
    ValueDetection: {
      ...f.ValueDetection,
      Geometry: { BoundingBox: { Left: 0.1, Top: top, Width: 0.2, Height: 0.01 } },
    },
  });
  const lineBlock = (text: string, top: number): Block => ({
    BlockType: 'LINE',
    Text: text,
    Page: 1,
    Confidence: 99,
    Geometry: { BoundingBox: { Left: 0.1, Top: top, Width: 0.3, Height: 0.01 } },
  });
  const withLines = (summary: ExpenseField[], lines: [string, number][]) =>
    normaliseExpense({
      ExpenseDocuments: [{ SummaryFields: summary, LineItemGroups: [] }],
      Blocks: lines.map(([t, y]) => lineBlock(t, y)),
    });

  it.each([
    ['NL', 'Factuuradres', 'Strategic Corp', 'T.a.v. J. de Vries'],
    ['EN', 'Bill to', 'Brightside Ltd', 'Attn: Accounts Payable'],
    ['DE', 'Rechnungsadresse', 'Müller KG', 'z. Hd. Frau Schmidt'],
  ])('%s: nothing from the recipient block down, not even its attention line', (_locale, heading, buyer, attention) => {
    const d = withLines(
      [at(field('RECEIVER_NAME', buyer, heading), 0.17), field('TOTAL', '49.99')],
      [
        [heading, 0.15],
        [buyer, 0.17],
        [attention, 0.185],
        ['Fakestreet 46', 0.2],
      ],
    );
    expect(d.merchant).toBeNull();
  });

  it('still takes the letterhead printed above the recipient block', () => {
    const d = withLines(
      [at(field('RECEIVER_NAME', 'Strategic Corp', 'Factuuradres'), 0.17), field('TOTAL', '49.99')],
      [
        ['Zonnebloem Koffie', 0.05],
        ['Factuuradres', 0.15],
        ['Strategic Corp', 0.17],
        ['T.a.v. J. de Vries', 0.185],
      ],
    );
    expect(d.merchant).toBe('Zonnebloem Koffie');
  });
});

describe('low-confidence key fields', () => {
  const weak = (type: string, value: string, c: number): ExpenseField => ({
    Type: { Text: type, Confidence: c },
    ValueDetection: { Text: value, Confidence: c },
    PageNumber: 1,
  });

  it('warns LOW_CONFIDENCE when the merchant, date or total was read with confidence under 0.5', () => {
    expect(
      norm([
        field('VENDOR_NAME', 'Harbour Supplies Ltd'),
        field('INVOICE_RECEIPT_DATE', '2026-01-05'),
        weak('TOTAL', '10.00', 35),
      ]).warnings,
    ).toContain('LOW_CONFIDENCE');
    expect(norm([weak('VENDOR_NAME', 'Harbour Supplies Ltd', 30), field('TOTAL', '10.00')]).warnings).toContain(
      'LOW_CONFIDENCE',
    );
  });

  it('does not warn when the key fields are certain, or for weak fields that are not key fields', () => {
    expect(
      norm([field('VENDOR_NAME', 'Harbour Supplies Ltd'), field('TOTAL', '10.00'), weak('PO_NUMBER', 'PO-1', 20)])
        .warnings,
    ).not.toContain('LOW_CONFIDENCE');
  });
});
