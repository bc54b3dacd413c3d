/**
 * Layout analysis on generated PDFs with text at known positions: label rows over value rows,
 * item tables (two-line headers, header qualifiers, tax columns inside rows, continuation lines,
 * descriptions running past their column), the seller among several parties, multi-page
 * documents. Generic layouts only: nothing here names a real vendor.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentData } from '../../functions/core/events.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { extractExpense } from '../../functions/extractor/index.ts';
import { placedPdf, type Placed } from '../fixtures/pdf-builder.ts';

async function extract(pages: Placed[][]): Promise<DocumentData> {
  return normaliseExpense(await extractExpense(placedPdf(pages)), { source: 'local' });
}

/** Items of a row: [x, text] pairs at one y. */
const row = (y: number, cells: [number, string][], size = 9): Placed[] =>
  cells.map(([x, text]) => ({ x, y, text, size }));

describe('labels and values', () => {
  it('reads a row of labels over a row of values column by column', async () => {
    const d = await extract([
      [
        { x: 40, y: 60, text: 'Harbour Supplies Ltd', size: 16 },
        { x: 40, y: 120, text: 'Invoice INV/2026/0007', size: 14 },
        ...row(150, [
          [40, 'Invoice Date:'],
          [200, 'Due Date:'],
          [360, 'Reference:'],
        ]),
        ...row(163, [
          [40, '03/20/2026'],
          [200, '04/04/2026'],
          [360, 'CUSTREF123'],
        ]),
        ...row(300, [
          [300, 'Subtotal'],
          [480, '$ 100.00'],
        ]),
        ...row(315, [
          [300, 'Tax 10%'],
          [480, '$ 10.00'],
        ]),
        ...row(330, [
          [300, 'Total'],
          [480, '$ 110.00'],
        ]),
      ],
    ]);
    expect(d).toMatchObject({
      merchant: 'Harbour Supplies Ltd',
      invoice_id: 'INV/2026/0007',
      date: '2026-03-20',
      due_date: '2026-04-04',
      currency: 'USD',
      subtotal: '100.00',
      tax: '10.00',
      total: '110.00',
    });
  });

  it('infers day-first dates from another date on the page that can only be read one way', async () => {
    const d = await extract([
      [
        { x: 40, y: 60, text: 'Kestrel Tools Ltd', size: 16 },
        ...row(120, [[40, 'Invoice No: 5521']]),
        ...row(135, [[40, 'Invoice Date: 04/03/2026']]),
        ...row(150, [[40, 'Delivery Date: 28/02/2026']]),
        ...row(300, [
          [300, 'Total'],
          [480, '120.00'],
        ]),
      ],
    ]);
    expect(d.date).toBe('2026-03-04');
  });
});

