/**
 * The mapping traps listed in test/fixtures/SOURCES.md (the recorded Textract responses), and the normaliser's other
 * rules, on small responses in the recorded shape.
 */
import { describe, expect, it } from 'vitest';
import type {
  AnalyzeExpenseResult,
  Block,
  ExpenseDocument,
  ExpenseField,
} from '../../functions/core/analyze-expense.ts';
import { DocumentData } from '../../functions/core/events.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';

interface FieldOpts {
  label?: string;
  conf?: number;
  page?: number;
  currency?: string;
  groups?: string[];
  top?: number;
}

function field(type: string, value: string, o: FieldOpts = {}): ExpenseField {
  return {
    Type: { Text: type, Confidence: 99 },
    ...(o.label !== undefined ? { LabelDetection: { Text: o.label, Confidence: 99 } } : {}),
    ValueDetection: {
      Text: value,
      Confidence: o.conf ?? 99,
      ...(o.top !== undefined
        ? { Geometry: { BoundingBox: { Top: o.top, Left: 0.1, Width: 0.2, Height: 0.02 } } }
        : {}),
    },
    PageNumber: o.page ?? 1,
    ...(o.currency ? { Currency: { Code: o.currency, Confidence: 95 } } : {}),
    ...(o.groups ? { GroupProperties: [{ Types: o.groups, Id: 'g1' }] } : {}),
  };
}

function doc(
  summary: ExpenseField[],
  rows: ExpenseField[][] = [],
  extra: Partial<ExpenseDocument> = {},
): ExpenseDocument {
  return {
    SummaryFields: summary,
    LineItemGroups: [{ LineItemGroupIndex: 1, LineItems: rows.map((r) => ({ LineItemExpenseFields: r })) }],
    ...extra,
  };
}

function line(text: string, top: number, page = 1): Block {
  return {
    BlockType: 'LINE',
    Id: `${page}-${top}-${text}`,
    Text: text,
    Confidence: 99,
    Page: page,
    Geometry: { BoundingBox: { Top: top, Left: 0.1, Width: 0.3, Height: 0.02 } },
  };
}

function norm(result: AnalyzeExpenseResult): DocumentData {
  const data = normaliseExpense(result);
  const parsed = DocumentData.safeParse(data);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return data;
}

describe('Textract typing is trusted over labels', () => {
  it('keeps label "Total" as the SUBTOTAL and "Grand Total" as the TOTAL', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('SUBTOTAL', '$100.00', { label: 'Total' }),
          field('TAX', '$19.00', { label: 'Tax' }),
          field('TOTAL', '$119.00', { label: 'Grand Total' }),
        ]),
      ],
    });
    expect(d).toMatchObject({ subtotal: '100.00', tax: '19.00', total: '119.00' });
    expect(d.warnings).not.toContain('TOTALS_MISMATCH');
  });
});

describe('several TOTAL candidates', () => {
  it('prefers a Total / Amount Due label over Charges', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('TOTAL', '$900.00', { label: 'Total Charges', conf: 99 }),
          field('TOTAL', '$750.00', { label: 'Amount Due', conf: 90 }),
        ]),
      ],
    });
    expect(d.total).toBe('750.00');
    expect(d.amount_due).toBe('750.00');
  });

  it('prefers the candidate consistent with subtotal + tax', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('SUBTOTAL', '200.00', { label: 'Subtotal' }),
          field('TAX', '20.00', { label: 'VAT' }),
          field('TOTAL', '250.00', { label: 'Total', conf: 99 }),
          field('TOTAL', '220.00', { label: 'Total', conf: 90 }),
        ]),
      ],
    });
    expect(d.total).toBe('220.00');
    expect(d.warnings).not.toContain('TOTALS_MISMATCH');
  });

  it('falls back to the highest confidence among equals', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('TOTAL', '10.00', { label: 'Total', conf: 60 }),
          field('TOTAL', '12.00', { label: 'Total', conf: 95 }),
        ]),
      ],
    });
    expect(d.total).toBe('12.00');
    expect(d.confidence?.total).toBe(0.95);
  });

  it('sums several VAT lines when that is what reconciles', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('SUBTOTAL', '100,00 €', { label: 'Netto' }),
          field('TAX', '7,00 €', { label: 'MwSt 7%' }),
          field('TAX', '9,50 €', { label: 'MwSt 19%' }),
          field('TOTAL', '116,50 €', { label: 'Gesamtbetrag' }),
        ]),
      ],
    });
    expect(d).toMatchObject({ currency: 'EUR', subtotal: '100.00', tax: '16.50', total: '116.50' });
    expect(d.warnings).toEqual([]);
  });
});

