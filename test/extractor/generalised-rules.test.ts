/**
 * Rules that read layouts real producers print, on synthetic word geometry: rows spread over two
 * lines (item and quantity above, amount below), invoice numbers behind a titled type code or a
 * qualifier, and a due date under a column heading in a row of headings.
 * Generic layouts only; nothing here names a real vendor.
 */
import { describe, expect, it } from 'vitest';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { analyse, extractExpense } from '../../functions/extractor/index.ts';
import { deskew, repairLegalForms } from '../../functions/extractor/ocr.ts';
import { placedPdf } from '../fixtures/pdf-builder.ts';
import { findFieldCandidates } from '../../functions/extractor/fields.ts';
import { buildLines } from '../../functions/extractor/layout.ts';
import { findParties } from '../../functions/extractor/parties.ts';
import { itemTuples as items, letterhead, line, readPage as read, wordPage } from '../fixtures/word-page.ts';

const RIGHT = 555;

/** A till slip: a shop's name and date, then rows of a label at the left and an amount at the right. */
const tillSlip = (rows: [string, string][]) =>
  read([
    ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
    ...line(60, [[40, 'Date: 25/12/2018']]),
    ...rows.flatMap(([label, amount], i) => line(100 + 16 * i, [[40, label], { right: 300, text: amount }])),
  ]);

describe('rows printed over two lines', () => {
  it('joins the item line and the amount line below it, with codes beside the amount', () => {
    const d = read([
      ...letterhead('Lindenhof Handel GmbH', 'Rechnung Nr. 2026-118', 'Datum: 05.03.2026'),
      ...line(180, [
        [40, 'Pos'],
        [70, 'Beschreibung'],
        [300, 'Nettopreis'],
        [370, 'Menge'],
        [430, 'Steuersatz'],
        { right: RIGHT, text: 'Nettobetrag' },
      ]),
      ...line(200, [
        [40, '1'],
        [70, 'Trennblätter A4'],
        [300, '9,9000'],
        [370, '20 Stk'],
        [430, '19 %'],
      ]),
      ...line(208, [[70, '4012345001235'], { right: RIGHT, text: '198,00' }]),
      ...line(240, [
        [40, '2'],
        [70, 'Joghurt Banane'],
        [300, '5,5000'],
        [370, '50 Stk'],
        [430, '7 %'],
      ]),
      ...line(248, [[70, '4000050986428'], { right: RIGHT, text: '275,00' }]),
      ...line(290, [[330, 'Rechnungssumme netto'], { right: RIGHT, text: '473,00' }]),
      ...line(306, [[330, 'Umsatzsteuer'], { right: RIGHT, text: '56,87' }]),
      ...line(322, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '529,87' }]),
    ]);
    expect(d.line_items).toHaveLength(2);
    expect(items(d).map(([, q, u, t]) => [q, u, t])).toEqual([
      [20, '9.90', '198.00'],
      [50, '5.50', '275.00'],
    ]);
    expect(d.line_items[0]!.description).toMatch(/^Trennblätter A4/);
  });

  it('keeps one-line rows whose next line is the next item (no joining across items)', () => {
    const d = read([
      ...letterhead('Harbour Supplies Ltd', 'Invoice No: HS-77', 'Date: 2026-01-05'),
      ...line(180, [[40, 'Description'], [330, 'Qty'], [400, 'Unit price'], { right: RIGHT, text: 'Amount' }]),
      ...line(200, [[40, 'Rope, 20 m'], [335, '2'], [400, '12.50'], { right: RIGHT, text: '25.00' }]),
      ...line(208, [[40, 'Shackle'], [335, '4'], [400, '3.00'], { right: RIGHT, text: '12.00' }]),
      ...line(240, [[330, 'Total'], { right: RIGHT, text: '37.00' }]),
    ]);
    expect(items(d)).toEqual([
      ['Rope, 20 m', 2, '12.50', '25.00'],
      ['Shackle', 4, '3.00', '12.00'],
    ]);
  });
});

describe('invoice numbers after a title', () => {
  for (const [title, id] of [
    ['Mietrechnung (387) Nr. 9314110911/00/M/00/N vom 01.10.2026', '9314110911/00/M/00/N'],
    ['Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 47110818 vom 31.10.2026', '47110818'],
    ['Rechnung des Versicherers (575) Nr. 00.123.456.7-2026-1 vom 11.03.2026', '00.123.456.7-2026-1'],
    ['Rechnungskorrektur (384) Nr. RK21012345 vom 16.09.2026', 'RK21012345'],
    ['Fattura n. 2026/0042 del 03/02/2026', '2026/0042'],
  ] as const) {
    it(`reads "${title}"`, () => {
      const d = read([
        ...letterhead('Beispiel Lieferant GmbH', title),
        ...line(300, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '100,00' }]),
      ]);
      expect(d.invoice_id).toBe(id);
    });
  }
});

describe('a due date under its column heading', () => {
  it('reads the date printed under "Fälligkeit" in a row of headings', () => {
    const d = read([
      ...letterhead('Lindenhof Handel GmbH', 'Rechnung Nr. 2026-118 vom 05.03.2026'),
      ...line(300, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '529,87' }]),
      ...line(340, [[40, 'Zahlungsbedingungen']]),
      ...line(356, [
        [60, 'Beschreibung'],
        [380, 'Fälligkeit'],
        [470, 'Teilzahlung'],
      ]),
      ...line(372, [[380, '04.04.2026']]),
    ]);
    expect(d.due_date).toBe('2026-04-04');
  });
});

