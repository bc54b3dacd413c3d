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
import { AnalysisError } from '../core/errors.ts';
import type { EInvoiceReader } from '../core/ports.ts';

const MAX_STREAMS = 32;
/**
 * Inflated bytes across all candidates of one PDF. Each is capped at the XML limit and tested
 * before the next is inflated, so memory holds one at a time; this bounds the CPU spent on
 * attachments that are not the invoice (32 × 5 MB would still be 160 MB of inflation).
 */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * The next match of `re` (global) at or after a position, for positions that only grow: a search
 * that found nothing, or found a match past the position asked, answers later questions too, so
 * the text is scanned once in all rather than once per marker (which was quadratic).
 */
function forwardSearch(text: string, re: RegExp) {
  let from = -1;
  let hit: RegExpExecArray | null = null;
  return (pos: number): RegExpExecArray | null => {
    if (from >= 0 && from <= pos && (!hit || hit.index >= pos)) return hit;
    re.lastIndex = pos;
    from = pos;
    hit = re.exec(text);
    return hit;
  };
}

/**
 * The embedded files' decoded bytes, in file order, at most MAX_STREAMS, each at most the XML
 * limit and MAX_INFLATED_BYTES in all; lazily, so a caller can stop at the first that fits.
 */
export function* embeddedFiles(pdf: Uint8Array): Generator<Uint8Array> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const marker = /\/Type\s*\/EmbeddedFile\b/g;
  // The keyword after the dictionary, not "stream" inside a value such as /application#2Foctet-stream.
  const nextKeyword = forwardSearch(text, />>\s*stream(\r\n|\n|\r)/g);
  const nextEndstream = forwardSearch(text, /endstream/g);
  const nextObj = forwardSearch(text, /obj/g);
  let lastObj = -1; // the last "obj" at or before the marker: where its dictionary starts
  let floor = 0; // the end of the last stream keyword seen: no dictionary starts before it
  let streams = 0;
  let budget = MAX_INFLATED_BYTES;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text)) && streams < MAX_STREAMS && budget > 0) {
    for (let o = nextObj(lastObj + 1); o && o.index <= m.index; o = nextObj(lastObj + 1)) lastObj = o.index;
    const k = nextKeyword(m.index);
    if (!k) return;
    const dataStart = k.index + k[0].length;
    // Other markers inside this dictionary name the same stream.
    marker.lastIndex = Math.max(marker.lastIndex, dataStart);
    const dictStart = lastObj >= floor ? lastObj : -1;
    floor = dataStart;
    if (dictStart < 0) continue;
    const dict = text.slice(dictStart, k.index);
    const lengthMatch = /\/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)/.exec(dict); // an indirect length: find endstream
    const end = lengthMatch ? dataStart + Number(lengthMatch[1]) : (nextEndstream(dataStart)?.index ?? -1);
    if (end <= dataStart || end > text.length) continue;
    marker.lastIndex = Math.max(marker.lastIndex, end);
    const raw = pdf.subarray(dataStart, end);
    if (/\/Filter\s*(\[\s*)?\/FlateDecode\s*\]?/.test(dict)) {
      streams++;
      const limit = Math.min(MAX_XML_BYTES, budget);
      let inflated: Uint8Array;
      try {
        inflated = inflateSync(raw, { maxOutputLength: limit });
      } catch (e) {
        // Corrupt or over the cap: not a readable e-invoice; the visual path takes over.
        budget -= (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? limit : raw.length;
        continue;
      }
      budget -= inflated.length;
      yield inflated;
    } else if (!/\/Filter/.test(dict) && raw.length <= MAX_XML_BYTES) {
      streams++;
      yield raw;
    }
  }
}

/** All of embeddedFiles at once (for inspection; the reader takes them one at a time). */
export function embeddedFileStreams(pdf: Uint8Array): Uint8Array[] {
  return [...embeddedFiles(pdf)];
}

function asEInvoice(bytes: Uint8Array): DocumentData | null {
  try {
    const head = new TextDecoder().decode(bytes.subarray(0, 4096));
    if (
      !head
        .replace(/^\uFEFF/, '')
        .trimStart()
        .startsWith('<')
    )
      return null;
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
        const message =
          err instanceof EInvoiceError ? err.message : 'The XML file is not a readable CII or UBL e-invoice.';
        throw new AnalysisError('UNSUPPORTED_FORMAT', message, { cause: err });
      }
    }
    if (kind !== 'pdf') return null;
    // One candidate in memory at a time: the first that parses as an e-invoice wins.
    for (const stream of embeddedFiles(bytes)) {
      const data = asEInvoice(stream);
      if (!data) continue;
      // Page objects are usually visible too; when they sit in object streams, no count is given.
      const pages = pdfPageCountHint(bytes);
      return pages > 0 ? { ...data, page_count: pages } : data;
    }
    return null;
  }
}
