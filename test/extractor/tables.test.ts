/**
 * Where item tables with a header row end and what their cells hold, on synthetic word geometry:
 * French "Prix" headers, a tax-breakdown heading under the last row, the document total ending
 * the table, payment notes after a subtotal, indented sub-rows of a bundle, and a price cell
 * holding a whole rate expression.
 * Generic layouts only; nothing here names a real vendor.
 */
import { describe, expect, it } from 'vitest';
import { itemTuples as items, letterhead, line, readPage as read } from '../fixtures/word-page.ts';

const RIGHT = 555;

describe('item tables with a header row', () => {
  it('reads a "Prix HT" amount column and stops at the tax breakdown heading below the rows (FR)', () => {
    const d = read([
      ...letterhead('Moulin du Midi SARL', 'Facture n° F-2026-0077', 'Date de facture : 16/11/2026'),
      ...line(180, [[150, 'Description'], [340, 'Quantité'], [470, 'Rem.'], { right: RIGHT, text: 'Prix HT' }]),
      ...line(200, [[40, "Nougat de l'Abbaye 250g"], [355, '5'], [470, '10%'], { right: RIGHT, text: '20,48 €' }]),
      ...line(216, [[40, "Huile d'olive à l'ancienne"], [350, '10'], { right: RIGHT, text: '198,00 €' }]),
      ...line(232, [
        [80, 'Taxe'],
        [180, 'Base'],
        [250, 'Montant'],
      ]),
      ...line(236, [[440, 'Total HT'], { right: RIGHT, text: '218,48 €' }]),
      ...line(250, [
        [40, '20.0'],
        [180, '20,48 €'],
        [250, '4,10 €'],
      ]),
      ...line(264, [[440, 'Total TTC'], { right: RIGHT, text: '233,47 €' }]),
    ]);
    expect(items(d)).toEqual([
      ["Nougat de l'Abbaye 250g", 5, '4.10', '20.48'],
      ["Huile d'olive à l'ancienne", 10, '19.80', '198.00'],
    ]);
  });

  it('ends at the document total: the payment line below it is no item (EN)', () => {
    const d = read([
      ...letterhead('Seaview Rooms Pvt. Ltd.', 'Receipt No: R-5521', 'Date: 31/12/2026'),
      ...line(180, [[60, 'DESCRIPTION'], [440, 'RATE'], { right: RIGHT, text: 'AMOUNT' }]),
      ...line(200, [[60, 'Room Charges'], [440, '$ 80.00'], { right: RIGHT, text: '$ 80.00' }]),
      ...line(230, [[60, 'Grand Total'], { right: RIGHT, text: '$ 80.00' }]),
      ...line(256, [[60, 'Payment received by card'], { right: RIGHT, text: '$ 80.00' }]),
    ]);
    expect(items(d)).toEqual([['Room Charges', null, '80.00', '80.00']]);
  });

  it('after a subtotal, a number from the notes below is no row (DE)', () => {
    const d = read([
      ...letterhead('Feldweg Druckerei GmbH', 'Rechnung Nr. 2026-311', 'Datum: 03.03.2026'),
      ...line(180, [[40, 'Bezeichnung'], [330, 'Menge'], [400, 'Einzelpreis'], { right: RIGHT, text: 'Betrag' }]),
      ...line(200, [[40, 'Visitenkarten 300 g/m²'], [340, '2'], [400, '45,00'], { right: RIGHT, text: '90,00' }]),
      ...line(224, [[330, 'Zwischensumme'], { right: RIGHT, text: '90,00' }]),
      ...line(250, [[40, 'Fragen zur Rechnung beantworten wir gern unter Telefon 0211'], { right: RIGHT, text: '55' }]),
      ...line(276, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '107,10' }]),
    ]);
    expect(items(d)).toEqual([['Visitenkarten 300 g/m²', 2, '45.00', '90.00']]);
  });

  it('gives a bundle component printed under an indented levy row back to the bundle (NL)', () => {
    const d = read([
      ...letterhead('Blauwe Haven Elektronica B.V.', 'Factuurnummer: 771200', 'Factuurdatum: 29 maart 2026'),
      ...line(180, [
        [40, 'Artikel'],
        [340, 'Aantal'],
        [390, 'Prijs per stuk'],
        { right: RIGHT, text: 'Prijs incl. BTW' },
      ]),
      ...line(198, [[40, "Laptop 13'' + Muis"], [355, '1'], [400, '€ 999,00'], { right: RIGHT, text: '€ 999,00' }]),
      ...line(210, [
        [60, "Laptop 13'' 256 GB"],
        [355, '1'],
      ]),
      ...line(222, [[72, 'Incl. Thuiskopieheffing €3,50'], [355, '1'], { right: RIGHT, text: '€ 4,24' }], 8),
      ...line(234, [
        [60, 'Draadloze muis'],
        [355, '1'],
      ]),
      ...line(250, [[40, "Laptoptas 15''"], [355, '1'], [400, '€ 49,00'], { right: RIGHT, text: '€ 49,00' }]),
      ...line(290, [[400, 'Totaal'], { right: RIGHT, text: '€ 1.048,00' }]),
    ]);
    expect(items(d).map(([desc, , , total]) => [desc, total])).toEqual([
      ["Laptop 13'' + Muis Laptop 13'' 256 GB Draadloze muis", '999.00'],
      ['Incl. Thuiskopieheffing €3,50', '4.24'],
      ["Laptoptas 15''", '49.00'],
    ]);
  });

  it('takes the price from a rate expression whose product is the amount (EN, INR)', () => {
    const d = read([
      ...letterhead('Lakeside Stays Pvt. Ltd.', 'Invoice No: H-2087', 'Date: 01/01/2026'),
      ...line(180, [[60, 'DESCRIPTION'], [440, 'RATE'], { right: RIGHT, text: 'AMOUNT' }]),
      ...line(200, [
        [60, 'Room Charges'],
        { right: 470, text: 'Rs 1939 x 1 Night x 1 Room' },
        { right: RIGHT, text: 'Rs 1939' },
      ]),
      ...line(230, [[60, 'Total'], { right: RIGHT, text: 'Rs 1939' }]),
    ]);
    expect(items(d)).toEqual([['Room Charges', null, '1939.00', '1939.00']]);
  });
});
