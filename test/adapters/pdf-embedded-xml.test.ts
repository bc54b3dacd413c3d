import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import {
  embeddedFileStreams,
  MAX_INFLATED_BYTES,
  ScanningEInvoiceReader,
} from '../../functions/adapters/pdf-embedded-xml.ts';
import { MAX_XML_BYTES, parseEInvoice } from '../../functions/core/einvoice/index.ts';
import { openPdf } from '../../functions/extractor/pdf-doc.ts';
import { FIXTURES_DIR, REPO_DIR } from '../support/paths.ts';

const dir = `${FIXTURES_DIR}/invoices/zugferd`;
const hybrids = readdirSync(dir).filter((f) => f.endsWith('.pdf'));

describe('ScanningEInvoiceReader (e-invoices without a PDF engine, as the Textract-mode Lambda reads them)', () => {
  const reader = new ScanningEInvoiceReader();

  it('finds the fixture hybrids', () => expect(hybrids).toHaveLength(12));

  for (const file of hybrids) {
    it(`reads the embedded XML of ${file} exactly like its extracted twin, with pdf.js's page count`, async () => {
      const pdf = new Uint8Array(readFileSync(`${dir}/${file}`));
      const data = await reader.read(pdf);
      expect(data).not.toBeNull();
      const { page_count: _pages, ...fromXml } = data!;
      expect(fromXml).toEqual(parseEInvoice(readFileSync(`${dir}/${file.replace(/\.pdf$/, '.embedded.xml')}`)));
      // The page count comes from visible page objects; pages packed in object streams give none.
      const doc = await openPdf(pdf);
      if (data!.page_count !== undefined) expect(data!.page_count).toBe(doc.numPages);
      await doc.destroy();
      expect(data!.source).toBe('e-invoice');
    });
  }

  it('returns null for PDFs and images without an e-invoice', async () => {
    expect(await reader.read(new Uint8Array(readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`)))).toBeNull();
    expect(
      await reader.read(
        new Uint8Array(readFileSync(`${FIXTURES_DIR}/invoices/invoice2data/SammyMaystoneLinesTest.png`)),
      ),
    ).toBeNull();
    expect(
      embeddedFileStreams(new Uint8Array(Buffer.from('%PDF-1.4 /Type /EmbeddedFile garbage without a stream'))),
    ).toEqual([]);
    expect(await reader.read(new TextEncoder().encode('%PDF-1.7\ngarbage'))).toBeNull();
  });

  it('reads an uploaded XML e-invoice, and refuses XML that is not one', async () => {
    const xml = readFileSync(`${dir}/${hybrids[0]!.replace(/\.pdf$/, '.embedded.xml')}`);
    expect((await reader.read(new Uint8Array(xml)))?.source).toBe('e-invoice');
    await expect(
      reader.read(new Uint8Array(Buffer.from('<?xml version="1.0"?><note><to>Tove</to></note>'))),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await expect(
      reader.read(new Uint8Array(Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'))),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('caps inflation: a Flate bomb in an embedded file is not expanded past the XML limit', () => {
    const { deflateSync } = require('node:zlib') as typeof import('node:zlib');
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const pdf = Buffer.concat([
      Buffer.from(
        `%PDF-1.7\n5 0 obj << /Type /EmbeddedFile /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`,
        'latin1',
      ),
      bomb,
      Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
    ]);
    expect(embeddedFileStreams(new Uint8Array(pdf))).toEqual([]);
  });

  // Review findings: the scan was quadratic in markers without a stream of their own (800 KB took
  // 13.5 s, synchronously), and every candidate was inflated and held at once (826 MB RSS).
  const latin1Pdf = (body: string) => new Uint8Array(Buffer.from(`%PDF-1.4\n${body}\n%%EOF\n`, 'latin1'));
  const timed = async <T>(f: () => T | Promise<T>) => {
    const t0 = performance.now();
    const value = await f();
    return { value, ms: performance.now() - t0 };
  };

  it('scans in linear time: markers without a stream, or all sharing one far away', async () => {
    const bare = latin1Pdf('/Type/EmbeddedFile '.repeat(42_000)); // 800 KB: 13.5 s before
    const shared = latin1Pdf(`1 0 obj\n<<${'/Type/EmbeddedFile '.repeat(40_000)}/Length 99999999 >>\nstream\n`); // 16 s before
    const unfinished = latin1Pdf(`1 0 obj\n${'<</Type/EmbeddedFile/Length 999999999>>stream\n'.repeat(40_000)}`); // 22 s before
    for (const pdf of [bare, shared, unfinished]) {
      const { value, ms } = await timed(() => reader.read(pdf));
      expect(value).toBeNull();
      expect(ms).toBeLessThan(2000);
    }
  });

  const withEmbedded = (streams: Buffer[]) =>
    new Uint8Array(
      Buffer.concat([
        Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'),
        ...streams.flatMap((z, i) => [
          Buffer.from(
            `${10 + i} 0 obj\n<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length ${z.length} >>\nstream\n`,
            'latin1',
          ),
          z,
          Buffer.from('\nendstream\nendobj\n', 'latin1'),
        ]),
        Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
      ]),
    );
  const junk = (size: number) => {
    const b = Buffer.alloc(size, 0x20);
    b[0] = 0x3c; // '<': looks like XML until parsed
    return deflateSync(b, { level: 9 });
  };

  it('bounds inflation across embedded files: each to the XML limit, a budget in all', async () => {
    const under = junk(MAX_XML_BYTES - 10);
    const streams = embeddedFileStreams(withEmbedded(Array.from({ length: 32 }, () => under)));
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(MAX_INFLATED_BYTES);
    expect(MAX_INFLATED_BYTES).toBeLessThan(100 * 1024 * 1024);
    // The review's 656 KB PDF: 32 files of 20 MB each (640 MB inflated before).
    const big = junk(20 * 1024 * 1024 - 10);
    const { value, ms } = await timed(() => reader.read(withEmbedded(Array.from({ length: 32 }, () => big))));
    expect(value).toBeNull();
    expect(ms).toBeLessThan(2000);
  });

  it('still finds the invoice after attachments that are not one', async () => {
    const xml = readFileSync(`${dir}/${hybrids[0]!.replace(/\.pdf$/, '.embedded.xml')}`);
    const data = await reader.read(
      withEmbedded([junk(1024 * 1024), deflateSync(Buffer.from('<?xml version="1.0"?><note/>')), deflateSync(xml)]),
    );
    const { page_count: _pages, ...fromXml } = data!;
    expect(fromXml).toEqual(parseEInvoice(xml));
  });
});
