/**
 * Every recorded AnalyzeExpense response in test/fixtures/textract goes through the normaliser;
 * the values asserted below were read from the responses and, where present, the hand-labelled
 * ground truth (*.expected.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeExpenseResult } from '../../functions/core/analyze-expense.ts';
import { DocumentData } from '../../functions/core/events.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { addAmounts, compareAmounts, sumAmounts } from '../../functions/core/parse/amount.ts';
import { FIXTURES_DIR } from '../support/paths.ts';

const TEXTRACT_DIR = resolve(FIXTURES_DIR, 'textract');
const responseFiles = readdirSync(TEXTRACT_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));

function load(name: string): AnalyzeExpenseResult {
  return JSON.parse(readFileSync(resolve(TEXTRACT_DIR, name), 'utf8')) as AnalyzeExpenseResult;
}
function run(name: string): DocumentData {
  return normaliseExpense(load(name));
}

describe('every corpus response', () => {
  it('finds every recorded response', () => {
    expect(responseFiles).toHaveLength(8);
  });

  it.each(responseFiles)('%s validates against DocumentData', (name) => {
    const data = run(name);
    const parsed = DocumentData.safeParse(data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    // Never "" for unknowns; confidences in range; amounts carry the minor-unit digits.
    for (const [k, v] of Object.entries(data)) expect(v, k).not.toBe('');
    for (const c of Object.values(data.confidence ?? {})) expect(c).toBeGreaterThanOrEqual(0);
    for (const a of [data.subtotal, data.tax, data.total, data.amount_due, ...data.line_items.map((l) => l.total)]) {
      if (a !== null && a !== undefined) expect(a).toMatch(/^-?\d+\.\d{2}$/);
    }
    expect(data.source).toBe('textract');
    expect(data.page_count).toBeGreaterThanOrEqual(1);
  });

  it.each(responseFiles)('%s is deterministic and does not mutate its input', (name) => {
    const input = load(name);
    const before = JSON.stringify(input);
    expect(normaliseExpense(input)).toEqual(normaliseExpense(input));
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('trp-js invoice (Amazon.com sample) against its hand-labelled ground truth', () => {
  const expected = JSON.parse(
    readFileSync(resolve(TEXTRACT_DIR, 'trp-js_invoice-expense-response.expected.json'), 'utf8'),
  ) as Record<string, unknown> & {
    _extras: Record<string, string>;
  };
  const data = run('trp-js_invoice-expense-response.json');

  it('matches every seed field', () => {
    for (const key of [
      'document_type',
      'merchant',
      'invoice_id',
      'date',
      'due_date',
      'currency',
      'subtotal',
      'tax',
      'total',
      'payment_method',
      'line_items',
    ] as const) {
      expect(data[key], key).toEqual(expected[key]);
    }
  });

  it('keeps Textract typing: label "Total" is the SUBTOTAL, "Grand Total" the TOTAL', () => {
    expect(data.subtotal).toBe('6169.40');
    expect(data.total).toBe('6231.09');
    expect(data.tax).toBe('61.69');
  });

  it('falls back to the VENDOR_URL host when there is no VENDOR_NAME', () => {
    expect(data.merchant).toBe('Amazon.com');
  });

  it('fills the additions', () => {
    expect(data.po_number).toBe(expected._extras.po_number);
    expect(data.payment_terms).toBe(expected._extras.payment_terms);
    expect(data.vendor_tax_id).toBe(expected._extras.vendor_tax_id);
    expect(data.customer_name).toBe(expected._extras.receiver_name);
    expect(data.vendor_address).toBe('123 Some Street, Some City, XYZ, USA');
    expect(data.amount_due).toBeNull();
  });

  it('flags only the currency guess ("$" without a Currency.Code)', () => {
    expect(data.warnings).toEqual(['CURRENCY_ASSUMED']);
    expect(data.confidence?.total).toBe(1);
    expect(data.confidence?.subtotal).toBe(1);
  });
});

describe('textractor retail receipt', () => {
  const data = run('textractor_test_analyze_expense_from_path.json');

  it('reads the money summary in USD', () => {
    expect(data).toMatchObject({ currency: 'USD', subtotal: '1699.96', tax: '110.50', total: '1810.46' });
    expect(data.warnings).toEqual([]);
  });

  it('is a receipt from MEGA MARKET PLUS paid by Visa', () => {
    expect(data.document_type).toBe('receipt');
    expect(data.merchant).toBe('MEGA MARKET PLUS');
    expect(data.payment_method).toBe('Visa');
    expect(data.invoice_id).toBe('21772');
    expect(data.due_date).toBeNull();
    expect(data.amount_due).toBeNull();
  });

  it('reads 12/07/2019 month-first (explicit USD) without an ambiguity warning', () => {
    expect(data.date).toBe('2019-12-07');
    expect(data.warnings).not.toContain('DATE_AMBIGUOUS');
  });

  it('strips tax flags from prices ("$899.99 S")', () => {
    expect(data.line_items).toEqual([
      { description: 'LG FLATSCREEN 65', quantity: null, unit_price: null, total: '899.99' },
      { description: 'SONY VIAO I7 6938', quantity: null, unit_price: null, total: '689.99' },
      { description: '6FT HDMI CABLE BB', quantity: null, unit_price: null, total: '19.99' },
      { description: 'APPLE TV V4', quantity: null, unit_price: null, total: '89.99' },
    ]);
    expect(sumAmounts(data.line_items.map((l) => l.total ?? '0'))).toBe('1699.96');
  });
});

describe('textractor receipt with empty SummaryFields and top-level Blocks', () => {
  const data = run('textractor_test_analyze_expense_no_summary_fields.json');

  it('keeps all 29 line items and leaves the summary null', () => {
    expect(data.line_items).toHaveLength(29);
    expect(data).toMatchObject({
      subtotal: null,
      tax: null,
      total: null,
      invoice_id: null,
      date: null,
      currency: null,
    });
  });

  it('does not take an item line for the merchant', () => {
    expect(data.merchant).toBeNull();
  });

  it('strips flags, unit suffixes and glued article codes', () => {
    expect(data.line_items[0]).toEqual({
      description: 'GIL VNS HR CMEGI CRT',
      quantity: null,
      unit_price: null,
      total: '659.00',
    });
    expect(data.line_items[3]).toEqual({
      description: 'J&JCHIZ CURLS 55G',
      quantity: 2,
      unit_price: '21.50',
      total: '43.00',
    });
    // "P14. 50/Unit": OCR put a space after the decimal point.
    expect(data.line_items[13]).toEqual({
      description: 'NSSNRMNGRPRKINKTS600',
      quantity: 6,
      unit_price: '14.50',
      total: '87.00',
    });
    // "Pf CB210G 2S SLTSVR\n04808887290370": the second line is the PRODUCT_CODE.
    expect(data.line_items[20]?.description).toBe('Pf CB210G 2S SLTSVR');
    expect(data.line_items[27]?.description).toBe('SWISSMISS DRKCHC03TG');
    // "to" is not a quantity and "/6.50" not an amount: unknown, not invented.
    expect(data.line_items[27]).toMatchObject({ quantity: null, total: null, unit_price: '15.30' });
  });

  it('reads the tax-flagged prices as a receipt', () => {
    expect(data.document_type).toBe('receipt');
  });
});

describe('multi-page asynchronous result (2 ExpenseDocuments)', () => {
  const data = run('trp-py_analyzeExpenseResponse-multipage.json');

  it('merges header fields across pages', () => {
    expect(data).toMatchObject({
      document_type: 'invoice',
      invoice_id: '00000135',
      date: '2020-03-12',
      due_date: '2020-03-26',
      po_number: 'F0016',
      payment_terms: '14 days',
      page_count: 2,
      currency: 'USD',
      total: '5715.00',
      vendor_address: '154-164 The Embarcadero, San Francisco, CA 94105',
    });
  });

  it('cleans the vendor name ("META\\n-") and prefers the company over the Attn: contact', () => {
    expect(data.merchant).toBe('META');
    expect(data.customer_name).toBe('Abstractors and Design Co.');
  });

  it('concatenates line items in page order and reconciles them with the total', () => {
    expect(data.line_items).toHaveLength(8);
    expect(data.line_items.map((l) => l.total)).toEqual([
      '1350.00',
      '495.00',
      '1100.00',
      '660.00',
      '495.00',
      '220.00',
      '900.00',
      '495.00',
    ]);
    expect(data.line_items.map((l) => l.quantity)).toEqual([3, 4.5, 10, 6, 4.5, 2, 3, 4.5]);
    expect(data.line_items[1]?.unit_price).toBe('110.00'); // computed: 495.00 / 4.5
    expect(data.line_items[0]?.description).toBe(
      'ACP101 Accounting Package Annual Subscription to Premier Version with Tax, Inventory and Payroll Plugins',
    );
    expect(data.line_items[1]?.description).not.toMatch(/ - /); // the "-" line is dropped
    expect(data.warnings).toEqual([]);
  });
});

describe('hospital statement (sample1: only TOTAL + OTHER)', () => {
  const data = run('trp-py_test_trp2_expense_sample1.json');

  it('reads the total due and the 21 rows', () => {
    expect(data.total).toBe('50.00');
    expect(data.amount_due).toBe('50.00');
    expect(data.currency).toBe('USD');
    expect(data.line_items).toHaveLength(21);
  });

  it('repairs "300-00" in a price field and keeps negative rows', () => {
    expect(data.line_items[13]).toMatchObject({ description: 'PHYSICAL THERAPY EVALUATE', total: '300.00' });
    expect(data.line_items[20]?.total).toBe('-242.00');
  });

  it('warns that the rows do not add up to the total', () => {
    expect(data.warnings).toContain('LINE_ITEMS_MISMATCH');
  });
});

describe('Costco receipt (sample2)', () => {
  const data = run('trp-py_test_trp2_expense_sample2.json');

  it('reads subtotal, tax and total', () => {
    expect(data).toMatchObject({ subtotal: '38.48', tax: '0.00', total: '38.48', currency: 'USD' });
    expect(compareAmounts(addAmounts(data.subtotal ?? '0', data.tax ?? '0'), data.total ?? '0')).toBe(0);
  });

  it('is a Costco receipt paid by Visa, with three items', () => {
    expect(data.document_type).toBe('receipt');
    expect(data.merchant?.toLowerCase()).toBe('costco');
    expect(data.payment_method).toBe('Visa');
    expect(data.line_items.map((l) => [l.description, l.total])).toEqual([
      ['BNLS/SL BRST', '22.10'],
      ['GRAPE TOMATO', '5.99'],
      ['KS BUTTER', '10.39'],
    ]);
    expect(data.warnings).not.toContain('TOTALS_MISMATCH');
    expect(data.warnings).not.toContain('LINE_ITEMS_MISMATCH');
  });
});

describe('clinic invoice (sample3: legacy types, several TOTAL candidates)', () => {
  const data = run('trp-py_test_trp2_expense_sample3.json');

  it('picks the total among Total Paid / Total Charges / Balance / Fee / Total', () => {
    expect(data.total).toBe('60.00');
    expect(data.amount_due).toBe('0.00'); // "Balance $0.00"
  });

  it('reads the clinic, the id without its echoed label, and the visit date', () => {
    expect(data.document_type).toBe('invoice');
    expect(data.merchant).toBe('Demo Clinic');
    expect(data.invoice_id).toBe('1258');
    expect(data.date).toBe('2019-03-12'); // "Date of Visit", not "Date of Birth"
  });

  it('maps legacy DESCRIPTION/TOTAL line fields and computes the unit price', () => {
    expect(data.line_items).toEqual([
      {
        description: 'Chiropractic manipulative treatment (CMT); spinal, three to four regions',
        quantity: 1,
        unit_price: '60.00',
        total: '60.00',
      },
    ]);
  });
});

describe('medical statement (sample4: duplicates, Amount Due vs Charges, discount)', () => {
  const data = run('trp-py_test_trp2_expense_sample4.json');

  it('prefers "Amount Due" over "Charges" for the total', () => {
    expect(data.total).toBe('4544.65');
    expect(data.amount_due).toBe('4544.65');
  });

  it('reads the duplicated dates once, month-first', () => {
    expect(data.date).toBe('2017-01-13');
    expect(data.due_date).toBe('2017-01-28');
    expect(data.document_type).toBe('invoice');
  });

  it('reconciles rows with the total through the adjustment (discount)', () => {
    expect(data.line_items).toHaveLength(6);
    expect(sumAmounts(data.line_items.map((l) => l.total ?? '0'))).toBe('5680.81');
    expect(data.warnings).not.toContain('LINE_ITEMS_MISMATCH');
  });

  it("takes no payment method from the payment slip's list of accepted cards", () => {
    expect(data.payment_method).toBeNull();
    expect(data.payment_terms).toBeNull(); // PAYMENT_TERMS labelled "VISA" with an empty value
  });

  it('rounds computed unit prices to cents', () => {
    expect(data.line_items[0]).toEqual({ description: 'Pharmacy', quantity: 3, unit_price: '88.17', total: '264.50' });
  });
});

it('accepts the source option', () => {
  expect(normaliseExpense(load('trp-js_invoice-expense-response.json'), { source: 'local' }).source).toBe('local');
});