describe('warnings', () => {
  it('TOTALS_MISMATCH when subtotal + tax != total', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('SUBTOTAL', '100.00', { currency: 'USD' }),
          field('TAX', '10.00'),
          field('TOTAL', '120.00', { currency: 'USD' }),
        ]),
      ],
    });
    expect(d.warnings).toContain('TOTALS_MISMATCH');
    expect(d.warnings).not.toContain('CURRENCY_ASSUMED');
  });

  it('LINE_ITEMS_MISMATCH when line totals do not sum to the subtotal', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [field('SUBTOTAL', '€100.00'), field('TAX', '€19.00'), field('TOTAL', '€119.00')],
          [
            [field('ITEM', 'Widget'), field('PRICE', '€60.00')],
            [field('ITEM', 'Gadget'), field('PRICE', '€30.00')],
          ],
        ),
      ],
    });
    expect(d.warnings).toEqual(['LINE_ITEMS_MISMATCH']);
  });

  it('DATE_AMBIGUOUS when nothing settles 03/04/2021', () => {
    const d = norm({ ExpenseDocuments: [doc([field('INVOICE_RECEIPT_DATE', '03/04/2021'), field('TOTAL', '5.00')])] });
    expect(d.date).toBe('2021-03-04');
    expect(d.warnings).toContain('DATE_AMBIGUOUS');
  });

  it('another date of the same document settles the order', () => {
    const d = norm({
      ExpenseDocuments: [doc([field('INVOICE_RECEIPT_DATE', '03/04/2021'), field('DUE_DATE', '18/04/2021')])],
    });
    expect(d.date).toBe('2021-04-03');
    expect(d.due_date).toBe('2021-04-18');
    expect(d.warnings).not.toContain('DATE_AMBIGUOUS');
  });

  it('an explicit currency settles the order by its country convention', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([field('INVOICE_RECEIPT_DATE', '03/04/2021'), field('TOTAL', '5,00', { currency: 'EUR' })]),
      ],
    });
    expect(d.date).toBe('2021-04-03');
    expect(d.warnings).toEqual([]);
  });
});

describe('currency', () => {
  it('uses a Currency.Code found on only some amount fields for every amount', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [field('SUBTOTAL', '3,500'), field('TAX', '350'), field('TOTAL', '3,850', { currency: 'JPY' })],
          [[field('ITEM', 'Tea'), field('PRICE', '3,500')]],
        ),
      ],
    });
    expect(d).toMatchObject({ currency: 'JPY', subtotal: '3500', tax: '350', total: '3850' });
    expect(d.line_items[0]?.total).toBe('3500');
  });

  it('reads symbols in amount texts, then codes in other text', () => {
    expect(norm({ ExpenseDocuments: [doc([field('TOTAL', '£12.00')])] }).currency).toBe('GBP');
    const fromText = norm({
      ExpenseDocuments: [doc([field('TOTAL', '12.00'), field('OTHER', 'All prices in CHF', { label: 'Note' })])],
    });
    expect(fromText.currency).toBe('CHF');
    expect(fromText.warnings).toContain('CURRENCY_ASSUMED');
    expect(norm({ ExpenseDocuments: [doc([field('TOTAL', '12.00')])] }).currency).toBeNull();
  });

  it('formats three-decimal currencies', () => {
    const d = norm({ ExpenseDocuments: [doc([field('TOTAL', 'KWD 12.5')])] });
    expect(d).toMatchObject({ currency: 'KWD', total: '12.500' });
  });
});

