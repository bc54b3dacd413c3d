import { describe, expect, it } from 'vitest';
import { ExtractionError, NoTextLayerError, extractExpense } from '../../functions/extractor/index.ts';
import { hasInvoiceEvidence } from '../../functions/core/invoice-evidence.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { readPdfText } from '../../functions/extractor/pdf-text.ts';
import { deflateSync } from 'node:zlib';
import { checkFlateStreams } from '../../functions/extractor/pdf-doc.ts';
import {
  blankPdf,
  contentStreamPdf,
  encryptedPdf,
  flateBombPdf,
  textPdf,
  zeroPagePdf,
} from '../fixtures/pdf-builder.ts';

async function failure(bytes: Uint8Array, options?: Parameters<typeof extractExpense>[1]): Promise<ExtractionError> {
  try {
    await extractExpense(bytes, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractionError);
    return e as ExtractionError;
  }
  throw new Error('extraction unexpectedly succeeded');
}

describe('extractExpense failures', () => {
  it('reports a password-protected PDF as PASSWORD_PROTECTED', async () => {
    const e = await failure(encryptedPdf());
    expect(e.code).toBe('PASSWORD_PROTECTED');
    expect(e.message).toMatch(/password/i);
  });

  it('reports a corrupt PDF as EXTRACTION_FAILED with a readable message', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage garbage\n');
    const e = await failure(bytes);
    expect(e.code).toBe('EXTRACTION_FAILED');
    expect(e.message).toMatch(/could not be read as a PDF/);
  });

  it('reports a truncated PDF as EXTRACTION_FAILED', async () => {
    const whole = textPdf(['Invoice Number: 1001', 'Total 12.00']);
    const e = await failure(whole.subarray(0, 60));
    expect(e.code).toBe('EXTRACTION_FAILED');
  });

  it('readPdfText flags a PDF without a text layer (extractExpense OCRs it instead)', async () => {
    let err: unknown;
    try {
      await readPdfText(blankPdf());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoTextLayerError);
    expect((err as NoTextLayerError).reason).toBe('NO_TEXT_LAYER');
    expect((err as NoTextLayerError).message).toMatch(/no text layer/i);
  });

  it('reports a PDF with zero pages as EXTRACTION_FAILED', async () => {
    const e = await failure(zeroPagePdf());
    expect(e.code).toBe('EXTRACTION_FAILED');
  });

  it('enforces the page limit with TOO_MANY_PAGES', async () => {
    const e = await failure(blankPdf(4), { maxPages: 3 });
    expect(e.code).toBe('TOO_MANY_PAGES');
    expect(e.message).toContain('4 pages');
    expect(e.message).toContain('3');
  });

  it('stops at the time limit', async () => {
    const e = await failure(textPdf(['Invoice Number: 1001']), { timeoutMs: 0 });
    expect(e.code).toBe('EXTRACTION_FAILED');
    expect(e.message).toMatch(/longer than/);
  });

  it('reports a PNG cut off after its signature as damaged', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const e = await failure(png, { contentType: 'image/png' });
    expect(e.code).toBe('EXTRACTION_FAILED');
    expect(e.message).toMatch(/PNG image could not be read/);
  });

  it('stops a Flate bomb inside a PDF before pdfjs inflates it (FILE_TOO_LARGE)', async () => {
    const bomb = flateBombPdf(300 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(400_000);
    const t0 = performance.now();
    const e = await failure(bomb);
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(e.message).toMatch(/decompression bomb/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  // The bomb check used to read only the dictionary after the last "<<" and only a bare
  // /FlateDecode name, so each of these reached pdfjs and inflated whole (gigabytes).
  describe('a Flate bomb hidden by how the stream declares its filter', () => {
    const z = deflateSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
    const a85 = (b: Buffer): string => {
      let out = '';
      for (let i = 0; i < b.length; i += 4) {
        const chunk = Buffer.alloc(4);
        b.copy(chunk, 0, i, i + 4);
        let v = chunk.readUInt32BE(0);
        const n = Math.min(4, b.length - i);
        if (v === 0 && n === 4) {
          out += 'z';
          continue;
        }
        const c: string[] = [];
        for (let k = 0; k < 5; k++) {
          c.unshift(String.fromCharCode(33 + (v % 85)));
          v = Math.floor(v / 85);
        }
        out += c.slice(0, n + 1).join('');
      }
      return `${out}~>`;
    };
    it.each([
      ['a nested /DecodeParms dictionary', '/Filter /FlateDecode /DecodeParms << /Predictor 1 >>', z, ''],
      ['/DecodeParms before /Filter', '/DecodeParms << /Columns 1 >> /Filter /FlateDecode', z, ''],
      [
        'an ASCIIHex + Flate chain',
        '/Filter [/ASCIIHexDecode /FlateDecode]',
        Buffer.from(`${z.toString('hex')}>`, 'latin1'),
        '',
      ],
      ['an ASCII85 + Flate chain (abbreviated)', '/Filter [/A85 /Fl]', Buffer.from(a85(z), 'latin1'), ''],
      ['an indirect /Filter', '/Filter 5 0 R', z, '5 0 obj\n/FlateDecode\nendobj\n'],
      ['an indirect name in a filter array', '/Filter [5 0 R]', z, '5 0 obj\n/FlateDecode\nendobj\n'],
      ['a #-escaped filter name', '/Filter /#46lateDecode', z, ''],
      ['a string holding brackets in the dictionary', '/Title (<<) /Filter /FlateDecode', z, ''],
    ])('%s', async (_, dict, data, objects) => {
      const pdf = contentStreamPdf(dict, data, objects);
      expect(pdf.length).toBeLessThan(1_000_000);
      const rss = process.memoryUsage().rss;
      const t0 = performance.now();
      const e = await failure(pdf);
      expect(e.code).toBe('FILE_TOO_LARGE');
      expect(e.message).toMatch(/decompression bomb/);
      expect(performance.now() - t0).toBeLessThan(10_000);
      // At most one capped inflation (256 MB) is held; pdfjs inflating it whole took gigabytes.
      expect(process.memoryUsage().rss - rss).toBeLessThan(600 * 1024 * 1024);
    });

    it('refuses a /Filter reference it cannot resolve, naming the reason', async () => {
      const e = await failure(contentStreamPdf('/Filter 9 0 R', z));
      expect(e.code).toBe('EXTRACTION_FAILED');
      expect(e.message).toMatch(/cannot be checked \(its \/Filter refers to an object that could not be found\)/);
    });

    it('refuses an expanding filter after one it cannot decode', () => {
      expect(() => checkFlateStreams(contentStreamPdf('/Filter [/DCTDecode /FlateDecode]', z))).toThrow(
        /cannot be checked \(\/FlateDecode after \/DCTDecode\)/,
      );
    });

    it('still accepts small streams in each of these forms', () => {
      const small = deflateSync(Buffer.from('BT /F1 12 Tf 72 720 Td (Invoice 1001) Tj ET'));
      for (const [dict, data, objects] of [
        ['/Filter /FlateDecode /DecodeParms << /Predictor 1 >>', small, ''],
        ['/Filter [/AHx /Fl]', Buffer.from(`${small.toString('hex')}>`), ''],
        ['/Filter 5 0 R', small, '5 0 obj\n/FlateDecode\nendobj\n'],
      ] as const)
        expect(() => checkFlateStreams(contentStreamPdf(dict, data, objects))).not.toThrow();
    });
  });

  it('refuses thousands of pages up front with TOO_MANY_PAGES (default limit)', async () => {
    const t0 = performance.now();
    const e = await failure(blankPdf(3000));
    expect(e.code).toBe('TOO_MANY_PAGES');
    expect(e.message).toContain('3000 pages');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('rejects an empty file and unknown content', async () => {
    expect((await failure(new Uint8Array())).code).toBe('EMPTY_FILE');
    expect((await failure(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).code).toBe('UNSUPPORTED_FORMAT');
  });
});

describe('extractExpense on a simple generated invoice', () => {
  it('produces AnalyzeExpense-shaped fields with geometry and confidences', async () => {
    const r = await extractExpense(
      textPdf([
        'Riverside Consulting LLC',
        '12 River Road, Springfield',
        'Invoice Number: INV-2026-0091',
        'Invoice Date: 2026-05-01',
        'Due Date: 2026-05-31',
        'Subtotal $3,500.00',
        'Tax $350.00',
        'Total $3,850.00',
      ]),
    );
    expect(r.DocumentMetadata?.Pages).toBe(1);
    const doc = r.ExpenseDocuments?.[0];
    const byType = new Map(doc?.SummaryFields?.map((f) => [f.Type?.Text, f]));
    expect(byType.get('INVOICE_RECEIPT_ID')?.ValueDetection?.Text).toBe('INV-2026-0091');
    expect(byType.get('INVOICE_RECEIPT_DATE')?.ValueDetection?.Text).toBe('2026-05-01');
    expect(byType.get('DUE_DATE')?.ValueDetection?.Text).toBe('2026-05-31');
    expect(byType.get('TOTAL')?.ValueDetection?.Text).toBe('$3,850.00');
    expect(byType.get('TOTAL')?.Currency?.Code).toBe('USD');
    expect(byType.get('SUBTOTAL')?.ValueDetection?.Text).toBe('$3,500.00');
    expect(byType.get('VENDOR_NAME')?.ValueDetection?.Text).toBe('Riverside Consulting LLC');
    const total = byType.get('TOTAL')!;
    expect(total.LabelDetection?.Text).toBe('Total');
    const box = total.ValueDetection?.Geometry?.BoundingBox;
    expect(box?.Left).toBeGreaterThan(0);
    expect(box?.Top).toBeGreaterThan(0);
    expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThanOrEqual(1);
    expect(total.Type?.Confidence).toBeGreaterThan(50);
    expect(total.Type?.Confidence).toBeLessThanOrEqual(100);
    const kinds = new Set(r.Blocks?.map((b) => b.BlockType));
    expect(kinds).toEqual(new Set(['PAGE', 'LINE', 'WORD']));
    const line = r.Blocks?.find((b) => b.BlockType === 'LINE' && b.Text?.startsWith('Invoice Number'));
    expect(line?.Relationships?.[0]?.Ids?.length).toBe(3);
  });
});

describe('documents that are not invoices end as NOT_AN_INVOICE (decided from the payload)', () => {
  it('a blank scanned page: extraction succeeds with nothing, the evidence check refuses it', async () => {
    const r = await extractExpense(blankPdf());
    const d = normaliseExpense(r, { source: 'local' });
    expect(d).toMatchObject({ total: null, invoice_id: null, line_items: [] });
    expect(hasInvoiceEvidence(d)).toBe(false);
  });

  it('a letter with a date but no amounts', async () => {
    const r = await extractExpense(
      textPdf([
        'Riverside Consulting LLC',
        '12 River Road, Springfield',
        'Dear Ms Smith,',
        'Date: 3 March 2026',
        'thank you for your visit last week. As discussed, we will send the proposal',
        'for the second phase by the end of the month.',
        'Kind regards, John Miller',
      ]),
    );
    const d = normaliseExpense(r, { source: 'local' });
    expect(d.total).toBeNull();
    expect(hasInvoiceEvidence(d)).toBe(false);
  });
});