describe('receipts', () => {
  const receipt = (lines: [number, string, string?][]) =>
    read(
      lines.flatMap(([y, left, right]) => line(y, right ? [[40, left], { right: 300, text: right }] : [[40, left]])),
    );

  it('reads "SDN BHD" as a legal form (merchant), never as the Bahraini dinar; RM amounts are ringgit', () => {
    const d = receipt([
      [40, 'KEDAI RUNCIT SERI MAJU SDN BHD'],
      [54, '(123456-X)'],
      [68, 'GST NO: 000123456789'],
      [82, 'JALAN SAGU 18, TAMAN DAYA'],
      [110, 'Date: 05/03/2018'],
      [140, 'ROTI BAKAR', '4.50'],
      [154, 'TEH TARIK', '4.50'],
      [180, 'TOTAL (RM)', 'RM 9.00'],
    ]);
    expect(d.merchant).toBe('KEDAI RUNCIT SERI MAJU SDN BHD');
    expect(d.currency).toBe('MYR');
    expect(d.total).toBe('9.00');
    // Day first: the page says GST and Sdn Bhd, and the currency is the ringgit.
    expect(d.date).toBe('2018-03-05');
  });

  it('reads day-first dates from page signals when neither the dates nor the currency decide', () => {
    const d = receipt([
      [40, 'Bäckerei Sonnenschein GmbH'],
      [60, 'Datum: 04/06/2026'],
      [100, 'Brötchen', '2,40'],
      [120, 'Summe', '2,40'],
      [134, 'inkl. MwSt.', '0,16'],
    ]);
    expect(d.date).toBe('2026-06-04');
  });

  it('keeps month-first for US documents', () => {
    const d = receipt([
      [40, 'Corner Deli'],
      [54, '12 Main St, Springfield, IL 62701'],
      [68, '(217) 555-0134'],
      [90, 'Date: 04/06/2026'],
      [120, 'Bagel', '2.40'],
      [134, 'Sales Tax', '0.19'],
      [148, 'Total', '2.59'],
    ]);
    expect(d.date).toBe('2026-04-06');
  });

  it('takes "NET TOTAL" as the total when subtotal + tax + cash rounding add up to it', () => {
    const d = receipt([
      [40, 'MEE GORENG CORNER'],
      [60, 'DATE: 10/02/2017'],
      [100, '1 FISHBALL NOODLE', '7.00'],
      [120, 'SUB TOTAL', '7.00'],
      [134, 'GST 6%', '0.42'],
      [148, 'ROUNDING ADJ', '-0.02'],
      [170, 'NET TOTAL', '7.40'],
    ]);
    expect(d).toMatchObject({ subtotal: '7.00', tax: '0.42', total: '7.40' });
  });

  describe('the shop named at the top, not the company that owns it', () => {
    /** A slip headed by the shop's name, set wide in bold (two segments), its owner below. */
    const slip = (ownerHeading: string, shopWordConfidence = 99) =>
      read([
        ...line(
          40,
          [
            [40, 'SANYU STATIONERY'],
            [215, 'SHOP'],
          ],
          14,
        ).map((w) =>
          w.text === 'SANYU'
            ? { ...w, confidence: shopWordConfidence, text: shopWordConfidence < 99 ? 'SANYO' : 'SANYU' }
            : w,
        ),
        ...line(60, [[40, 'NO. 31G, JALAN SETIA INDAH']]),
        ...line(74, [[40, ownerHeading]]),
        ...line(88, [[40, 'SANYU SUPPLY SDN BHD (1135772-K)']]),
        ...line(120, [[40, 'PEN'], { right: 300, text: '8.70' }]),
        ...line(140, [[40, 'Total'], { right: 300, text: '8.70' }]),
        ...line(200, [[40, 'Follow us on Facebook: Sanyu.Stationery']]),
      ]);

    it('reads the letterhead whole and passes over the name after "Owned by"', () => {
      expect(slip('Owned By :').merchant).toBe('SANYU STATIONERY SHOP');
      // Without the heading, a company with its legal form near the top is the seller.
      expect(slip('GST ID No: 001531760640').merchant).toBe('SANYU SUPPLY SDN BHD');
    });

    it("spells an OCR'd letterhead word the way the page prints it twice elsewhere", () => {
      expect(slip('Owned By :', 56).merchant).toBe('SANYU STATIONERY SHOP');
    });
  });

  it('joins a letterhead word a lost letter split off to the legal name beside it ("GARDENIA  AKERIES (KL) SDN BHD")', () => {
    const d = read([
      ...line(
        40,
        [
          [40, 'GARDENIA'],
          [120, 'AKERIES (KL) SDN BHD (139386 X)'],
        ],
        12,
      ),
      ...line(60, [[40, 'Lot 3, Jalan Pelabur 23/1']]),
      ...line(100, [[40, 'Bread'], { right: 300, text: '2.40' }]),
      ...line(120, [[40, 'Total'], { right: 300, text: '2.40' }]),
    ]);
    expect(d.merchant).toBe('GARDENIA AKERIES (KL) SDN BHD');
  });

  it('takes no company from an item table\'s heading row whose last word reads as a legal form ("Amt Amt Inc")', () => {
    const d = read([
      ...line(40, [[40, 'KEDAI RUNCIT MAJU']]),
      ...line(56, [[40, 'NO 3, JALAN 1']]),
      ...line(90, [
        [40, 'Qty'],
        [80, 'UOM'],
        [130, 'U.Price'],
        [190, 'Amt'],
        [230, 'Amt Inc'],
        [290, 'Tax Code'],
      ]),
      ...line(106, [[40, 'SUMMER CUP 48X230ML']]),
      ...line(120, [
        [40, '1'],
        [80, 'KOTAK'],
        [130, '8.49'],
        [190, '8.49'],
        [230, '9.00'],
        [290, 'SR'],
      ]),
      ...line(150, [[40, 'Total'], { right: 300, text: '9.00' }]),
    ]);
    expect(d).toMatchObject({ merchant: 'KEDAI RUNCIT MAJU', total: '9.00', currency: null });
  });

  it('takes a seller whose name starts with a word that also joins dates ("Van Dijk BVBA", "Le Petit Four SARL")', () => {
    for (const seller of ['Van Dijk Installatietechniek BVBA', 'Le Petit Four SARL', 'Von Berg GmbH']) {
      const lines = buildLines([
        wordPage([
          ...line(40, [[300, seller]], 12),
          ...line(60, [[300, 'Damrak 12']]),
          ...line(100, [[40, 'Factuur 2021-118 van 15/07/2021']]),
        ]),
      ]);
      const names = findParties(lines).filter((p) => p.type === 'VENDOR_NAME');
      expect(names[0]?.valueText, seller).toBe(seller);
    }
  });

  it('keeps a partnership\'s whole legal form ("GmbH & Co. KG") and no document title OCR set on the name\'s line', () => {
    const nameOf = (head: string) =>
      read([
        ...line(40, [[40, head]]),
        ...line(60, [[40, 'Bahnhofstraße 101']]),
        ...line(80, [[40, '50667 Köln']]),
        ...line(100, [[40, 'Rechnungsnummer: INV-2022-72442']]),
        ...line(116, [[40, 'Datum: 18.09.2022']]),
        ...line(200, [[330, 'SUMME BRUTTO'], { right: 500, text: 'EUR 25,95' }]),
      ]).merchant;
    expect(nameOf('Hansen Beratung GmbH & Co. KG')).toBe('Hansen Beratung GmbH & Co. KG');
    expect(nameOf('Honorarrechnung Hansen Beratung GmbH & Co. KG')).toBe('Hansen Beratung GmbH & Co. KG');
    expect(nameOf('Weber Bau AG & Co KGaA')).toBe('Weber Bau AG & Co KGaA');
  });

  it('takes a company named by its domain before a legal form ("eCosway.com SDN BHD"), not a web address alone', () => {
    const slipHeaded = (name: string) =>
      read([
        ...line(40, [[40, name]]),
        ...line(60, [[40, '2nd Floor, Wisma Cosway, Jalan Raja Chulan,']]),
        ...line(80, [[40, 'TAX INVOICE']]),
        ...line(100, [[40, 'Date: 20/07/2016']]),
        ...line(140, [[40, 'BG HYDRATING SPA MASK'], { right: 300, text: '0.00' }]),
        ...line(160, [[40, 'TOTAL'], { right: 300, text: '78.30' }]),
      ]).merchant;
    expect(slipHeaded('eCosway.com SDN BHD (508212A)')).toBe('eCosway.com SDN BHD');
    expect(slipHeaded('www.ecosway.com')).not.toBe('www.ecosway.com');
  });

  it('takes no address line that ends in a comma for the shop ("Wangsa Link, Wangsa Maju,")', () => {
    const d = read([
      ...line(40, [[200, 'MAJU TRADING COMPANY']], 11),
      ...line(54, [[180, 'Company Reg. No. : 725186-V']], 11),
      ...line(68, [[150, 'NO 1&3, Jalan Wangsa Delima 12,']], 11),
      ...line(82, [[170, 'Wangsa Link, Wangsa Maju,']], 11),
      ...line(96, [[190, '53300 Kuala Lumpur']], 11),
      ...line(130, [[40, 'Total Inclusive GST:'], { right: 300, text: '83.00' }]),
    ]);
    expect(d.merchant).toBe('MAJU TRADING COMPANY');
  });

  it("takes a till's date-and-time stamp printed at the foot of the slip, not a footer's bare date", () => {
    const slip = (stamp: string) =>
      receipt([
        [40, 'HARDWARE MART SDN BHD'],
        [60, 'TAX INVOICE'],
        [100, 'PILLAR TAP', '19.90'],
        [140, 'Total', '19.90'],
        [700, stamp],
      ]);
    expect(slip('26-03-18 15:25 SH01 T1 R000112587').date).toBe('2018-03-26');
    expect(slip('Valid until 26-03-18').date).toBeNull();
  });

  it('does not take a totals line with "(Inc. GST)" for a company name', () => {
    const d = receipt([
      [40, 'FRESH BAKES'],
      [54, 'NO 3, JALAN 1'],
      [90, 'Bread', '2.40'],
      [110, 'Total 6% supplies (Inc. GST)', '2.40'],
    ]);
    expect(d.merchant).toBe('FRESH BAKES');
  });
});