describe('merchant fallbacks', () => {
  it('VENDOR_NAME with newlines and punctuation-only lines', () => {
    expect(norm({ ExpenseDocuments: [doc([field('VENDOR_NAME', 'ACME\nTrading GmbH\n-')])] }).merchant).toBe(
      'ACME Trading GmbH',
    );
  });

  it('NAME in a VENDOR group, but never an ungrouped NAME', () => {
    expect(
      norm({ ExpenseDocuments: [doc([field('NAME', 'Riverside Consulting LLC', { groups: ['VENDOR'] })])] }).merchant,
    ).toBe('Riverside Consulting LLC');
    expect(norm({ ExpenseDocuments: [doc([field('NAME', 'Some Customer Inc')])] }).merchant).toBeNull();
    expect(norm({ ExpenseDocuments: [doc([field('NAME', 'Buyer Co', { groups: ['RECEIVER'] })])] }).customer_name).toBe(
      'Buyer Co',
    );
  });

  it('VENDOR_URL host', () => {
    expect(
      norm({ ExpenseDocuments: [doc([field('VENDOR_URL', 'https://www.example-shop.de/impressum')])] }).merchant,
    ).toBe('Example-shop.de');
  });

  it('top-most meaningful LINE of page 1, skipping heading words and data', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([field('TOTAL', '9.99')], [], {
          Blocks: [
            line('INVOICE', 0.02),
            line('03/04/2021', 0.03),
            line('Bluebird Bakery', 0.05),
            line('12 Main Street', 0.08),
          ],
        }),
      ],
    });
    expect(d.merchant).toBe('Bluebird Bakery');
  });

  it('reads top-level Blocks too, and ignores lines at or below the item table', () => {
    const d = norm({
      ExpenseDocuments: [doc([], [[field('ITEM', 'Croissant', { top: 0.1 }), field('PRICE', '2.50', { top: 0.1 })]])],
      Blocks: [line('Croissant', 0.1), line('2.50', 0.1), line('Some footer', 0.5)],
    });
    expect(d.merchant).toBeNull();
    expect(d.line_items).toHaveLength(1);
  });
});

describe('line items', () => {
  it('computes a missing total or unit price and parses quantities', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [field('TOTAL', '$55.00')],
          [
            [field('ITEM', 'Bolts'), field('QUANTITY', '4'), field('UNIT_PRICE', '$2.50')],
            [field('ITEM', 'Nuts'), field('QUANTITY', '1.5 kg'), field('PRICE', '$45.00')],
          ],
        ),
      ],
    });
    expect(d.line_items).toEqual([
      { description: 'Bolts', quantity: 4, unit_price: '2.50', total: '10.00' },
      { description: 'Nuts', quantity: 1.5, unit_price: '30.00', total: '45.00' },
    ]);
    expect(d.warnings).not.toContain('LINE_ITEMS_MISMATCH');
  });

  it('skips empty rows, header rows and totals rows', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [],
          [
            [
              field('ITEM', 'Description'),
              field('QUANTITY', 'Qty'),
              field('UNIT_PRICE', 'Unit Price'),
              field('PRICE', 'Amount'),
            ],
            [field('ITEM', ''), field('PRICE', '')],
            [
              field('ITEM', 'Consulting'),
              field('QUANTITY', '2'),
              field('UNIT_PRICE', '100.00'),
              field('PRICE', '200.00'),
            ],
            [field('ITEM', 'Subtotal'), field('PRICE', '200.00')],
          ],
        ),
      ],
    });
    expect(d.line_items).toEqual([{ description: 'Consulting', quantity: 2, unit_price: '100.00', total: '200.00' }]);
  });

  it('reads European amounts and keeps printed unit-price precision', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [field('SUBTOTAL', '1.234,00'), field('TAX', '234,46'), field('TOTAL', '1.468,46 €')],
          [
            [
              field('ITEM', 'Schrauben'),
              field('QUANTITY', '10.000'),
              field('UNIT_PRICE', '0,1234'),
              field('PRICE', '1.234,00'),
            ],
          ],
        ),
      ],
    });
    expect(d).toMatchObject({ currency: 'EUR', subtotal: '1234.00', tax: '234.46', total: '1468.46' });
    expect(d.line_items[0]).toEqual({
      description: 'Schrauben',
      quantity: 10000,
      unit_price: '0.1234',
      total: '1234.00',
    });
  });

  it('maps OTHER fields by their column label', () => {
    const d = norm({
      ExpenseDocuments: [
        doc(
          [],
          [
            [
              field('ITEM', 'Hosting'),
              field('OTHER', '3', { label: 'Qty' }),
              field('OTHER', '$5.00', { label: 'Rate' }),
              field('PRICE', '$15.00', { label: 'Amount' }),
            ],
          ],
        ),
      ],
    });
    expect(d.line_items).toEqual([{ description: 'Hosting', quantity: 3, unit_price: '5.00', total: '15.00' }]);
  });
});