describe('item tables', () => {
  it('two-line header, tax column inside rows, continuation lines, no note lines in the header', async () => {
    const d = await extract([
      [
        { x: 40, y: 50, text: 'Lindenhof Getraenke GmbH', size: 16 },
        ...row(100, [[40, 'Rechnung Nr. 2026-114']]),
        ...row(115, [[40, 'Rechnungsdatum 12.01.2026']]),
        // Header: the description column is named on the second header line; "ohne MwSt." qualifies.
        ...row(200, [
          [40, 'Pos'],
          [230, 'Nettopreis'],
          [320, 'Menge'],
          [390, 'Steuer'],
          [500, 'Entgelt'],
        ]),
        ...row(211, [
          [70, 'Artikelbezeichnung'],
          [500, 'ohne MwSt.'],
        ]),
        ...row(232, [
          [40, '1'],
          [70, 'Mineralwasser'],
          [240, '5,49'],
          [330, '20'],
          [390, '19 % MwSt'],
          [505, '109,80'],
        ]),
        ...row(243, [[70, 'Medium 12 x 1,0l PET']]),
        ...row(265, [
          [40, '2'],
          [70, 'Apfelsaft naturtrüb'],
          [240, '1,20'],
          [330, '10'],
          [390, '7 % MwSt'],
          [510, '12,00'],
        ]),
        ...row(300, [
          [300, 'Summe netto'],
          [500, '121,80'],
        ]),
        ...row(315, [
          [300, 'MwSt.'],
          [505, '21,70'],
        ]),
        ...row(330, [
          [300, 'Gesamtbetrag EUR'],
          [500, '143,50'],
        ]),
      ],
    ]);
    expect(d).toMatchObject({
      merchant: 'Lindenhof Getraenke GmbH',
      invoice_id: '2026-114',
      date: '2026-01-12',
      currency: 'EUR',
      subtotal: '121.80',
      tax: '21.70',
      total: '143.50',
    });
    expect(d.line_items).toEqual([
      { description: 'Mineralwasser Medium 12 x 1,0l PET', quantity: 20, unit_price: '5.49', total: '109.80' },
      { description: 'Apfelsaft naturtrüb', quantity: 10, unit_price: '1.20', total: '12.00' },
    ]);
  });

  it('keeps description words that run past their column edge', async () => {
    const d = await extract([
      [
        { x: 40, y: 50, text: 'Quayside Electronics B.V.', size: 16 },
        ...row(100, [[40, 'Factuurnummer: 88120']]),
        ...row(115, [[40, 'Factuurdatum: 29 maart 2026']]),
        ...row(200, [
          [40, 'Artikel'],
          [300, 'Aantal'],
          [360, 'Prijs per stuk'],
          [480, 'Bedrag'],
        ]),
        ...row(220, [
          [40, 'Laptop sleeve 15 inch with extra pocket'],
          [310, '2'],
          [370, '€ 19,99'],
          [490, '€ 39,98'],
        ]),
        ...row(300, [
          [360, 'Totaal'],
          [490, '€ 39,98'],
        ]),
      ],
    ]);
    expect(d.line_items[0]).toEqual({
      description: 'Laptop sleeve 15 inch with extra pocket',
      quantity: 2,
      unit_price: '19.99',
      total: '39.98',
    });
    expect(d.subtotal).toBe('39.98'); // no tax printed, lines add up to the total
  });

  it('continues a table and its totals on page 2', async () => {
    const header = row(150, [
      [40, 'Description'],
      [300, 'Qty'],
      [380, 'Unit Price'],
      [490, 'Amount'],
    ]);
    const d = await extract([
      [
        { x: 40, y: 50, text: 'Northwind Traders Inc.', size: 16 },
        ...row(100, [[40, 'Invoice # 7781']]),
        ...row(115, [[40, 'Date: March 3, 2026']]),
        ...header,
        ...row(170, [
          [40, 'Consulting hours'],
          [305, '10'],
          [385, '$100.00'],
          [490, '$1,000.00'],
        ]),
      ],
      [
        ...header,
        ...row(170, [
          [40, 'Travel expenses'],
          [305, '1'],
          [385, '$250.00'],
          [495, '$250.00'],
        ]),
        ...row(250, [
          [380, 'Subtotal'],
          [490, '$1,250.00'],
        ]),
        ...row(265, [
          [380, 'Sales Tax'],
          [495, '$100.00'],
        ]),
        ...row(280, [
          [380, 'Total Due'],
          [490, '$1,350.00'],
        ]),
      ],
    ]);
    expect(d).toMatchObject({
      invoice_id: '7781',
      date: '2026-03-03',
      subtotal: '1250.00',
      tax: '100.00',
      total: '1350.00',
      page_count: 2,
    });
    expect(d.line_items.map((l) => [l.description, l.total])).toEqual([
      ['Consulting hours', '1000.00'],
      ['Travel expenses', '250.00'],
    ]);
  });
});

describe('the seller among several parties', () => {
  it('prefers the party whose own web/e-mail domain is printed over the recipient with a legal form', async () => {
    const d = await extract([
      [
        ...row(
          120,
          [
            [40, 'Brightwater Corporation'],
            [380, 'ALDERMOOR DE'],
          ],
          10,
        ),
        ...row(
          133,
          [
            [40, 'Station Road, 21'],
            [380, 'Hofstrasse 12'],
          ],
          10,
        ),
        ...row(
          146,
          [
            [40, '20097 Hamburg'],
            [380, '40210 Duesseldorf'],
          ],
          10,
        ),
        ...row(200, [[40, 'Invoice 103767']], 12),
        ...row(215, [[40, 'Date: 17.02.2026']]),
        ...row(400, [
          [300, 'Total EUR'],
          [480, '681,87'],
        ]),
        ...row(
          760,
          [
            [40, 'VAT Registration No. DE777777777'],
            [300, 'info@aldermoor.com'],
          ],
          8,
        ),
      ],
    ]);
    expect(d.merchant).toBe('ALDERMOOR DE');
  });

  it('reads a seller heading with the name on the next line', async () => {
    const d = await extract([
      [
        ...row(80, [[40, 'FACTURE N° : F2026-0027']], 12),
        ...row(110, [
          [40, 'SELLER TRADE NAME'],
          [330, 'Adresse du Client'],
        ]),
        ...row(123, [
          [40, 'LE FOURNISSEUR'],
          [330, 'LE CLIENT SARL'],
        ]),
        ...row(160, [[40, 'Date : 31/12/2026']]),
        ...row(400, [
          [300, 'Total TTC'],
          [480, '110,00 €'],
        ]),
      ],
    ]);
    expect(d.merchant).toBe('LE FOURNISSEUR');
    expect(d.invoice_id).toBe('F2026-0027');
  });
});