describe('column roles from content', () => {
  it('names unknown quantity and rate columns by their arithmetic (quantity × rate = amount)', () => {
    const d = read([
      ...letterhead('Nordhang Beratung GmbH', 'Rechnung Nr. 2026-9', 'Datum: 01.02.2026'),
      ...line(180, [[40, 'Leistung'], [300, 'Kontingent'], [380, 'Satz'], { right: RIGHT, text: 'Betrag' }]),
      ...line(200, [[40, 'Workshop Vorbereitung'], [310, '3'], [380, '95,00'], { right: RIGHT, text: '285,00' }]),
      ...line(216, [[40, 'Moderation'], [310, '2,5'], [380, '120,00'], { right: RIGHT, text: '300,00' }]),
      ...line(250, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '585,00' }]),
    ]);
    expect(items(d)).toEqual([
      ['Workshop Vorbereitung', 3, '95.00', '285.00'],
      ['Moderation', 2.5, '120.00', '300.00'],
    ]);
  });

  it('moves the amount role to the column the arithmetic confirms ("Prijs" is the unit price beside an unknown "Subtotaal")', () => {
    const d = read([
      ...letterhead('Bakker Drukwerk B.V.', 'Factuur F2026-1', 'Datum: 01.02.2026'),
      ...line(180, [
        [40, 'Omschrijving'],
        [280, 'Aant.'],
        [340, 'Prijs'],
        [420, 'BTW'],
        { right: RIGHT, text: 'Subtotaal' },
      ]),
      ...line(200, [
        [40, 'Stalen stellingkast'],
        [285, '11'],
        [340, '€ 1.141,32'],
        [420, '21%'],
        { right: RIGHT, text: '€ 12.554,52' },
      ]),
      ...line(216, [
        [40, 'Bureaustoel'],
        [285, '2'],
        [340, '€ 430,28'],
        [420, '21%'],
        { right: RIGHT, text: '€ 860,56' },
      ]),
      ...line(250, [[330, 'Totaal excl. btw'], { right: RIGHT, text: '€ 13.415,08' }]),
    ]);
    expect(items(d)).toEqual([
      ['Stalen stellingkast', 11, '1141.32', '12554.52'],
      ['Bureaustoel', 2, '430.28', '860.56'],
    ]);
  });

  it('names an unknown quantity column next to a known unit price', () => {
    const d = read([
      ...letterhead('Harbour Supplies Ltd', 'Invoice No: HS-78', 'Date: 2026-01-05'),
      ...line(180, [[40, 'Description'], [300, 'Ordered'], [380, 'Unit price'], { right: RIGHT, text: 'Amount' }]),
      ...line(200, [[40, 'Rope, 20 m'], [310, '2'], [380, '12.50'], { right: RIGHT, text: '25.00' }]),
      ...line(216, [[40, 'Shackle'], [310, '4'], [380, '3.00'], { right: RIGHT, text: '12.00' }]),
      ...line(250, [[330, 'Total'], { right: RIGHT, text: '37.00' }]),
    ]);
    expect(items(d)).toEqual([
      ['Rope, 20 m', 2, '12.50', '25.00'],
      ['Shackle', 4, '3.00', '12.00'],
    ]);
  });
});

describe('column headings', () => {
  it('never takes an "Item #" column for the descriptions, and keeps "(net)" with its heading', () => {
    const d = read([
      ...letterhead('Harbor Enterprise LLC', 'Invoice No: INV-2026-40813', 'Date: 2026-01-19'),
      ...line(180, [
        [40, 'Item #'],
        { right: 175, text: 'Hrs' },
        [205, 'Details'],
        { right: 430, text: 'Each' },
        { right: 520, text: 'Amount' },
        { right: RIGHT, text: '(net)' },
      ]),
      ...line(200, [
        [40, 'A6262'],
        { right: 175, text: '2' },
        [205, 'Office chair'],
        { right: 430, text: '93.01' },
        { right: RIGHT, text: '186.02' },
      ]),
      ...line(216, [
        [40, 'P38899'],
        { right: 175, text: '1203' },
        [205, 'USB-C docking station'],
        { right: 430, text: '1.95' },
        { right: RIGHT, text: '2,345.85' },
      ]),
      ...line(232, [
        { right: 175, text: '1' },
        [205, 'Graphic design'],
        { right: 430, text: '716.03' },
        { right: RIGHT, text: '716.03' },
      ]),
      ...line(270, [[330, 'Subtotal'], { right: RIGHT, text: '3,247.90' }]),
      ...line(286, [[330, 'Total'], { right: RIGHT, text: '3,247.90' }]),
    ]);
    expect(items(d)).toEqual([
      ['Office chair', 2, '93.01', '186.02'],
      ['USB-C docking station', 1203, '1.95', '2345.85'],
      ['Graphic design', 1, '716.03', '716.03'],
    ]);
  });

  it('keeps a word no heading starts with in its heading\'s cell ("Importe neto"): short amounts under it are still amounts', () => {
    const d = read([
      ...letterhead('Costa Servicios S. Coop.', 'Factura n.º: 938923', 'Fecha factura: 19/10/2018'),
      ...line(
        180,
        [
          [40, 'Artículo'],
          { right: 260, text: 'Horas' },
          [280, 'Unidad'],
          { right: 440, text: 'Tarifa' },
          { right: RIGHT, text: 'Importe neto' },
        ],
        10,
      ),
      ...line(200, [
        [40, 'Cartucho de tóner'],
        { right: 260, text: '2' },
        [280, 'ud'],
        { right: 440, text: 'MX$ 478.11' },
        { right: RIGHT, text: 'MX$ 956.22' },
      ]),
      // The amount is narrower than "neto": every edge of it stands under that word.
      ...line(216, [
        [40, 'Lámpara LED'],
        { right: 260, text: '8' },
        [280, 'm'],
        { right: 440, text: 'MX$ 1.21' },
        { right: RIGHT, text: 'MX$ 9.68' },
      ]),
      ...line(250, [[330, 'Importe total:'], { right: RIGHT, text: 'MX$ 965.90' }]),
    ]);
    expect(items(d)).toEqual([
      ['Cartucho de tóner', 2, '478.11', '956.22'],
      ['Lámpara LED', 8, '1.21', '9.68'],
    ]);
  });

  it('reads ringgit-prefixed unit prices ("RM190.69") in a table without a header row', () => {
    const d = read([
      ...letterhead('Apex Stationery BHD', 'INVOICE NO: FA-044297', 'DATE: Jul 9, 2018'),
      ...line(200, [
        [60, '6'],
        [90, 'Ethernet cable 5 m'],
        [260, 'ea'],
        { right: 430, text: 'RM190.69' },
        { right: RIGHT, text: 'RM1144.14' },
      ]),
      ...line(216, [
        [60, '4'],
        [90, 'Coffee beans 1 kg'],
        [260, 'm'],
        { right: 430, text: 'RM1.43' },
        { right: RIGHT, text: 'RM5.72' },
      ]),
      ...line(260, [[330, 'TOTAL BEFORE TAX :'], { right: RIGHT, text: 'RM1149.86' }]),
      ...line(276, [[330, 'INVOICE TOTAL :'], { right: RIGHT, text: 'RM1149.86' }]),
    ]);
    expect(items(d).map(([, q, u]) => [q, u])).toEqual([
      [6, '190.69'],
      [4, '1.43'],
    ]);
  });
});

describe('number columns whose headings were lost', () => {
  it('finds the count and amount columns from the figures aligned under no heading, named by their arithmetic', () => {
    // OCR read only three headings of five: the count and the line amount stand under none.
    const d = read([
      ...letterhead('Berg & Nordlicht e.K.', 'Rechnungsnummer 2016/53630', 'Belegdatum 01.07.2016'),
      ...line(180, [[40, 'Artikelnr.'], [190, 'Leistung'], { right: 445, text: 'Stundensatz' }]),
      ...line(200, [
        [40, 'P1034'],
        { right: 167, text: '2' },
        [190, 'Heizkörperventil'],
        { right: 432, text: '521.39 Fr.' },
        { right: 547, text: "1'042.78 Fr." },
      ]),
      ...line(216, [
        { right: 167, text: '10' },
        [190, 'Fehleranalyse'],
        { right: 432, text: '122.57 Fr.' },
        { right: 547, text: "1'225.70 Fr." },
      ]),
      ...line(232, [
        [40, 'A29328'],
        { right: 167, text: '3' },
        [190, 'Schrauben M6 (100 Stk.)'],
        { right: 432, text: "1'095.14 Fr." },
        { right: 547, text: "3'285.42 Fr." },
      ]),
      ...line(270, [[330, 'Zwischensumme'], { right: 547, text: "5'553.90 Fr." }]),
    ]);
    expect(items(d)).toEqual([
      ['Heizkörperventil', 2, '521.39', '1042.78'],
      ['Fehleranalyse', 10, '122.57', '1225.70'],
      ['Schrauben M6 (100 Stk.)', 3, '1095.14', '3285.42'],
    ]);
  });
});

