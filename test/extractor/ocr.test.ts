/**
 * The OCR path end to end with real tesseract.js workers: a corpus PNG, a scanned PDF (the corpus
 * receipt JPEG embedded as the page image), a blank image, and the pool's lifecycle. One pool of
 * two workers serves the whole file (worker start-up dominates otherwise).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentData } from '../../functions/core/events.ts';
import { hasInvoiceEvidence } from '../../functions/core/invoice-evidence.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { extractExpense, OcrPool } from '../../functions/extractor/index.ts';
import {
  fewAmountsAtRight,
  isStrip,
  type OcrWord,
  repairDollarPrefixes,
  repairNumberSigns,
} from '../../functions/extractor/ocr.ts';
import {
  letterheadBands,
  withAccentsFrom,
  withFiguresFrom,
  withLinesFrom,
} from '../../functions/extractor/ocr-readings.ts';
import { png } from '../fixtures/image-builder.ts';
import { scannedPdf } from '../fixtures/pdf-builder.ts';
import { FIXTURES_DIR, REPO_DIR } from '../support/paths.ts';

const pool = new OcrPool({ poolSize: 2 });
afterAll(() => pool.close());

const TX = resolve(FIXTURES_DIR, 'textract');

describe('OCR of images', () => {
  it('reads the hand-labelled corpus invoice PNG through the same layout analysis', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(TX, 'trp-js_invoice-expense-response.source.png')));
    const r = await extractExpense(bytes, { ocr: pool });
    expect(r.textSource).toBe('ocr');
    const words = r.Blocks!.filter((b) => b.BlockType === 'WORD');
    expect(words.length).toBeGreaterThan(60);
    for (const w of words) {
      const bb = w.Geometry!.BoundingBox!;
      expect(bb.Left! + bb.Width!).toBeLessThanOrEqual(1.0001);
      expect(bb.Top!).toBeGreaterThanOrEqual(0);
    }
    // OCR confidences are carried, not the text layer's flat 99.
    expect(new Set(words.map((w) => Math.round(w.Confidence!))).size).toBeGreaterThan(3);
    const d = normaliseExpense(r, { source: 'local' });
    expect(DocumentData.safeParse(d).success).toBe(true);
    expect(d).toMatchObject({
      merchant: 'Amazon.com',
      date: '2021-01-01',
      due_date: '2021-01-31',
      currency: 'USD',
      subtotal: '6169.40',
      tax: '61.69',
      total: '6231.09',
    });
    expect(d.line_items.map((l) => l.total)).toEqual(['1000.00', '2789.00', '212.08', '2168.32']);
    // Language data came from node_modules; nothing was written into the working directory.
    expect(existsSync(resolve(REPO_DIR, 'eng.traineddata'))).toBe(false);
  }, 60_000);

  it('reads an item table whose header is white on a dark band', async () => {
    const bytes = new Uint8Array(
      readFileSync(resolve(FIXTURES_DIR, 'invoices/invoice2data/SammyMaystoneLinesTest.png')),
    );
    const d = normaliseExpense(await extractExpense(bytes, { ocr: pool }), { source: 'local' });
    expect(d.line_items.map((l) => [l.quantity, l.unit_price, l.total])).toEqual([
      [12, '10.00', '120.00'],
      [5, '1.50', '7.50'],
    ]);
    expect(d).toMatchObject({
      invoice_id: 'invoice_number_1',
      date: '2022-01-01',
      due_date: '2022-01-31',
      total: '127.50',
      subtotal: '127.50',
    });
  }, 60_000);

  it('reads orange item names on white, in a table without a header row', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(FIXTURES_DIR, 'invoices/invoice2data/AmazonWebServices.png')));
    const d = normaliseExpense(await extractExpense(bytes, { ocr: pool }), { source: 'local' });
    expect(d.line_items.map((l) => [l.description, l.total])).toEqual([
      ['AWS Data Transfer', '0.01'],
      ['Amazon Elastic Compute Cloud', '1.87'],
      ['Amazon Glacier', '2.22'],
      ['Amazon Simple Storage Service', '0.01'],
    ]);
  }, 60_000);

  it('OCRs a scanned PDF (no text layer) from its embedded page image', async () => {
    const jpg = new Uint8Array(readFileSync(resolve(TX, 'textractor_test_analyze_expense_from_path.source.jpg')));
    const pdf = scannedPdf({
      width: 805,
      height: 1917,
      dict: '/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode',
      data: jpg,
    });
    const r = await extractExpense(pdf, { ocr: pool });
    expect(r.textSource).toBe('ocr');
    const d = normaliseExpense(r, { source: 'local' });
    expect(d).toMatchObject({ document_type: 'receipt', total: '1810.46', tax: '110.50', currency: 'USD' });
  }, 60_000);

  it("reads a page in another language with that language's model: its accents, in the letterhead and the items", async () => {
    const bytes = new Uint8Array(readFileSync(resolve(FIXTURES_DIR, 'generated/scan-es-invoice.jpg')));
    const d = normaliseExpense(await extractExpense(bytes, { ocr: pool }), { source: 'local' });
    // The English model reads "Mediterraneo Hosteleria" and "Cartucho de téner".
    expect(d).toMatchObject({ merchant: 'Mediterráneo Hostelería S.A.', currency: 'EUR', total: '2302.27' });
    expect(d.line_items.map((l) => [l.description, l.quantity, l.total])).toEqual([
      ['Cartucho de tóner', 2, '44.94'],
      ['Silla de oficina', 2, '1857.76'],
    ]);
  }, 60_000);

  it('reads back a grey line between dashed rules that the layout pass dropped', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(FIXTURES_DIR, 'generated/scan-receipt-dashed-rules.jpg')));
    const r = await extractExpense(bytes, { ocr: pool });
    const lines = (r.Blocks ?? []).filter((b) => b.BlockType === 'LINE').map((b) => b.Text);
    expect(lines).toContainEqual(expect.stringMatching(/^INV NO: CS-SA-0031207 Date :? ?14\/09\/2017$/));
    // Read once: the lines the first pass found are not doubled.
    expect(lines.filter((t) => t?.startsWith('TOTAL'))).toEqual(['TOTAL 6.20']);
    const d = normaliseExpense(r, { source: 'local' });
    expect(d).toMatchObject({ merchant: 'KEDAI BUKU CERIA', date: '2017-09-14', total: '6.20' });
  }, 60_000);

  it('a blank image gives an empty result that the pipeline ends as NOT_AN_INVOICE', async () => {
    const blank = png({ width: 1275, height: 1650, colorType: 0, pixel: () => [255] });
    const r = await extractExpense(blank, { ocr: pool });
    const d = normaliseExpense(r, { source: 'local' });
    expect(d.total).toBeNull();
    expect(hasInvoiceEvidence(d)).toBe(false);
  }, 60_000);
});

describe('OCR pool', () => {
  it('refuses a language whose model is not installed, by name', () => {
    expect(() => new OcrPool({ langs: ['xyz'] })).toThrow(/OCR language "xyz" is not installed/);
  });

  it('is lazy, refuses work after close(), and close() is idempotent', async () => {
    const p = new OcrPool({ poolSize: 1 });
    expect(p.size).toBe(1);
    await p.close(); // never started: nothing to terminate
    await expect(
      p.recognizeRaster({ width: 10, height: 10, data: new Uint8Array(100).fill(255) }),
    ).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await p.close();
  });
});

describe('a second reading of till receipts', () => {
  const word = (text: string, left: number, top: number, right = left + 40): OcrWord => ({
    text,
    confidence: 90,
    left,
    top,
    right,
    bottom: top + 20,
    baseline: top + 18,
    lineHeight: 20,
  });

  it('is for upright images of no page size only', () => {
    const img = (width: number, height: number, dpi?: number) => ({ width, height, data: new Uint8Array(0), dpi });
    expect(isStrip(img(841, 1424))).toBe(true);
    expect(isStrip(img(2480, 3508))).toBe(false); // A4 at 300 dpi
    expect(isStrip(img(1400, 800))).toBe(false);
  });

  it('is needed when fewer than four money figures stand in the right part of the image', () => {
    const labels = [word('Total', 50, 100), word('Cash', 50, 130), word('Change', 50, 160)];
    expect(fewAmountsAtRight([...labels, word('13.50', 700, 100)], 800)).toBe(true);
    expect(fewAmountsAtRight([...labels, ...[100, 130, 160, 190].map((y) => word('13.50', 700, y))], 800)).toBe(false);
  });

  it('adds figures and confidently read words where the first reading found nothing', () => {
    const first = [word('Total', 50, 100), word('Rounded', 50, 130)];
    const second = [
      word('T0tal', 52, 101),
      word('13.50', 700, 100),
      { ...word('Es)!', 500, 130), confidence: 40 },
      { ...word('EEE', 300, 40), confidence: 30 },
      word('CASH', 50, 160),
      word('13.50', 700, 130),
    ];
    expect(withFiguresFrom(first, second).map((w) => w.text)).toEqual(['Total', 'Rounded', '13.50', 'CASH', '13.50']);
  });
});

describe('lines the layout pass dropped, read again on their own', () => {
  const word = (text: string, left: number, top: number, confidence = 90): OcrWord => ({
    text,
    confidence,
    left,
    top,
    right: left + 80,
    bottom: top + 20,
    baseline: top + 18,
    lineHeight: 20,
  });

  it("adds the band's confident words, also where they graze a line above, never over a word read", () => {
    const first = [word('CASH', 40, 100), word('10.00', 400, 100)];
    const band = [
      word('Date:', 40, 116), // its box reaches 4 px into the line above
      word('18/04/2017', 140, 116),
      word('10.00', 400, 102), // the line above again
      word('Ee', 300, 116, 35), // noise read as text
      word('|', 500, 116),
    ];
    expect(withLinesFrom(first, band).map((w) => w.text)).toEqual(['CASH', '10.00', 'Date:', '18/04/2017']);
  });

  it("replaces the first reading's doubtful words with the band's confident reading of them, not with noise", () => {
    const first = [word('Slip:', 40, 100, 90), word('Baie:', 300, 120, 43), word('PE', 400, 120, 28)];
    const band = [word('Date:', 300, 121, 95), word('25/04/18', 400, 121, 96), word('4', 560, 121, 61)];
    expect(withLinesFrom(first, band, 50).map((w) => w.text)).toEqual(['Slip:', 'Date:', '25/04/18']);
    // Word by word: a doubtful word stays where what the band read over it is no better.
    const noisy = [word('Date:', 300, 121, 95), word('Zs', 400, 121, 33)];
    expect(withLinesFrom(first, noisy, 50).map((w) => w.text)).toEqual(['Slip:', 'PE', 'Date:']);
    // Without a doubt threshold, words read stand.
    expect(withLinesFrom(first, band).map((w) => w.text)).toEqual(['Slip:', 'Baie:', 'PE']);
  });
});

describe("a letterhead's accents, read again on its own line", () => {
  const word = (text: string, left: number, top: number, height = 20, confidence = 90): OcrWord => ({
    text,
    confidence,
    left,
    top,
    right: left + 80,
    bottom: top + height,
    baseline: top + height - 2,
    lineHeight: height,
  });

  it('finds the first line at the top and the line of the tallest words, with room for accents', () => {
    const words = [
      word('Rechnung', 40, 60, 20),
      word('MULLER', 40, 100, 40),
      word('ELEKTRO', 140, 102, 38),
      word('(Co', 40, 150, 50), // a bracket stands taller than the type
      word('Bahnhofstrasse', 40, 210, 20),
      word('GESAMT', 40, 900, 60), // below the top third
    ];
    expect(letterheadBands(words, 1000)).toEqual([
      { top: 48, bottom: 92 },
      { top: 76, bottom: 164 },
    ]);
    expect(letterheadBands([word('MULLER', 40, 100, 40)], 1000)).toEqual([{ top: 76, bottom: 164 }]);
    expect(letterheadBands([word('803078', 40, 100)], 1000)).toEqual([]);
  });

  it('puts the accents of a confident second reading on the same letters, and nothing else', () => {
    const first = [word('MULLER', 40, 100), word('ELEKTRO', 140, 100), word('Koln', 40, 140)];
    const second = [
      word('MÜLLER', 42, 98, 22, 96),
      word('ELEKTRA', 140, 100, 20, 96), // other letters: no accent repair
      word('Köln', 40, 140, 20, 40), // too doubtful
    ];
    expect(withAccentsFrom(first, second).map((w) => [w.text, w.confidence])).toEqual([
      ['MÜLLER', 96],
      ['ELEKTRO', 90],
      ['Koln', 90],
    ]);
  });
});

describe('dollar prefixes misread by OCR', () => {
  const word = (text: string): OcrWord => ({
    text,
    confidence: 90,
    left: 0,
    top: 0,
    right: 10,
    bottom: 10,
    baseline: 9,
    lineHeight: 10,
  });
  it('restores "USS 981.67", "CAS1,250.00" and "AS 12.00" before an amount, and nothing else', () => {
    const texts = (ws: string[]) => repairDollarPrefixes(ws.map(word)).map((w) => w.text);
    expect(texts(['USS', '981.67', 'CAS1,250.00', 'AS', '12.00'])).toEqual([
      'US$',
      '981.67',
      'CA$1,250.00',
      'A$',
      '12.00',
    ]);
    expect(texts(['BOSS', 'USS', 'Enterprise', 'AS', 'usual', 'CASH', '12.00', 'CS15612396', 'AS', '2026'])).toEqual([
      'BOSS',
      'USS',
      'Enterprise',
      'AS',
      'usual',
      'CASH',
      '12.00',
      'CS15612396',
      'AS',
      '2026',
    ]);
  });

  it('restores a two-letter one after an amount on its line ("187,15 CAS"), not a word on the next line', () => {
    const at = (text: string, baseline: number): OcrWord => ({ ...word(text), baseline });
    const texts = (ws: OcrWord[]) => repairDollarPrefixes(ws).map((w) => w.text);
    expect(texts([at('187,15', 9), at('CAS', 9), at('12.00', 30), at('AS', 30)])).toEqual([
      '187,15',
      'CA$',
      '12.00',
      'AS',
    ]);
    expect(texts([at('187,15', 9), at('CAS', 30)]).at(-1)).toBe('CAS');
  });
});

describe('number signs misread by OCR', () => {
  it('restores "N°" read as "N®" or "N¢" at the end of a word, and nothing else', () => {
    const texts = (ws: string[]) => repairNumberSigns(ws.map((text) => ({ text }))).map((w) => w.text);
    expect(texts(['Facturen®', 'Documento', 'N¢', 'N®:', 'Brand®', 'Nova®x'])).toEqual([
      'Facturen°',
      'Documento',
      'N°',
      'N°:',
      'Brand®',
      'Nova®x',
    ]);
  });

  it('restores "N°" read as "Ne" before a colon or a number, not the French "Ne" of a sentence', () => {
    const texts = (ws: string[]) => repairNumberSigns(ws.map((text) => ({ text }))).map((w) => w.text);
    expect(texts(['Ne:', 'RE-84528', 'Ne', 'F2018-570', 'Ne', 'pas', 'jeter', 'Neon:'])).toEqual([
      'N°:',
      'RE-84528',
      'N°',
      'F2018-570',
      'Ne',
      'pas',
      'jeter',
      'Neon:',
    ]);
  });
});