describe('multi-page merge', () => {
  it('orders rows by page, takes header fields by confidence and totals from the last page', () => {
    const d = norm({
      DocumentMetadata: { Pages: 2 },
      ExpenseDocuments: [
        doc(
          [
            field('TOTAL', '$300.00', { label: 'Total', page: 2 }),
            field('INVOICE_RECEIPT_ID', 'A-2', { page: 2, conf: 80 }),
          ],
          [[field('ITEM', 'Second', { page: 2 }), field('PRICE', '$200.00', { page: 2 })]],
        ),
        doc(
          [
            field('TOTAL', '$100.00', { label: 'Total', page: 1 }),
            field('INVOICE_RECEIPT_ID', 'A-1', { page: 1, conf: 99 }),
            field('VENDOR_NAME', 'Paged Ltd', { page: 1 }),
          ],
          [[field('ITEM', 'First', { page: 1 }), field('PRICE', '$100.00', { page: 1 })]],
        ),
      ],
    });
    expect(d.page_count).toBe(2);
    expect(d.line_items.map((l) => l.description)).toEqual(['First', 'Second']);
    expect(d.total).toBe('300.00');
    expect(d.invoice_id).toBe('A-1');
    expect(d.merchant).toBe('Paged Ltd');
  });
});

describe('document type', () => {
  it('receipt cues', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('TOTAL', '9.99'),
          field('AMOUNT_PAID', '10.00', { label: 'CASH' }),
          field('OTHER', '0.01', { label: 'CHANGE' }),
        ]),
      ],
    });
    expect(d.document_type).toBe('receipt');
  });

  it('invoice cues', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('INVOICE_RECEIPT_ID', '2026-0091', { label: 'Invoice No.' }),
          field('DUE_DATE', '2026-05-31'),
          field('TOTAL', '3850.00'),
        ]),
      ],
    });
    expect(d.document_type).toBe('invoice');
    expect(d.due_date).toBe('2026-05-31');
  });
});

describe('degenerate responses', () => {
  it.each<[string, AnalyzeExpenseResult]>([
    ['empty object', {}],
    ['no documents', { ExpenseDocuments: [] }],
    ['empty document', { ExpenseDocuments: [{}] }],
    ['empty SummaryFields and groups', { ExpenseDocuments: [{ SummaryFields: [], LineItemGroups: [] }] }],
    [
      'fields without Type or values',
      {
        ExpenseDocuments: [
          {
            SummaryFields: [{}, { Type: { Text: 'TOTAL' } }, { ValueDetection: { Text: '' } }],
            LineItemGroups: [{ LineItems: [{}] }],
          },
        ],
      },
    ],
  ])('%s gives a valid all-null payload', (_name, input) => {
    const d = norm(input);
    expect(d).toMatchObject({
      merchant: null,
      invoice_id: null,
      date: null,
      total: null,
      currency: null,
      line_items: [],
      page_count: 1,
    });
  });

  it('never returns "" for text it cannot read', () => {
    const d = norm({
      ExpenseDocuments: [
        doc([
          field('VENDOR_NAME', ' - \n '),
          field('INVOICE_RECEIPT_ID', '   '),
          field('PAYMENT_TERMS', ''),
          field('TOTAL', 'n/a'),
        ]),
      ],
    });
    expect(d).toMatchObject({ merchant: null, invoice_id: null, payment_terms: null, total: null });
  });
});