describe('cells OCR garbled', () => {
  it('puts back a decimal point OCR dropped when quantity × unit price gives the figure ÷ 100, and reads "Net" as the amount heading', () => {
    const d = read([
      ...letterhead('Costa Servicios S.A. de C.V.', 'Factura Nº: RE-58957', 'Fecha: 05/03/2026'),
      ...line(180, [
        [40, 'Descripción'],
        { right: 280, text: 'Unidades' },
        { right: 370, text: 'Each' },
        { right: RIGHT, text: 'Net' },
      ]),
      ...line(200, [
        [40, 'Formación'],
        { right: 280, text: '3' },
        { right: 370, text: '1,436.74' },
        { right: RIGHT, text: '431022' },
      ]),
      ...line(216, [
        [40, 'Desplazamiento'],
        { right: 280, text: '7.25' },
        { right: 370, text: '513.59' },
        { right: RIGHT, text: '3,723.53' },
      ]),
      ...line(260, [[330, 'Subtotal'], { right: RIGHT, text: '8,033.75' }]),
    ]);
    expect(items(d)).toEqual([
      ['Formación', 3, '1436.74', '4310.22'],
      ['Desplazamiento', 7.25, '513.59', '3723.53'],
    ]);
  });

  it('does not take "Payment Terms:  Net 30 days" for a row of column headings', () => {
    const d = read([
      ...letterhead('Sammy Maystone'),
      ...line(120, [
        [40, 'A'],
        [380, 'Payment Terms:'],
        [470, 'Net 30 days'],
      ]),
      ...line(136, [
        [40, 'Taylor Riddel'],
        [380, 'Due Date:'],
        [470, 'Jan 31, 2022'],
      ]),
      ...line(180, [
        [40, 'Item'],
        { right: 380, text: 'Quantity' },
        { right: 470, text: 'Rate' },
        { right: RIGHT, text: 'Amount' },
      ]),
      ...line(200, [
        [40, 'Service A'],
        { right: 380, text: '12' },
        { right: 470, text: '$10.00' },
        { right: RIGHT, text: '$120.00' },
      ]),
      ...line(240, [[380, 'Total:'], { right: RIGHT, text: '$120.00' }]),
    ]);
    expect(items(d)).toEqual([['Service A', 12, '10.00', '120.00']]);
  });
});

