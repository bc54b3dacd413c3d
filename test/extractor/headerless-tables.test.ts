/**
 * Item tables without a header row, on synthetic word geometry: rows are lines whose amounts end
 * at one right edge, accepted only when they add up to a printed total; indented rows break the
 * row above down; a count × price printed in a row is its quantity and unit price. Generic
 * layouts in several languages; nothing here names a real vendor.
 */
import { describe, expect, it } from 'vitest';
import { findHeaderlessItems } from '../../functions/extractor/headerless-tables.ts';
import { buildLines } from '../../functions/extractor/layout.ts';
import { itemTuples as items, letterhead, line, readPage as read, wordPage } from '../fixtures/word-page.ts';

const RIGHT = 555; // the amount column's right edge, in points

describe('tables without a header row', () => {
  it('takes the outermost rows of a service breakdown and skips the summary that repeats its total (EN)', () => {
    const d = read([
      ...line(50, [[40, 'Skyline Cloud Services LLC']], 16),
      ...line(90, [[300, 'Invoice Number:'], { right: RIGHT, text: '90017' }]),
      ...line(104, [[300, 'Invoice Date:'], { right: RIGHT, text: 'May 3, 2026' }]),
      ...line(118, [[300, 'TOTAL AMOUNT DUE'], { right: RIGHT, text: '$12.40' }], 10),
      // Summary: one service-charges row broken down, then the total.
      ...line(200, [[40, 'Summary']], 12),
      ...line(218, [[50, 'Service Charges'], { right: RIGHT, text: '$12.40' }], 10),
      ...line(232, [[60, 'Charges'], { right: RIGHT, text: '$12.40' }]),
      ...line(246, [[60, 'Credits'], { right: RIGHT, text: '$0.00' }]),
      ...line(260, [[60, 'Tax *'], { right: RIGHT, text: '$0.00' }]),
      ...line(276, [[40, 'Total for this invoice'], { right: RIGHT, text: '$12.40' }], 10),
      // Detail: one row per service, each broken down into charges and tax.
      ...line(320, [[40, 'Detail']], 12),
      ...line(338, [[50, 'Object Storage'], { right: RIGHT, text: '$7.25' }], 10),
      ...line(352, [[60, 'Charges'], { right: RIGHT, text: '$7.25' }]),
      ...line(366, [[60, 'VAT **'], { right: RIGHT, text: '$0.00' }]),
      ...line(382, [[50, 'Compute Instances'], { right: RIGHT, text: '$5.10' }], 10),
      ...line(396, [[60, 'Charges'], { right: RIGHT, text: '$5.10' }]),
      ...line(410, [[60, 'VAT **'], { right: RIGHT, text: '$0.00' }]),
      ...line(426, [[50, 'Data Transfer'], { right: RIGHT, text: '$0.05' }], 10),
      ...line(440, [[60, 'Charges'], { right: RIGHT, text: '$0.05' }]),
      ...line(454, [[60, 'VAT **'], { right: RIGHT, text: '$0.00' }]),
    ]);
    expect(d.total).toBe('12.40');
    // One amount and no quantity: one unit at that price.
    expect(items(d)).toEqual([
      ['Object Storage', null, '7.25', '7.25'],
      ['Compute Instances', null, '5.10', '5.10'],
      ['Data Transfer', null, '0.05', '0.05'],
    ]);
  });

  it('reads a flat list closed by its subtotal, in euro notation (DE)', () => {
    const d = read([
      ...letterhead('Bergblick Hosting GmbH', 'Rechnung Nr. 2026-0412', 'Rechnungsdatum: 02.04.2026'),
      ...line(200, [[40, 'Webhosting Paket M, April 2026'], { right: RIGHT, text: '12,90 €' }]),
      ...line(214, [[40, 'Domain bergblick-beispiel.de'], { right: RIGHT, text: '1,20 €' }]),
      ...line(228, [[40, 'SSL-Zertifikat'], { right: RIGHT, text: '4,00 €' }]),
      ...line(250, [[300, 'Zwischensumme'], { right: RIGHT, text: '18,10 €' }]),
      ...line(264, [[300, 'MwSt. 19 %'], { right: RIGHT, text: '3,44 €' }]),
      ...line(278, [[300, 'Gesamtbetrag'], { right: RIGHT, text: '21,54 €' }]),
    ]);
    expect(d).toMatchObject({ currency: 'EUR', subtotal: '18.10', tax: '3.44', total: '21.54' });
    expect(items(d)).toEqual([
      ['Webhosting Paket M, April 2026', null, '12.90', '12.90'],
      ['Domain bergblick-beispiel.de', null, '1.20', '1.20'],
      ['SSL-Zertifikat', null, '4.00', '4.00'],
    ]);
  });

  it('takes a count × price printed in the row as quantity and unit price (FR)', () => {
    const d = read([
      ...letterhead('Atelier Lumière SARL', 'Facture n° FA-2026-118', 'Date : 14/03/2026'),
      ...line(200, [[40, 'Abonnement mensuel'], [300, '2 x 14,99 €'], { right: RIGHT, text: '29,98 €' }]),
      ...line(214, [[40, "Frais d'activation"], { right: RIGHT, text: '10,00 €' }]),
      ...line(240, [[300, 'Total TTC'], { right: RIGHT, text: '39,98 €' }]),
    ]);
    expect(d.total).toBe('39.98');
    expect(items(d)).toEqual([
      ['Abonnement mensuel', 2, '14.99', '29.98'],
      ["Frais d'activation", null, '10.00', '10.00'],
    ]);
  });

  it('leaves net and tax columns out of the description, and the unit price unknown (NL)', () => {
    const d = read([
      ...letterhead('Polderlicht Energie B.V.', 'Factuurnummer: 552019', 'Factuurdatum: 01-02-2026'),
      ...line(200, [
        [40, 'Vastrecht februari'],
        { right: 380, text: '10,00' },
        { right: 460, text: '2,10' },
        { right: RIGHT, text: '12,10' },
      ]),
      ...line(214, [
        [40, 'Levering stroom'],
        { right: 380, text: '50,00' },
        { right: 460, text: '10,50' },
        { right: RIGHT, text: '60,50' },
      ]),
      ...line(240, [[40, 'Totaal te betalen'], { right: RIGHT, text: '72,60' }]),
    ]);
    expect(items(d)).toEqual([
      ['Vastrecht februari', null, null, '12.10'],
      ['Levering stroom', null, null, '60.50'],
    ]);
  });

  it('ends the description where the number columns start (FR credit note)', () => {
    const d = read([
      ...letterhead('Moulin du Midi SARL', 'Avoir n° AV-2026-0005', 'Date : 16/11/2026'),
      ...line(200, [
        [40, "Nougat de l'Abbaye 250g"],
        [300, '5 Unit(s)'],
        [380, '4,55 €'],
        [440, '10%'],
        { right: RIGHT, text: '-20,48 €' },
      ]),
      ...line(214, [
        [40, "Huile d'olive"],
        [300, '10 Liter(s)'],
        [380, '19,80 €'],
        { right: RIGHT, text: '-198,00 €' },
      ]),
      ...line(240, [[400, 'Total HT'], { right: RIGHT, text: '-218,48 €' }]),
    ]);
    expect(items(d).map(([desc, , , total]) => [desc, total])).toEqual([
      ["Nougat de l'Abbaye 250g", '-20.48'],
      ["Huile d'olive", '-198.00'],
    ]);
  });

  it('finds no items when the aligned amounts do not add up to a printed total', () => {
    const d = read([
      ...letterhead('Harbourside Utilities Ltd', 'Statement No. 4410', 'Date: 2026-01-31'),
      ...line(200, [[40, 'Opening balance'], { right: RIGHT, text: '100.00' }]),
      ...line(214, [[40, 'Payments since last statement'], { right: RIGHT, text: '60.00' }]),
      ...line(240, [[300, 'Amount due'], { right: RIGHT, text: '35.00' }]),
    ]);
    expect(d.line_items).toEqual([]);
  });

  it('takes rows that prove their own quantity × price when one misread figure breaks the total (EN)', () => {
    const rows: [string, string, string, string][] = [
      ['Desk lamp', '2', '40.00', '80.00'],
      ['Office chair', '3', '120.50', '361.50'],
      ['Cable ties', '10', '1.25', '12.50'],
      ['Whiteboard markers', '4', '2.10', '8.40'],
    ];
    const page = (misread: string): ReturnType<typeof read> =>
      read([
        ...letterhead('Harbor Office Supply Sdn Bhd', 'Invoice No: RE-1001', 'Date: 01 Feb 2026'),
        ...rows.flatMap(([desc, qty, price, amount], i) =>
          line(200 + 14 * i, [
            [40, desc],
            [330, qty],
            [420, price],
            { right: RIGHT, text: i === 2 ? misread : amount },
          ]),
        ),
        ...line(270, [[300, 'Total'], { right: RIGHT, text: '462.40' }]),
      ]);
    // "12.50" read as "12.80": the rows no longer add up to the total, but three of four still
    // prove themselves by quantity × unit price.
    expect(items(page('12.80'))).toEqual([
      ['Desk lamp', 2, '40.00', '80.00'],
      ['Office chair', 3, '120.50', '361.50'],
      // The printed count and price disagree with the amount: neither is claimed.
      ['Cable ties', null, null, '12.80'],
      ['Whiteboard markers', 4, '2.10', '8.40'],
    ]);
    expect(items(page('12.50'))).toHaveLength(4);
  });

  it('needs most rows to prove themselves when no total matches', () => {
    const d = read([
      ...letterhead('Harbourside Utilities Ltd', 'Statement No. 4410', 'Date: 2026-01-31'),
      ...line(200, [[40, 'Water'], [330, '2'], [420, '10.00'], { right: RIGHT, text: '20.00' }]),
      ...line(214, [[40, 'Sewer'], [330, '3'], [420, '10.00'], { right: RIGHT, text: '31.00' }]),
      ...line(228, [[40, 'Levy'], [330, '4'], [420, '10.00'], { right: RIGHT, text: '41.00' }]),
      ...line(242, [[40, 'Meter'], [330, '5'], [420, '10.00'], { right: RIGHT, text: '50.00' }]),
      ...line(270, [[300, 'Amount due'], { right: RIGHT, text: '99.00' }]),
    ]);
    expect(d.line_items).toEqual([]);
  });

  it('goes on below a line inside the table that OCR could not read as a row', () => {
    const d = read([
      ...letterhead('Harbor Office Supply Sdn Bhd', 'Invoice No: RE-1002', 'Date: 02 Feb 2026'),
      ...line(200, [[40, 'Desk lamp'], [330, '2'], [420, '40.00'], { right: RIGHT, text: '80.00' }]),
      ...line(214, [[40, 'Office chair'], [330, '3'], [420, '120.50'], { right: RIGHT, text: '361.50' }]),
      // An unreadable row: no amount, so it is not a row, but the table does not end there.
      ...line(230, [[40, 'Seat'], [330, '2'], { right: RIGHT, text: '08' }]),
      ...line(250, [[40, 'Cable ties'], [330, '10'], [420, '1.25'], { right: RIGHT, text: '12.50' }]),
      ...line(264, [[40, 'Whiteboard markers'], [330, '4'], [420, '2.10'], { right: RIGHT, text: '8.40' }]),
      ...line(290, [[300, 'Total'], { right: RIGHT, text: '493.28' }]),
    ]);
    expect(items(d).map((r) => r[0])).toEqual(['Desk lamp', 'Office chair', 'Cable ties', 'Whiteboard markers']);
  });

  it('needs the amounts in one column: a ragged right edge is not a table', () => {
    const lines = buildLines([
      wordPage([
        ...line(200, [[40, 'Consulting'], { right: RIGHT, text: '100.00' }]),
        ...line(214, [[40, 'Travel'], { right: RIGHT - 60, text: '50.00' }]),
      ]),
    ]);
    expect(findHeaderlessItems(lines, ['150.00'])).toEqual([]);
    // The same rows aligned are a table that adds up.
    const aligned = buildLines([
      wordPage([
        ...line(200, [[40, 'Consulting'], { right: RIGHT, text: '100.00' }]),
        ...line(214, [[40, 'Travel'], { right: RIGHT, text: '50.00' }]),
      ]),
    ]);
    expect(findHeaderlessItems(aligned, ['150.00']).map((r) => r.cells.ITEM?.text)).toEqual(['Consulting', 'Travel']);
  });

  it('is not used when the document has a table with a header row', () => {
    const d = read([
      ...letterhead('Northgate Supplies Ltd', 'Invoice No: 3001', 'Date: 2026-02-02'),
      ...line(180, [[40, 'Description'], [330, 'Qty'], [400, 'Unit Price'], { right: RIGHT, text: 'Amount' }]),
      ...line(198, [[40, 'Cable ties'], [335, '3'], [400, '2.00'], { right: RIGHT, text: '6.00' }]),
      ...line(240, [[300, 'Total'], { right: RIGHT, text: '6.00' }]),
    ]);
    expect(items(d)).toEqual([['Cable ties', 3, '2.00', '6.00']]);
  });
});
