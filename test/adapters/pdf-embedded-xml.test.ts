import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddedFileStreams, ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { parseEInvoice } from '../../functions/core/einvoice/index.ts';
import { openPdf } from '../../functions/extractor/pdf-doc.ts';
import { CORPUS_DIR, REPO_DIR } from '../support/paths.ts';

const dir = `${CORPUS_DIR}/invoices/zugferd`;
const hybrids = readdirSync(dir).filter((f) => f.endsWith('.pdf'));

describe('ScanningEInvoiceReader (e-invoices without a PDF engine, as the Textract-mode Lambda reads them)', () => {
  const reader = new ScanningEInvoiceReader();

  it('finds the corpus hybrids', () => expect(hybrids.length).toBeGreaterThanOrEqual(10));

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
    expect(await reader.read(new Uint8Array(readFileSync(`${CORPUS_DIR}/invoices/invoice2data/oyo.png`)))).toBeNull();
    expect(embeddedFileStreams(new Uint8Array(Buffer.from('%PDF-1.4 /Type /EmbeddedFile garbage without a stream')))).toEqual([]);
    expect(await reader.read(new TextEncoder().encode('%PDF-1.7\ngarbage'))).toBeNull();
  });

  it('reads an uploaded XML e-invoice, and refuses XML that is not one', async () => {
    const xml = readFileSync(`${dir}/${hybrids[0]!.replace(/\.pdf$/, '.embedded.xml')}`);
    expect((await reader.read(new Uint8Array(xml)))?.source).toBe('e-invoice');
    await expect(reader.read(new Uint8Array(Buffer.from('<?xml version="1.0"?><note><to>Tove</to></note>')))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await expect(reader.read(new Uint8Array(Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('caps inflation: a Flate bomb in an embedded file is not expanded past the XML limit', () => {
    const { deflateSync } = require('node:zlib') as typeof import('node:zlib');
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const pdf = Buffer.concat([Buffer.from(`%PDF-1.7\n5 0 obj << /Type /EmbeddedFile /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, 'latin1'), bomb, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);
    expect(embeddedFileStreams(new Uint8Array(pdf))).toEqual([]);
  });
});