describe('OCR noise around labels and totals', () => {
  it('reads past stray separators and a number sign run into its title ("Invoice no: :", "Facturen°", "Documento N°")', () => {
    const a = read([...letterhead('Redwood Enterprise PLC', 'Invoice no: :  INV-2017-3212', 'Dated : 08 Jul 2017')]);
    expect(a.invoice_id).toBe('INV-2017-3212');
    const b = read([
      ...letterhead('Lumière Transports SA'),
      ...line(120, [
        [380, 'Facturen°'],
        [450, "Date d'émission"],
      ]),
      ...line(134, [
        [380, '2019/25777'],
        [450, '11 mai 2019'],
      ]),
    ]);
    expect(b.invoice_id).toBe('2019/25777');
    const c = read([
      ...letterhead('Costa Verde Restauração Lda', 'Documento N° 2024-16072', 'Data da fatura 16 mai 2024'),
    ]);
    expect(c.invoice_id).toBe('2024-16072');
  });

  it('puts back the decimal point of a total OCR read as a bare figure when subtotal + tax = total proves it', () => {
    const d = read([
      ...letterhead('Harbor Marketing PLC', 'Invoice No: CS76982096', 'Date: 2026-03-05'),
      ...line(300, [[330, 'Subtotal'], { right: RIGHT, text: '11,416.88' }]),
      ...line(316, [[330, 'VAT 20%'], { right: RIGHT, text: '228338' }]),
      ...line(332, [[330, 'Total'], { right: RIGHT, text: '13,700.26' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '11416.88', tax: '2283.38', total: '13700.26' });
  });
});

describe('tax labels as OCR reads them', () => {
  it('reads "IVA23%:" with its rate glued on, and "I.V.A." whose I became L or lost its dot', () => {
    const page = (label: string) =>
      read([
        ...letterhead('Oliveira Comércio Lda.', 'Fatura n.º 2026/118', 'Data: 12/03/2026'),
        ...line(300, [[330, 'Valor sem IVA:'], { right: RIGHT, text: '7.223,04 €' }]),
        ...line(316, [[330, label], { right: RIGHT, text: '1.661,30 €' }]),
        ...line(332, [[330, 'TOTAL:'], { right: RIGHT, text: '8.884,34 €' }]),
      ]);
    for (const label of ['IVA23%:', 'BTW21%:', 'LV.A. 23%:', 'L.V.A. 23 %:', 'ILVA. @ 23%:'])
      expect(page(label), label).toMatchObject({ subtotal: '7223.04', tax: '1661.30', total: '8884.34' });
  });
});

describe('amounts grouped in thousands by spaces (text layer)', () => {
  it('reads "46 630,60 €" whole, not as 630,60', async () => {
    const row = (y: number, cells: [number, string][]) => cells.map(([x, text]) => ({ x, y, text, size: 9 }));
    const pdf = placedPdf([
      [
        { x: 40, y: 60, text: 'Atelier Mistral SARL', size: 16 },
        ...row(100, [[40, 'Facture n° F-2026-031']]),
        ...row(114, [[40, 'Date : 12/03/2026']]),
        ...row(300, [
          [330, 'Total HT'],
          [470, '38 858,83 €'],
        ]),
        ...row(314, [
          [330, 'TVA 20 %'],
          [470, '7 771,77 €'],
        ]),
        ...row(328, [
          [330, 'Total TTC'],
          [470, '46 630,60 €'],
        ]),
      ],
    ]);
    const d = normaliseExpense(await extractExpense(pdf), { source: 'local' });
    expect(d).toMatchObject({ subtotal: '38858.83', tax: '7771.77', total: '46630.60', currency: 'EUR' });
  });
});

describe('amounts grouped in thousands by spaces (word geometry)', () => {
  it('keeps a currency sign glued to the first group ("€8 240,49") and a code after the last ("23 544,12CA$")', () => {
    const d = read([
      ...letterhead('Nordlicht Service KG', 'Rechnung Nr. FA-048118', 'Rechnungsdatum: 23.07.2018'),
      ...line(300, [[330, 'WARENWERT:'], { right: RIGHT, text: '€8 240,49' }]),
      ...line(316, [[330, 'UMSATZSTEUER (20%):'], { right: RIGHT, text: '€1 648,10' }]),
      ...line(332, [[330, 'SUMME BRUTTO:'], { right: RIGHT, text: '€9 888,59' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '8240.49', tax: '1648.10', total: '9888.59' });
    const ca = read([
      ...letterhead('Océan Distribution SA', 'Facture N° 2016/13615', 'Date de facturation : 2016-08-26'),
      // A bold total's no-break space can be over half an em wide: still one number.
      ...line(300, [
        [330, 'Total hors taxes'],
        [470, '23'],
        [484, '544,12CA$'],
      ]),
      ...line(316, [
        [330, 'Total toutes taxes comprises'],
        [470, '25'],
        [484, '716,35CA$'],
      ]),
    ]);
    expect(ca).toMatchObject({ subtotal: '23544.12', total: '25716.35' });
  });

  it('joins cents OCR set a space apart from their decimal comma ("350, 40C$"), not a count after a list comma', () => {
    const d = read([
      ...line(40, [[40, 'DUPONT & FILS SNC']]),
      ...line(60, [[40, 'DATE: 23/01/2021']]),
      ...line(100, [
        [40, 'SOUS-TOTAL'],
        [250, '350,'],
        [268, '41C$'],
      ]),
      ...line(116, [
        [40, 'ARRONDI'],
        [250, '-0,'],
        [262, '01C$'],
      ]),
      ...line(132, [
        [40, 'MONTANT'],
        [250, '350,'],
        [268, '40C$'],
      ]),
    ]);
    expect(d).toMatchObject({ subtotal: '350.41', total: '350.40', currency: 'CAD' });
    const analysed = analyse([wordPage(line(40, [[40, 'Colis 3, 40 pièces'], { right: 300, text: '12,00' }]))]);
    expect(analysed.Blocks?.find((b) => b.BlockType === 'LINE')?.Text).toBe('Colis 3, 40 pièces 12,00');
  });

  it('reads quantity and unit price columns whose prices carry a currency prefix ("CA$1,322.04")', () => {
    const d = read([
      ...letterhead('Maple Leaf Trading Inc.', 'Invoice No: INV-4410', 'Date: 2026-02-03'),
      ...line(200, [
        [40, 'Steel shelving unit'],
        [260, '5'],
        [275, 'm'],
        { right: 430, text: 'CA$1,322.04' },
        { right: RIGHT, text: 'CA$6,610.20' },
      ]),
      ...line(216, [
        [40, 'Ethernet cable 5 m'],
        [260, '2'],
        [275, 'm'],
        { right: 430, text: 'CA$953.60' },
        { right: RIGHT, text: 'CA$1,907.20' },
      ]),
      ...line(232, [
        [40, 'Safety gloves'],
        [260, '3'],
        [275, 'ea'],
        { right: 430, text: 'CA$0.59' },
        { right: RIGHT, text: 'CA$1.77' },
      ]),
      ...line(270, [[330, 'Subtotal'], { right: RIGHT, text: 'CA$8,519.17' }]),
      ...line(286, [[330, 'Total'], { right: RIGHT, text: 'CA$8,519.17' }]),
    ]);
    expect(items(d).map(([, q, u]) => [q, u])).toEqual([
      [5, '1322.04'],
      [2, '953.60'],
      [3, '0.59'],
    ]);
  });
});

describe('receipt totals checked against cash and change', () => {
  it('prefers the total that cash minus change confirms, and reads "Total Amt Payable"', () => {
    const d = read([
      ...line(40, [[40, 'LAN MAJU STATIONERY SDN BHD']]),
      ...line(60, [[40, '27/03/2018']]),
      ...line(100, [[40, 'Pen 0.5 blue']]),
      ...line(100, [{ right: 300, text: '12.00' }]),
      ...line(130, [[40, 'Total Amt Incl. GST @ 6%']]),
      ...line(130, [{ right: 300, text: '1200' }]),
      ...line(150, [[40, 'Total Amt Payable :']]),
      ...line(150, [{ right: 300, text: '12.00' }]),
      ...line(170, [[40, 'Paid Amount :']]),
      ...line(170, [{ right: 300, text: '20.00' }]),
      ...line(190, [[40, 'Change :']]),
      ...line(190, [{ right: 300, text: '8.00' }]),
    ]);
    expect(d.total).toBe('12.00');
  });

  const slip = tillSlip;

  it('takes cash less change over a misread total when the tax at its printed rate confirms it', () => {
    const d = slip([
      ['Total Incl. GST@6%', 'RM 55.20'], // 53.20 misread
      ['CASH', 'RM 100.20'],
      ['CHANGE', 'RM 47.00'],
      ['GST @6% included in total', 'RM 3.01'],
    ]);
    expect(d).toMatchObject({ total: '53.20', tax: '3.01' });
    // Without a tax to check it against, the printed total stands.
    expect(
      slip([
        ['Total', 'RM 55.20'],
        ['CASH', 'RM 100.20'],
        ['CHANGE', 'RM 47.00'],
      ]).total,
    ).toBe('55.20');
  });

  it('reads "… included in total" as the tax, and a misread "RM" between label and figure as no label', () => {
    const d = slip([
      ['TOTAL INCL. GST@6%', 'RN 8.60'],
      ['CASH', 'RK 20.00'],
      ['CHANGE', 'RM 11.40'],
      ['GST @6% included in total', 'RM 0.49'],
    ]);
    expect(d).toMatchObject({ total: '8.60', tax: '0.49' });
  });

  it('keeps a bracket a column gap cut in the label, and reads OCR\'s "Qity" as a count', () => {
    const d = read([
      ...line(40, [[40, 'CORNER PHARMACY']]),
      ...line(100, [[40, 'Total Qity'], [200, '1'], { right: 300, text: '2050' }]),
      ...line(120, [[40, 'Total GST'], { right: 300, text: '1.16' }]),
      ...line(140, [[40, 'Total Sales (inclusive'], [170, 'of GST)'], { right: 300, text: '20.50' }]),
    ]);
    expect(d.total).toBe('20.50');
  });

  it('reads a rated tax "included" as the tax the total holds ("IVA 16% incluido"), not as the total', () => {
    const d = read([
      ...line(40, [[40, 'GARCÍA & FERNÁNDEZ S.L.U.']]),
      ...line(60, [[40, '11/11/20 20:35:07']]),
      ...line(100, [[40, 'Teclado inalámbrico'], { right: 300, text: '283.06' }]),
      ...line(120, [[40, 'TOTAL'], { right: 300, text: 'MXN 283.06' }]),
      ...line(136, [[40, 'IVA 16% incluido 39.04']]),
    ]);
    expect(d).toMatchObject({ total: '283.06', tax: '39.04' });
  });

  it("reads a till's bracketed total as the amount the slip prints unbracketed, a credit's as negative", () => {
    const bracketed = (subtotal: string) =>
      slip([
        ['Sub Total (RM):', subtotal],
        ['Rounding Adjustment:', '0.00'],
        ['Rounded Total (RM):', '(13.50)'],
      ]);
    expect(bracketed('13.50').total).toBe('13.50');
    // Nothing on the slip prints 13.50 as a positive figure: the brackets say it is a credit.
    expect(bracketed('(13.50)').total).toBe('-13.50');
  });

  it('takes the name on the line above a legal form printed on a line of its own', () => {
    const d = read([
      ...line(40, [[40, 'Cash Sale']]),
      ...line(60, [[40, 'SINNATHAMBY HOLDINGS']]),
      ...line(74, [[40, 'SDN. BHD.']]),
      ...line(88, [[40, '249336-T']]),
      ...line(120, [[40, 'Total'], { right: 300, text: '13.50' }]),
    ]);
    expect(d.merchant).toBe('SINNATHAMBY HOLDINGS SDN. BHD.');
  });

  it('does not take a tax category\'s sum ("Total 0% supplies") for the total', () => {
    const d = slip([
      ['Total 0% supplies:', '26.61'],
      ['Total 6% supplies (excl. GST):', '1.4'],
      ['GST:', '0.17'],
      ['Total 0% supplies:', '26.61'],
      ['Total Payable:', '23.56'],
    ]);
    expect(d.total).toBe('23.56');
  });
});

describe('tables without a header row', () => {
  it('reads quantity and unit price columns whose product is the amount, skips an item-number column, and stops at weak totals labels', () => {
    const d = read([
      ...letterhead('Weber & Lindner e.K.', 'Rechnung Nr.: INV-2026-43661', 'Ausstellungsdatum: 4.5.2026'),
      ...line(200, [
        [140, 'Schulung'],
        [360, '3'],
        { right: 440, text: '22 954,67' },
        { right: RIGHT, text: '68 864,01' },
      ]),
      ...line(216, [
        [40, 'SKU-62617'],
        [140, 'Montage vor Ort'],
        [360, '19,5'],
        { right: 440, text: '8,89' },
        { right: RIGHT, text: '173,36' },
      ]),
      ...line(232, [
        [140, 'Anfahrtspauschale'],
        [360, '1'],
        { right: 440, text: '1 558,24' },
        { right: RIGHT, text: '1 558,24' },
      ]),
      ...line(270, [[360, 'Warenwert: EUR'], { right: RIGHT, text: '70 595,61' }]),
      ...line(286, [[360, 'zzgl. USt. (20%): EUR'], { right: RIGHT, text: '14 119,12' }]),
      ...line(302, [[360, 'Bruttobetrag: EUR'], { right: RIGHT, text: '84 714,73' }]),
    ]);
    expect(items(d)).toEqual([
      ['Schulung', 3, '22954.67', '68864.01'],
      ['Montage vor Ort', 19.5, '8.89', '173.36'],
      ['Anfahrtspauschale', 1, '1558.24', '1558.24'],
    ]);
  });
});

describe('invoice numbers and due dates in other words', () => {
  it('reads "Fatura n.º :", "Documento Nº:" and a bare "N." heading above its value', () => {
    const a = read([...letterhead('Ferreira Comércio ME', 'Fatura n.º : F2021-407', 'Data da fatura : 13-07-2021')]);
    expect(a.invoice_id).toBe('F2021-407');
    const b = read([...letterhead('Atlântico Serviços S.A.', 'Documento Nº: CS15612396', 'Emitida em: 22 mar 2022')]);
    expect(b.invoice_id).toBe('CS15612396');
    const c = read([
      ...letterhead('Colombo & Serena SRLS'),
      ...line(120, [
        [40, 'N.'],
        [150, 'Data emissione'],
        [260, 'Scade il'],
        [400, 'P. IVA 81298373340'],
      ]),
      ...line(134, [
        [40, 'F2019-199'],
        [150, '16-3-2019'],
        [260, '30-4-2019'],
      ]),
    ]);
    expect(c).toMatchObject({ invoice_id: 'F2019-199', date: '2019-03-16', due_date: '2019-04-30' });
  });

  it('looks below a heading whose neighbour on the line is another column ("Pay by   +42 958 4790")', () => {
    const d = read([
      ...letterhead('Initech Supplies LLC'),
      ...line(120, [
        [40, 'Invoice Number'],
        [150, 'Date'],
        [210, 'Pay by'],
        [380, '+42 42 958 4790'],
      ]),
      ...line(134, [
        [40, 'CS55420867'],
        [150, '13 Jul 2021'],
        [210, '12 Aug 2021'],
      ]),
    ]);
    expect(d).toMatchObject({ invoice_id: 'CS55420867', date: '2021-07-13', due_date: '2021-08-12' });
  });
});

describe('labels that stand apart from their values', () => {
  it('reads a bare "Nummer:" when the title is printed apart, and "Inv. No." / "Num. doc."', () => {
    for (const [label, id] of [
      ['Nummer:', 'INV16920661'],
      ['Inv. No.:', 'F2026-219'],
      ['Num. doc.:', 'FA-094827'],
      ['N.º :', 'A/2026/575'],
      ['Re-Nr.', 'RE-95153'],
    ] as const) {
      const d = read([
        ...line(
          40,
          [
            [40, 'Bakker Drukwerk B.V.'],
            [420, 'FACTUUR'],
          ],
          14,
        ),
        ...line(80, [[40, `${label} ${id}`]]),
        ...line(300, [[330, 'Totaal'], { right: RIGHT, text: '100,00' }]),
      ]);
      expect(d.invoice_id).toBe(id);
    }
  });

  it('does not take a "Customer No." inside a phrase for the invoice number', () => {
    const d = read([
      ...letterhead('Harbour Supplies Ltd', 'Invoice INV-2026-7', 'Customer No. 4471'),
      ...line(300, [[330, 'Total'], { right: RIGHT, text: '100.00' }]),
    ]);
    expect(d.invoice_id).toBe('INV-2026-7');
  });

  it('joins a value wrapped in a narrow cell below its heading, past lines of other columns', () => {
    const d = read([
      ...line(
        40,
        [
          [40, 'Martínez Hostelería S. Coop.'],
          [300, 'Factura'],
        ],
        14,
      ),
      ...line(80, [
        [40, '08008 Barcelona'],
        [260, 'Factura n.º'],
        [340, 'Fecha factura'],
        [440, 'Vence el'],
      ]),
      ...line(94, [
        [260, 'INV-2026-'],
        [340, '17 de septiembre de'],
        [440, '27 de septiembre de'],
      ]),
      ...line(99, [[40, 'CIF: B86960854']]),
      ...line(104, [
        [260, '73815'],
        [340, '2026'],
        [440, '2026'],
      ]),
      ...line(300, [[330, 'Total'], { right: RIGHT, text: '100,00 €' }]),
    ]);
    expect(d).toMatchObject({ invoice_id: 'INV-2026-73815', date: '2026-09-17', due_date: '2026-09-27' });
  });

  for (const [label, value, iso] of [
    ['Pagamento entro:', '15 maggio 2026', '2026-05-15'],
    ['Betalen voor:', '01.12.2026', '2026-12-01'],
    ['Pagar até:', '6 mai 2026', '2026-05-06'],
    ['Fecha límite de pago:', '20 de febrero de 2026', '2026-02-20'],
  ] as const) {
    it(`reads the due date after "${label}"`, () => {
      const d = read([
        ...letterhead('Rossi Grafica S.a.s.', 'Fattura n. 2026/1', 'Data: 01/02/2026', `${label} ${value}`),
        ...line(300, [[330, 'Totale'], { right: RIGHT, text: '100,00 €' }]),
      ]);
      expect(d.due_date).toBe(iso);
    });
  }
});

describe('totals blocks', () => {
  it('adds the tax lines of several rates into the tax', () => {
    const d = read([
      ...letterhead('Smit Drukwerk CV', 'Factuur F2026-387', 'Datum: 07.05.2026'),
      ...line(300, [[330, 'Totaal excl. btw:'], { right: RIGHT, text: '€27.405,00' }]),
      ...line(316, [[330, 'Btw 21%:'], { right: RIGHT, text: '€1.888,87' }]),
      ...line(332, [[330, 'Btw 6%:'], { right: RIGHT, text: '€1.104,62' }]),
      ...line(348, [[330, 'Totaal:'], { right: RIGHT, text: '€30.398,49' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '27405.00', tax: '2993.49', total: '30398.49' });
  });

  it('reads a tax base, a rate with its percent sign apart and an amount due in other words', () => {
    const d = read([
      ...letterhead('Martínez Hostelería S. Coop.', 'Factura Nº: F2026-794', 'Fecha de emisión: 12-12-2026'),
      ...line(300, [[330, 'Base imponible:'], { right: RIGHT, text: '72970,16€' }]),
      ...line(316, [[330, 'I.V.A. 21 %:'], { right: RIGHT, text: '15323,73€' }]),
      ...line(332, [[330, 'Importe total:'], { right: RIGHT, text: '88293,89€' }]),
      ...line(348, [[330, 'Saldo pendiente:'], { right: RIGHT, text: '88293,89€' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '72970.16', tax: '15323.73', total: '88293.89', amount_due: '88293.89' });
  });
});

describe('totals read by their arithmetic', () => {
  it('takes a plain "Suma" above a stronger total for the subtotal when subtotal + taxes = total', () => {
    const d = read([
      ...letterhead('Talleres Gómez S.L.', 'Factura Nº: F2026-118', 'Fecha de factura: 05/03/2026'),
      ...line(300, [[330, 'Suma :'], { right: RIGHT, text: 'EUR 17152,64' }]),
      ...line(316, [[330, 'IVA 21% :'], { right: RIGHT, text: 'EUR 713,65' }]),
      ...line(332, [[330, 'IVA 10% :'], { right: RIGHT, text: 'EUR 1375,43' }]),
      ...line(348, [[330, 'Total factura :'], { right: RIGHT, text: 'EUR 19241,72' }]),
      ...line(364, [[330, 'Netto a pagare :'], { right: RIGHT, text: 'EUR 19241,72' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '17152.64', tax: '2089.08', total: '19241.72', amount_due: '19241.72' });
  });

  it('adds a charge under a label no vocabulary names ("Portes") between subtotal and tax to make the total add up', () => {
    const d = read([
      ...letterhead('Talleres Gómez S.A.', 'Factura Nº: F2018-51047', 'Fecha: 28-may-2018'),
      ...line(300, [[330, 'SUMA:'], { right: RIGHT, text: '5,213.88 MXN' }]),
      ...line(316, [[330, 'PORTES:'], { right: RIGHT, text: '47.54 MXN' }]),
      ...line(332, [[330, 'IVA 16 %:'], { right: RIGHT, text: '841.83 MXN' }]),
      ...line(348, [[330, 'TOTAL FACTURA:'], { right: RIGHT, text: '6,103.25 MXN' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '5213.88', tax: '841.83', total: '6103.25' });
  });

  it('reads "Totale IVA inclusa" and "TVA comprise" as the total, not the tax', () => {
    const cases: [string, string][] = [
      ['Fattura n. RE-72058', 'Totale IVA inclusa:'],
      ['Facture N° F-2023-7', 'Total TVA comprise :'],
    ];
    for (const [title, label] of cases) {
      const d = read([
        ...letterhead('Romano & Serena S.p.A.', title, 'Data: 22/09/2023'),
        ...line(300, [[330, 'Subtotale:'], { right: RIGHT, text: '€113416,50' }]),
        ...line(316, [[330, 'I.V.A. @ 22%:'], { right: RIGHT, text: '€24951,63' }]),
        ...line(332, [[330, label], { right: RIGHT, text: '€138368,13' }]),
      ]);
      expect(d).toMatchObject({ subtotal: '113416.50', tax: '24951.63', total: '138368.13' });
    }
  });

  it('keeps a plain "Total" as the total when no subtotal and tax add up to another figure', () => {
    const d = read([
      ...letterhead('Harbour Supplies Ltd', 'Invoice No: HS-78', 'Date: 2026-01-05'),
      ...line(300, [[330, 'VAT 20%'], { right: RIGHT, text: '20.00' }]),
      ...line(316, [[330, 'Total'], { right: RIGHT, text: '120.00' }]),
      ...line(332, [[330, 'Amount due'], { right: RIGHT, text: '120.00' }]),
    ]);
    expect(d).toMatchObject({ subtotal: null, tax: '20.00', total: '120.00' });
  });

  it('does not read "Terms: Net 30" as a net amount', () => {
    const words = [
      ...letterhead('Granite Engineering Pty Ltd', 'Invoice No: 110222', 'Date: 21/12/2026', 'Terms: Net 30'),
      ...line(300, [[330, 'NET AMOUNT:'], { right: RIGHT, text: 'A$ 1,000.00' }]),
    ];
    const { candidates } = findFieldCandidates(buildLines([wordPage(words)]));
    expect(candidates.filter((c) => c.type === 'SUBTOTAL').map((c) => c.amount?.value)).toEqual(['1000.00']);
  });
});

describe('cells OCR could not read', () => {
  it('recovers a quantity the amount and unit price imply when the quantity cell is unreadable, and strips article numbers', () => {
    const d = read([
      ...letterhead('Corner Supplies Inc.', 'Invoice No. 2026-4213', 'Date: 2026-01-05'),
      ...line(180, [
        [40, 'Part No.'],
        [120, 'Item description'],
        [330, 'QTY'],
        [420, 'Each'],
        { right: RIGHT, text: 'Line Total' },
      ]),
      ...line(200, [[120, 'On-site installation'], [420, 'USD 1,282.87'], { right: RIGHT, text: 'USD 8,980.09' }]),
      ...line(216, [
        [120, 'SKU-99167 Cloud hosting'],
        [335, 'NJ'],
        [420, 'USD 3.01'],
        { right: RIGHT, text: 'USD 6.02' },
      ]),
      ...line(250, [[330, 'Total'], { right: RIGHT, text: 'USD 8,986.11' }]),
    ]);
    expect(items(d)).toEqual([
      ['On-site installation', 7, '1282.87', '8980.09'],
      ['Cloud hosting', 2, '3.01', '6.02'],
    ]);
  });
});

describe('deskew of OCR words', () => {
  it("turns words back by the text lines' common slope: one printed row is one line, one column one right edge", () => {
    const slope = Math.tan((1.2 * Math.PI) / 180);
    // Two rows of three cells across a 2000 × 6000 px page, scanned 1.2° off (rotated about its
    // centre): the rows are far apart, so the skew also moves their cells sideways.
    const rotated = (x: number, y: number) => ({ x: x - slope * (y - 3000), y: y + slope * (x - 1000) });
    const words = [400, 5600].flatMap((y) =>
      [100, 900, 1700].map((x) => {
        const p = rotated(x + 100, y);
        return {
          text: 'w',
          confidence: 90,
          left: p.x - 100,
          right: p.x + 100,
          top: p.y - 20,
          bottom: p.y,
          baseline: p.y,
          lineHeight: 24,
          slope,
        };
      }),
    );
    const fixed = deskew(words, 2000, 6000);
    for (const row of [fixed.slice(0, 3), fixed.slice(3)])
      expect(Math.max(...row.map((w) => w.baseline)) - Math.min(...row.map((w) => w.baseline))).toBeLessThan(0.5);
    // Skewed, the top and bottom cells of a column are ~100 px apart; turned back, within a pixel or two.
    expect(Math.abs(words[2]!.right - words[5]!.right)).toBeGreaterThan(90);
    for (const k of [0, 1, 2]) expect(Math.abs(fixed[k]!.right - fixed[k + 3]!.right)).toBeLessThan(3);
    expect(
      deskew(
        words.map((w) => ({ ...w, slope: 0.0005 })),
        2000,
        6000,
      ),
    ).toEqual(words.map((w) => ({ ...w, slope: 0.0005 })));
  });
});

describe('OCR repairs of legal forms', () => {
  it('restores "Sdn" misread by one letter before "Bhd", and leaves other words alone', () => {
    const w = (text: string) => ({
      text,
      confidence: 80,
      left: 0,
      top: 0,
      right: 1,
      bottom: 1,
      baseline: 1,
      lineHeight: 1,
    });
    const fixed = repairLegalForms(
      ['SUBANG', 'SIN', 'BHD', 'Sih', 'Bhd', 'SN', 'BHD', 'SIX', 'BHD', 'SON', 'HOUSE'].map(w),
    ).map((x) => x.text);
    expect(fixed).toEqual(['SUBANG', 'SDN', 'BHD', 'Sdn', 'Bhd', 'SDN', 'BHD', 'SIX', 'BHD', 'SON', 'HOUSE']);
  });
});

describe('cash rounding', () => {
  it('reports the rounded total printed below the exact one, and prefers money with cents over a bare count', () => {
    const d = read([
      ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
      ...line(60, [[40, 'Date: 25/12/2018']]),
      ...line(100, [[40, 'Noodles'], { right: 300, text: '181.98' }]),
      ...line(130, [[40, 'Total Incl. GST'], { right: 300, text: '181.98' }]),
      ...line(146, [[40, 'Rounding Adj'], { right: 300, text: '0.02' }]),
      ...line(162, [[40, 'Total Rounded'], { right: 300, text: '182.00' }]),
      ...line(190, [[40, 'Total items'], { right: 300, text: '3' }]),
    ]);
    expect(d.total).toBe('182.00');
  });

  const receipt = tillSlip;

  it('adds a readable rounding adjustment to the total, or rounds to 5 cents when the adjustment is garbled', () => {
    expect(
      receipt([
        ['Total:', '25.44'],
        ['Rounding Adjustment:', '0.01'],
        ['Cash Received :', '50.00'],
      ]).total,
    ).toBe('25.45');
    expect(
      receipt([
        ['Total Sales (Inclusive GST) RM', '13.58'],
        ['Rounding Adjustment RM', '2'],
        ['CASH RM', '14.00'],
      ]).total,
    ).toBe('13.60');
    expect(
      receipt([
        ['Total Sales (Inclusive GST) RM', '181.98'],
        ['Rounding RM', '182.00'],
      ]).total,
    ).toBe('182.00');
  });

  it('takes the exact total when the rounded total below it is neither it plus the adjustment nor within cents of it (a misread)', () => {
    // "9.00" misread as "9.60" on the rounded line; "Rounding" misread and split: "Rour ding".
    expect(
      receipt([
        ['Total :', '9.00'],
        ['Rour ding Adjustment :', '0.00'],
        ['Rounded Total (RM):', '9.60'],
      ]).total,
    ).toBe('9.00');
    // A rounded total that is the exact total plus the adjustment is what was paid.
    expect(
      receipt([
        ['Total :', '9.03'],
        ['Rounding Adjustment :', '0.02'],
        ['Rounded Total (RM):', '9.05'],
      ]).total,
    ).toBe('9.05');
  });

  it('reads a total whose currency stands in brackets between label and value ("Net Total (MYR) : 21.20")', () => {
    const d = receipt([
      ['5 Item(s) Total (MYR) :', '20.00'],
      ['GST @ 6% :', '1.20'],
      ['Net Total (MYR) :', '21.20'],
    ]);
    expect(d).toMatchObject({ total: '21.20', tax: '1.20', currency: 'MYR' });
  });

  it('reads amounts whose colon a column gap set apart from the label ("Sub-Total   :   25.60")', () => {
    const d = read([
      ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
      ...line(60, [[40, 'Date: 25/12/2018']]),
      ...line(100, [[40, 'Sub-Total'], [200, ':'], { right: 300, text: '25.60' }]),
      ...line(116, [[40, 'Service Charge'], [200, ':'], { right: 300, text: '2.56' }]),
      ...line(132, [[40, 'Grand Total'], [200, ':'], { right: 300, text: '28.16' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '25.60', total: '28.16' });
  });

  it('reads past a speck OCR read as a letter in the gap between a label and its amount ("Sub Total   g   RM 68.87")', () => {
    const d = read([
      ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
      ...line(60, [[40, 'Date: 25/12/2018']]),
      ...line(100, [[40, 'Sub Total'], [200, 'g'], [240, 'RM'], { right: 300, text: '68.87' }]),
      ...line(116, [[40, 'Total'], [200, 'i'], { right: 300, text: '73.00' }]),
    ]);
    expect(d).toMatchObject({ subtotal: '68.87', total: '73.00' });
  });

  it('takes the figure below a subtotal and its tax at the printed rate that is their sum as the total, when OCR garbled its label', () => {
    const slipWith = (totalLabel: string, figure: string) =>
      read([
        ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
        ...line(60, [[40, 'Date: 25/12/2018']]),
        ...line(100, [[40, 'Sub Total'], { right: 300, text: 'RM 68.87' }]),
        ...line(116, [[40, 'GST 6%'], { right: 300, text: 'RM 4.13' }]),
        ...line(132, [[40, totalLabel], { right: 300, text: figure }]),
        ...line(160, [[40, 'SR @ 6%'], [200, '68.87'], { right: 300, text: '4.13' }]),
      ]);
    expect(slipWith('TORY,', 'RM 73.00').total).toBe('73.00');
    expect(slipWith('TORY,', 'RM 73.00')).toMatchObject({ subtotal: '68.87', tax: '4.13' });
    // Cash rounding printed between them still adds up: 68.90 + 4.13 - 0.03 = 73.00.
    const rounded = read([
      ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
      ...line(60, [[40, 'Date: 25/12/2018']]),
      ...line(100, [[40, 'Sub Total'], { right: 300, text: 'RM 68.90' }]),
      ...line(116, [[40, 'GST 6%'], { right: 300, text: 'RM 4.13' }]),
      ...line(132, [[40, 'Rounding Adj'], { right: 300, text: '-0.03' }]),
      ...line(148, [[40, 'T0TAI.'], { right: 300, text: 'RM 73.00' }]),
    ]);
    expect(rounded.total).toBe('73.00');
    // A figure that is not their sum is no total; a legible total label stands as printed.
    expect(slipWith('TORY,', 'RM 75.00').total).not.toBe('75.00');
    expect(slipWith('Total', 'RM 75.00').total).toBe('75.00');
  });

  it('reads a misspelt qualifier in brackets as part of the total\'s label ("(inclusiva of GST)"), not a tax', () => {
    const d = receipt([
      ['Total Sales (inclusiva of GST)', '20.50'],
      ['Total GST', '1.16'],
      ['Cash', '50.00'],
    ]);
    expect(d).toMatchObject({ total: '20.50', tax: '1.16' });
  });

  it('takes the currency from signs beside amounts, not a sign alone on a line of OCR noise', () => {
    const d = read([
      ...line(40, [[40, 'KEDAI MAJU SDN BHD']]),
      ...line(60, [[40, 'Date: 18-10-17']]),
      ...line(100, [[40, 'Total Incl. GST@6%'], [220, 'RM'], { right: 300, text: '5.90' }]),
      ...line(116, [[40, 'CASH'], [220, 'RM'], { right: 300, text: '5.90' }]),
      ...line(140, [[40, 'Homme m———————'], { right: 300, text: '¥' }]),
    ]);
    expect(d).toMatchObject({ currency: 'MYR', total: '5.90' });
  });

  it('takes the currency the total is stated in over a sign on an item line, and the date order that currency implies', () => {
    const d = read([
      ...line(40, [[40, 'KINGFISHER ELECTRICAL SDN BHD']]),
      ...line(60, [[40, 'Date: 08/02/26']]),
      ...line(100, [[40, 'Ethernet cable 5m'], { right: 300, text: '174.35' }]),
      ...line(116, [[40, 'Exercise Book'], [220, 'A$'], { right: 300, text: '34.89' }]),
      ...line(140, [[40, 'TOTAL DUE'], [220, 'USD'], { right: 300, text: '209.24' }]),
    ]);
    expect(d).toMatchObject({ currency: 'USD', total: '209.24', date: '2026-08-02' });
  });

  it('takes the subtotal plus a rounding adjustment as the total a weak "Amount" label names', () => {
    expect(
      receipt([
        ['SUB TOTAL', 'RM 76.57'],
        ['ROUND ADJ', '-RM 0.02'],
        ['AMOUNT', 'RM 76.55'],
        ['CASH', '115.00'],
      ]).total,
    ).toBe('76.55');
  });

  it('takes cash handed over less change given when no total can be read', () => {
    expect(
      receipt([
        ['Tonerkartusche', '15,48'],
        ['BAR gegeben', '520,00'],
        ['Rückgeld', '30,14'],
      ]).total,
    ).toBe('489.86');
  });

  it('leaves a total alone when there is no rounding line', () => {
    expect(
      receipt([
        ['Total:', '25.44'],
        ['Cash Received :', '50.00'],
      ]).total,
    ).toBe('25.44');
  });
});

describe('parties', () => {
  it('reads the buyer under a "Käufer/Leistungsempfänger" heading past its number line', () => {
    const d = read([
      ...letterhead('Lieferant GmbH', 'Schlussrechnung Bau (877) Nr. 181301674 vom 25.04.2026'),
      ...line(200, [[40, 'Käufer/Leistungsempfänger']]),
      ...line(214, [[40, 'Nummer: GE2020211']]),
      ...line(228, [[40, 'Name: Kunden AG Mitte']]),
      ...line(300, [[330, 'Gesamtbetrag'], { right: RIGHT, text: '100,00' }]),
    ]);
    expect(d).toMatchObject({ customer_name: 'Kunden AG Mitte', invoice_id: '181301674' });
  });
});

describe('header-less rows read by OCR', () => {
  it('ends the description at the first money figure and implies the quantity the unit price divides into the amount', () => {
    const d = read([
      ...letterhead('Corner Supplies Inc.', 'Invoice No. 2026-77', 'Date: 2026-01-05'),
      ...line(200, [[60, 'Consulting services USS 981.67'], [440, 'USS'], { right: RIGHT, text: '16,442.97' }]),
      ...line(216, [
        [60, 'On-site installation'],
        [330, 'US$ 1,346.28'],
        [440, 'US$'],
        { right: RIGHT, text: '16,155.36' },
      ]),
      ...line(250, [[330, 'Subtotal'], { right: RIGHT, text: '32,598.33' }]),
    ]);
    expect(d.line_items[0]).toMatchObject({ description: 'Consulting services', total: '16442.97' });
    expect(items(d)[1]).toEqual(['On-site installation', 12, '1346.28', '16155.36']);
  });
});

describe('company names', () => {
  for (const name of [
    'Serena Costruzioni S.a.s.',
    'Costa Servicios S. Coop.',
    'Smit & De Vries V.O.F.',
    'Colombo & Serena SRLS',
    'Lombarda Trasporti Srl',
    'Martínez & Castilla S.L.U.',
  ]) {
    it(`takes "${name}" for the seller over a postcode, a title word and a cut-off phrase`, () => {
      const d = read([
        ...line(
          40,
          [
            [40, 'Verkoopfactuur'],
            [330, '(copia di'],
            [420, 'cortesia)'],
          ],
          14,
        ),
        ...line(70, [[40, name]]),
        ...line(84, [[40, 'Viale Monza 230']]),
        ...line(98, [[40, '1012 AB']]),
        ...line(140, [[40, 'Factuur nr. 2026-1']]),
        ...line(300, [[330, 'Totale'], { right: RIGHT, text: '100,00 €' }]),
      ]);
      expect(d.merchant).toBe(name);
    });
  }

  it('joins a legal form that wide letter-spacing set apart, and reads "1 KG" as a unit, not a company', () => {
    const d = read([
      ...line(
        40,
        [
          [150, 'PACIFIC BOOKS SDN'],
          [330, 'BHD'],
        ],
        12,
      ),
      ...line(60, [[150, '81100 JOHOR BAHRU, JOHOR']]),
      ...line(100, [[40, 'COFFEE BEANS 1 KG'], { right: 300, text: '59.76' }]),
      ...line(130, [[40, 'TOTAL'], { right: 300, text: 'RM59.76' }]),
    ]);
    expect(d.merchant).toBe('PACIFIC BOOKS SDN BHD');
  });
});
