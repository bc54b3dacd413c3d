/** Writes the sample invoices in samples/ (run: npx tsx scripts/make-samples.ts). Fictional companies. */
import { writeFileSync } from 'node:fs';
import { buildPdf, invoicePage } from './lib/simple-pdf.ts';

const out = new URL('../samples/', import.meta.url);

writeFileSync(
  new URL('riverside-consulting.pdf', out),
  buildPdf(
    [
      invoicePage({
        merchant: 'Riverside Consulting LLC',
        merchantLines: ['120 Harbor Street, Suite 4', 'Portland, OR 97204, USA', 'EIN 12-3456789'],
        number: 'INV-2026-0091',
        date: 'May 1, 2026',
        due: 'May 31, 2026',
        customer: 'Blue Heron Outfitters Inc.',
        currencyPrefix: '$',
        lines: [{ description: 'Strategy Consulting - May', qty: 35, unit: '100.00', amount: '3,500.00' }],
        subtotal: '3,500.00',
        tax: '350.00',
        taxLabel: 'Sales tax (10%)',
        total: '3,850.00',
        footer: ['Payment terms: Net 30. Thank you for your business.'],
      }),
    ],
    { title: 'Invoice INV-2026-0091' },
  ),
);

writeFileSync(
  new URL('nordlicht-design.pdf', out),
  buildPdf(
    [
      invoicePage({
        merchant: 'Nordlicht Design GmbH',
        merchantLines: ['Hafenstraße 12', '20457 Hamburg', 'USt-IdNr. DE123456789'],
        title: 'RECHNUNG',
        labels: {
          number: 'Rechnungsnummer',
          date: 'Rechnungsdatum',
          due: 'Fällig am',
          description: 'Beschreibung',
          qty: 'Menge',
          unit: 'Einzelpreis',
          amount: 'Betrag',
          subtotal: 'Nettobetrag',
          tax: 'MwSt. 19%',
          total: 'Gesamtbetrag',
          billTo: 'Rechnung an',
        },
        number: 'RE-2026-0417',
        date: '14.04.2026',
        due: '28.04.2026',
        customer: 'Elbe Logistik AG',
        currencySuffix: ' €',
        lines: [
          { description: 'Logo-Entwurf', qty: 1, unit: '1.200,00', amount: '1.200,00' },
          { description: 'Visitenkarten Layout', qty: 2, unit: '150,00', amount: '300,00' },
          { description: 'Abstimmungstermin (Stunden)', qty: 3, unit: '85,00', amount: '255,00' },
        ],
        subtotal: '1.755,00',
        tax: '333,45',
        total: '2.088,45',
        footer: ['Zahlbar innerhalb von 14 Tagen ohne Abzug. IBAN DE02 1203 0000 0000 2020 51'],
      }),
    ],
    { title: 'Rechnung RE-2026-0417' },
  ),
);

writeFileSync(
  new URL('thames-print-works.pdf', out),
  buildPdf(
    [
      invoicePage({
        merchant: 'Thames Print Works Ltd',
        merchantLines: ['4 Printers Row', 'London EC4A 3BF', 'VAT Reg. GB 123 4567 89'],
        number: 'TPW-88231',
        date: '03/02/2026',
        due: '05/03/2026',
        customer: 'Kestrel Books Ltd',
        currencyPrefix: '£',
        lines: [
          { description: 'A5 flyers, 1000 pcs', qty: 2, unit: '64.50', amount: '129.00' },
          { description: 'Poster A2, gloss', qty: 10, unit: '7.25', amount: '72.50' },
          { description: 'Delivery', qty: 1, unit: '12.00', amount: '12.00' },
        ],
        subtotal: '213.50',
        tax: '42.70',
        taxLabel: 'VAT 20%',
        total: '256.20',
      }),
    ],
    { title: 'Invoice TPW-88231' },
  ),
);

// Not an invoice: ends in document.failed (NOT_AN_INVOICE), which receivers must handle too.
writeFileSync(
  new URL('meeting-notes.pdf', out),
  buildPdf(
    [
      {
        items: [
          { x: 50, y: 790, text: 'Meeting notes', size: 16, bold: true },
          { x: 50, y: 760, text: 'Attendees: Ana, Ben, Chiara' },
          { x: 50, y: 744, text: 'We agreed to review the roadmap next week and to move the offsite to June.' },
          { x: 50, y: 728, text: 'Action items: Ben drafts the agenda; Chiara books the venue.' },
        ],
      },
    ],
    { title: 'Meeting notes' },
  ),
);
console.log('samples written');
