/**
 * E-invoices without a PDF engine: XML uploads go straight to the parser, and a PDF hybrid's XML
 * is found by scanning its embedded-file streams (`/Type /EmbeddedFile`, Flate or uncompressed)
 * with node:zlib, capped in size. This keeps pdf.js out of the Textract-mode extract bundle while
 * still reading Factur-X / ZUGFeRD / XRechnung first. Streams cannot live inside object streams,
 * so every embedded file's dictionary and data are visible at the top level of the file.
 */
import { inflateSync } from 'node:zlib';
import { EInvoiceError, MAX_XML_BYTES, parseEInvoice, sniffEInvoice } from '../core/einvoice/index.ts';
import type { DocumentData } from '../core/events.ts';
import { pdfPageCountHint, sniffFileType } from '../core/file-type.ts';
import { AnalysisError, type EInvoiceReader } from '../core/ports.ts';

const MAX_STREAMS = 32;

/** The embedded files' decoded bytes, largest-first candidates limited to MAX_STREAMS. */
export function embeddedFileStreams(pdf: Uint8Array): Uint8Array[] {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const out: Uint8Array[] = [];
  const marker = /\/Type\s*\/EmbeddedFile\b/g;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text)) && out.length < MAX_STREAMS) {
    const dictStart = text.lastIndexOf('obj', m.index);
    // The keyword after the dictionary, not "stream" inside a value such as /application#2Foctet-stream.
    const keyword = />>\s*stream(\r\n|\n|\r)/g;
    keyword.lastIndex = m.index;
    const k = keyword.exec(text);
    if (dictStart < 0 || !k) continue;
    const dict = text.slice(dictStart, k.index);
    const dataStart = k.index + k[0].length;
    const lengthMatch = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dict); // an indirect length: find endstream
    const end = lengthMatch ? dataStart + Number(lengthMatch[1]) : text.indexOf('endstream', dataStart);
    if (end <= dataStart || end > text.length) continue;
    const raw = pdf.subarray(dataStart, end);
    try {
      if (/\/Filter\s*(\[\s*)?\/FlateDecode\s*\]?/.test(dict)) out.push(inflateSync(raw, { maxOutputLength: MAX_XML_BYTES }));
      else if (!/\/Filter/.test(dict)) out.push(raw);
    } catch {
      // Corrupt or over the cap: not a readable e-invoice; the visual path takes over.
    }
    marker.lastIndex = Math.max(marker.lastIndex, end);
  }
  return out;
}

function asEInvoice(bytes: Uint8Array): DocumentData | null {
  try {
    const head = new TextDecoder().decode(bytes.subarray(0, 4096));
    if (!head.replace(/^\uFEFF/, '').trimStart().startsWith('<')) return null;
    if (!sniffEInvoice(new TextDecoder().decode(bytes))) return null;
    return parseEInvoice(bytes);
  } catch {
    return null;
  }
}

export class ScanningEInvoiceReader implements EInvoiceReader {
  async read(bytes: Uint8Array): Promise<DocumentData | null> {
    const kind = sniffFileType(bytes.subarray(0, 4096));
    if (kind === 'xml') {
      try {
        return parseEInvoice(bytes);
      } catch (err) {
        const message = err instanceof EInvoiceError ? err.message : 'The XML file is not a readable CII or UBL e-invoice.';
        throw new AnalysisError('UNSUPPORTED_FORMAT', message);
      }
    }
    if (kind !== 'pdf') return null;
    for (const stream of embeddedFileStreams(bytes)) {
      const data = asEInvoice(stream);
      // Page objects are usually visible too; when they sit in object streams, no count is given.
      const pages = pdfPageCountHint(bytes);
      if (data) return pages > 0 ? { ...data, page_count: pages } : data;
    }
    return null;
  }
}
