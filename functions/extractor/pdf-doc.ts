/**
 * Opening PDFs with pdfjs (via unpdf), safely: compressed streams are test-inflated with a cap
 * first (a Flate bomb stops there instead of in pdfjs, which would inflate it whole), images
 * above the pixel limit are never decoded, and failures become typed ExtractionErrors.
 */
import { inflateSync } from 'node:zlib';
import { getDocumentProxy } from 'unpdf';
import { ExtractionError } from './errors.ts';
import { MAX_PIXELS } from './image/probe.ts';

// Minimal structural types for the pdfjs objects we touch, so we do not depend on its d.ts layout.
export interface PdfjsViewport { width: number; height: number; transform: number[] }
export interface PdfjsOperatorList { fnArray: number[]; argsArray: unknown[][] }
export interface PdfjsObjs { get(key: string, cb: (v: unknown) => void): void; has?(key: string): boolean }
export interface PdfjsPage {
  getViewport(p: { scale: number }): PdfjsViewport;
  getTextContent(): Promise<{ items: unknown[] }>;
  getOperatorList(): Promise<PdfjsOperatorList>;
  objs: PdfjsObjs;
  commonObjs: PdfjsObjs;
  cleanup(): unknown;
}
export interface PdfjsDoc {
  numPages: number;
  getPage(n: number): Promise<PdfjsPage>;
  destroy(): Promise<void>;
}

/** One stream may inflate to this much; anything larger is a bomb, not an invoice. */
export const MAX_STREAM_BYTES = 256 * 1024 * 1024;
/** All streams of one file together. */
export const MAX_TOTAL_INFLATED = 512 * 1024 * 1024;

function bomb(): ExtractionError {
  return new ExtractionError('FILE_TOO_LARGE', 'This PDF contains compressed data that expands to an unreasonable size (a decompression bomb), so it was not processed. Re-export the document from the original application.');
}

/**
 * Inflate every FlateDecode stream once with a hard output cap. Cheap next to parsing (zlib
 * runs at hundreds of MB/s, invoices hold a few hundred KB of streams) and bounded in memory.
 */
export function checkFlateStreams(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let pos = 0;
  for (;;) {
    const s = buf.indexOf('stream', pos, 'latin1');
    if (s < 0) break;
    pos = s + 6;
    // Not "endstream", and followed by an EOL.
    if (s >= 3 && buf.toString('latin1', s - 3, s) === 'end') continue;
    let start = s + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    else if (buf[start - 1] !== 0x0d) continue;
    const dictFrom = Math.max(0, s - 2048);
    const dict = buf.toString('latin1', dictFrom, s);
    const open = dict.lastIndexOf('<<');
    if (open < 0 || !/\/(?:FlateDecode|Fl)\b/.test(dict.slice(open))) continue;
    const end = buf.indexOf('endstream', start, 'latin1');
    if (end < 0) break;
    pos = end + 9;
    const data = buf.subarray(start, end);
    if (data.length < 64) continue;
    let out: Buffer;
    try {
      out = inflateSync(data, { maxOutputLength: MAX_STREAM_BYTES, finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */ });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bomb();
      continue; // damaged or encrypted streams are pdfjs's business
    }
    total += out.length;
    if (total > MAX_TOTAL_INFLATED) throw bomb();
  }
}

export async function openPdf(bytes: Uint8Array): Promise<PdfjsDoc> {
  checkFlateStreams(bytes);
  try {
    // pdfjs may detach the buffer it is given; hand it a private copy.
    return (await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      isEvalSupported: false,
      stopAtErrors: false,
      maxImageSize: MAX_PIXELS,
    })) as unknown as PdfjsDoc;
  } catch (e) {
    const name = (e as { name?: string } | null)?.name ?? '';
    if (name === 'PasswordException') {
      throw new ExtractionError('PASSWORD_PROTECTED', 'This PDF is password-protected, so its contents cannot be read. Remove the password (for example by printing it to a new PDF) and upload it again.', { cause: e });
    }
    const detail = e instanceof Error && e.message ? ` (${e.message.replace(/\.$/, '')})` : '';
    throw new ExtractionError('EXTRACTION_FAILED', `This file could not be read as a PDF${detail}; it is probably damaged or incomplete. Re-export or re-download it and upload it again.`, { cause: e });
  }
}

/** A deadline for work on one document: a rejecting timer plus a checkpoint that yields. */
export function deadline(timeoutMs: number, what: string): { timeout: Promise<never>; checkpoint: () => Promise<void>; clear: () => void; expired: () => boolean } {
  const end = Date.now() + timeoutMs;
  const error = (): ExtractionError => new ExtractionError('EXTRACTION_FAILED',
    `Reading this ${what} took longer than ${Math.max(1, Math.round(timeoutMs / 1000))} s and was stopped; the file may be damaged or unusually complex. Try re-exporting it from the original application.`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(error()), timeoutMs); });
  timeout.catch(() => undefined);
  return {
    timeout,
    checkpoint: async () => {
      await new Promise<void>((r) => setImmediate(r));
      if (Date.now() >= end) throw error();
    },
    clear: () => clearTimeout(timer),
    expired: () => Date.now() >= end,
  };
}
