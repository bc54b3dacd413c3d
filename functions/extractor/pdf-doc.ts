/**
 * Opening PDFs with pdfjs (via unpdf), safely: compressed streams are test-inflated with a cap
 * first (a Flate bomb stops there instead of in pdfjs, which would inflate it whole), images
 * above the pixel limit are never decoded, and failures become typed ExtractionErrors.
 */
import { inflateSync } from 'node:zlib';
import { getDocumentProxy } from 'unpdf';
import { PASSWORD_PROTECTED_MESSAGE } from '../core/file-type.ts';
import { ExtractionError } from './errors.ts';
import { MAX_PIXELS } from './image/probe.ts';

// Minimal structural types for the pdfjs objects we touch, so we do not depend on its d.ts layout.
export interface PdfjsViewport {
  width: number;
  height: number;
  transform: number[];
}
export interface PdfjsOperatorList {
  fnArray: number[];
  argsArray: unknown[][];
}
export interface PdfjsObjs {
  get(key: string, cb: (v: unknown) => void): void;
  has?(key: string): boolean;
}
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
  return new ExtractionError(
    'FILE_TOO_LARGE',
    'This PDF contains compressed data that expands to an unreasonable size (a decompression bomb), so it was not processed. Re-export the document from the original application.',
  );
}

function unchecked(reason: string): ExtractionError {
  return new ExtractionError(
    'EXTRACTION_FAILED',
    `This PDF contains compressed data whose expanded size cannot be checked (${reason}), so it was not processed. Re-export the document from the original application.`,
  );
}

// --- A minimal PDF object reader: just enough to read a stream's dictionary and its /Filter. ---

type PdfValue = number | { name: string } | { ref: string } | PdfValue[] | Map<string, PdfValue> | null;
const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

/** Parses the object at `i` of `b`; returns it and the index after it, or null if malformed. */
function parseValue(b: Buffer, i: number, end: number, depth = 0): [PdfValue, number] | null {
  const ws = (k: number): number => {
    for (;;) {
      while (k < end && WS.has(b[k]!)) k++;
      if (b[k] !== 0x25 /* % */) return k;
      while (k < end && b[k] !== 0x0a && b[k] !== 0x0d) k++;
    }
  };
  const token = (k: number): number => {
    while (k < end && !WS.has(b[k]!) && !DELIM.has(b[k]!)) k++;
    return k;
  };
  i = ws(i);
  if (i >= end || depth > 32) return null;
  const c = b[i]!;
  if (c === 0x3c && b[i + 1] === 0x3c) {
    // << dict >>
    const dict = new Map<string, PdfValue>();
    for (i = ws(i + 2); !(b[i] === 0x3e && b[i + 1] === 0x3e); i = ws(i)) {
      const key = parseValue(b, i, end, depth + 1);
      if (!key || !(key[0] && typeof key[0] === 'object' && 'name' in key[0])) return null;
      const val = parseValue(b, key[1], end, depth + 1);
      if (!val) return null;
      dict.set(key[0].name, val[0]);
      i = val[1];
    }
    return [dict, i + 2];
  }
  if (c === 0x5b) {
    // [ array ]
    const arr: PdfValue[] = [];
    for (i = ws(i + 1); b[i] !== 0x5d; i = ws(i)) {
      const v = parseValue(b, i, end, depth + 1);
      if (!v) return null;
      arr.push(v[0]);
      i = v[1];
    }
    return [arr, i + 1];
  }
  if (c === 0x2f) {
    // /Name, with #xx escapes decoded as pdfjs does
    const t = token(i + 1);
    const name = b
      .toString('latin1', i + 1, t)
      .replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return [{ name }, t];
  }
  if (c === 0x28) {
    // (literal string), balanced parentheses and backslash escapes
    let nest = 0;
    for (i++; i < end; i++) {
      if (b[i] === 0x5c) i++;
      else if (b[i] === 0x28) nest++;
      else if (b[i] === 0x29 && nest-- === 0) return [null, i + 1];
    }
    return null;
  }
  if (c === 0x3c) {
    // <hex string>
    const close = b.indexOf(0x3e, i);
    return close < 0 || close >= end ? null : [null, close + 1];
  }
  const t = token(i);
  if (t === i) return null;
  const word = b.toString('latin1', i, t);
  if (/^\d+$/.test(word)) {
    // "n g R" is a reference
    const m = /^\s*(\d+)\s+R(?![^\s()<>[\]{}/%])/.exec(b.toString('latin1', t, Math.min(end, t + 24)));
    if (m) return [{ ref: `${Number(word)} ${Number(m[1])}` }, t + m[0].length];
    return [Number(word), t];
  }
  return [/^[+-]?[\d.]+$/.test(word) ? Number(word) : null, t];
}

/**
 * The dictionary of the stream whose keyword is at `s`: the balanced `<< >>` ending right before
 * it (nested dictionaries included). Strings may hold unbalanced brackets, so each candidate
 * start is confirmed by parsing forward to exactly that end. Never looks back past `floor`.
 */
function streamDict(b: Buffer, s: number, floor: number): Map<string, PdfValue> | null {
  let k = s;
  while (k > floor && WS.has(b[k - 1]!)) k--;
  if (k - 2 < floor || b[k - 1] !== 0x3e || b[k - 2] !== 0x3e) return null;
  let depth = 0;
  let tries = 0;
  for (let i = k - 1; i > floor && tries < 16; i--) {
    if (b[i] === 0x3e && b[i - 1] === 0x3e) {
      depth++;
      i--;
      continue;
    }
    if (b[i] !== 0x3c || b[i - 1] !== 0x3c) continue;
    i--;
    if (--depth > 0) continue;
    tries++;
    const v = parseValue(b, i, k);
    if (v && v[1] === k && v[0] instanceof Map) return v[0];
  }
  return null;
}

const FILTER_NAMES: Record<string, string> = {
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  Fl: 'FlateDecode',
  LZW: 'LZWDecode',
  RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode',
  DCT: 'DCTDecode',
};
/** Filters whose output can be far larger than their input. */
const EXPANDING = new Set(['FlateDecode', 'LZWDecode', 'RunLengthDecode']);

function hexDecode(d: Buffer): Buffer {
  const out = Buffer.alloc(d.length >> 1);
  let n = 0;
  let hi = -1;
  for (const c of d) {
    if (c === 0x3e) break;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.subarray(0, n);
}

function a85Decode(d: Buffer): Buffer {
  // At most 4 bytes per input byte ("z"), so the output is bounded by the input it came from.
  const out = Buffer.alloc(d.length * 4);
  let n = 0;
  let acc = 0;
  let cnt = 0;
  for (let i = 0; i < d.length; i++) {
    const c = d[i]!;
    if (c === 0x7e) break; // ~>
    if (c === 0x7a && cnt === 0) {
      n += 4;
      continue;
    } // z: four zero bytes (already zero)
    if (c < 0x21 || c > 0x75) continue;
    acc = acc * 85 + (c - 0x21);
    if (++cnt === 5) {
      out.writeUInt32BE(acc >>> 0, n);
      n += 4;
      acc = 0;
      cnt = 0;
    }
  }
  if (cnt > 1) {
    for (let k = cnt; k < 5; k++) acc = acc * 85 + 84;
    for (let k = 0; k < cnt - 1; k++) out[n++] = (acc >>> (24 - 8 * k)) & 0xff;
  }
  return out.subarray(0, n);
}

function runLengthSize(d: Buffer): number {
  let size = 0;
  for (let i = 0; i < d.length; ) {
    const c = d[i]!;
    if (c === 128) break;
    if (c < 128) {
      size += c + 1;
      i += c + 2;
    } else {
      size += 257 - c;
      i += 2;
    }
  }
  return size;
}

/** Decoded length of LZW data (as pdfjs decodes it), counted without producing the bytes. */
function lzwSize(d: Buffer, earlyChange: number): number {
  const lens = new Uint16Array(4096).fill(1, 0, 256);
  let next = 258;
  let width = 9;
  let prev = 0;
  let size = 0;
  let bits = 0;
  let buf = 0;
  for (let i = 0; i < d.length && size <= MAX_STREAM_BYTES; ) {
    while (bits < width && i < d.length) {
      buf = ((buf << 8) | d[i++]!) & 0xffffff;
      bits += 8;
    }
    if (bits < width) break;
    const code = (buf >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    if (code === 256) {
      next = 258;
      width = 9;
      prev = 0;
      continue;
    }
    if (code === 257) break;
    let len: number;
    if (code < 256 || (code >= 258 && code < next)) len = lens[code]!;
    else if (code === next && prev) len = prev + 1;
    else break; // invalid: pdfjs stops here too
    if (prev && next < 4096) lens[next++] = Math.min(prev + 1, 0xffff);
    size += len;
    prev = len;
    const n = next + earlyChange;
    width = n >= 2048 ? 12 : n >= 1024 ? 11 : n >= 512 ? 10 : 9;
  }
  return size;
}

/** Filters a stream's data looks encoded with: zlib, or hex / ASCII85 text wrapping zlib. */
function guessFilters(d: Buffer): string[] {
  const zlib = (a: number, b: number): boolean => (a & 0x0f) === 8 && a >> 4 <= 7 && ((a << 8) | b) % 31 === 0;
  if (d.length >= 2 && zlib(d[0]!, d[1]!)) return ['FlateDecode'];
  const head = d.subarray(0, 64).toString('latin1').replace(/\s+/g, '');
  if (/^[0-9a-fA-F]{4,}/.test(head)) {
    const h = hexDecode(d.subarray(0, 64));
    if (zlib(h[0]!, h[1]!)) return ['ASCIIHexDecode', 'FlateDecode'];
  }
  if (head.startsWith('<~') || /^[!-uz]{5,}/.test(head)) {
    const a = a85Decode(d.subarray(head.startsWith('<~') ? d.indexOf('<~') + 2 : 0, 80));
    if (a.length >= 2 && zlib(a[0]!, a[1]!)) return ['ASCII85Decode', 'FlateDecode'];
  }
  return [];
}

/**
 * Runs the stream's filter chain far enough to know how large it expands, stopping any stage at
 * MAX_STREAM_BYTES. Returns the largest stage output; throws for a bomb or an unboundable chain.
 */
function decodedSize(data: Buffer, filters: string[], parms: (Map<string, PdfValue> | null)[]): number {
  let cur = data;
  let largest = 0;
  for (let i = 0; i < filters.length; i++) {
    const f = FILTER_NAMES[filters[i]!] ?? filters[i]!;
    const last = i === filters.length - 1;
    if (f === 'ASCIIHexDecode') cur = hexDecode(cur);
    else if (f === 'ASCII85Decode') cur = a85Decode(cur);
    else if (f === 'FlateDecode') {
      try {
        cur = inflateSync(cur, {
          maxOutputLength: MAX_STREAM_BYTES,
          finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncation */,
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw bomb();
        return largest; // damaged or encrypted streams are pdfjs's business
      }
    } else if (f === 'RunLengthDecode' || f === 'LZWDecode') {
      // Only their size is computed, so they can only end a chain.
      if (!last) throw unchecked(`${f} followed by /${filters[i + 1]}`);
      const early = parms[i]?.get('EarlyChange');
      const size = f === 'RunLengthDecode' ? runLengthSize(cur) : lzwSize(cur, early === 0 ? 0 : 1);
      if (size > MAX_STREAM_BYTES) throw bomb();
      return Math.max(largest, size);
    } else {
      // Image codecs (bounded by pdfjs's image size limit), Crypt or unknown: decoded no further.
      const rest = filters
        .slice(i + 1)
        .map((x) => FILTER_NAMES[x] ?? x)
        .find((x) => EXPANDING.has(x));
      if (rest) throw unchecked(`/${rest} after /${f}`);
      return largest;
    }
    largest = Math.max(largest, cur.length);
  }
  return largest;
}

/**
 * Where each indirect object's value starts ("n g obj"), the last definition winning as after an
 * incremental update. One pass over the file: searching per reference was quadratic (14,000
 * indirect /Filter references in 2.5 MB took 34 s).
 */
function objectOffsets(buf: Buffer): Map<string, number> {
  const offsets = new Map<string, number>();
  const header = /(?<![0-9])(\d+)\s+(\d+)\s+obj(?![^\s()<>[\]{}/%])/g;
  for (const m of buf.toString('latin1').matchAll(header))
    offsets.set(`${Number(m[1])} ${Number(m[2])}`, m.index + m[0].length);
  return offsets;
}

/**
 * The first "endstream" at or after a position, for positions that only grow: a search that found
 * nothing (or found one further on) answers later questions too. Searching afresh from every
 * "stream" keyword was quadratic in a file of keywords without an end (80,000 took 10 s).
 */
function nextEndstream(buf: Buffer): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -2 || (found >= 0 && found < from)) found = buf.indexOf('endstream', from, 'latin1');
    return found;
  };
}

/**
 * Decode every compressed stream once, through its whole filter chain, with a hard output cap.
 * Cheap next to parsing (zlib runs at hundreds of MB/s, invoices hold a few hundred KB of
 * streams) and bounded in memory.
 */
export function checkFlateStreams(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const objects = new Map<string, PdfValue | undefined>();
  let offsets: Map<string, number> | undefined;
  // An indirect object's value (the last definition wins, as after an incremental update).
  const resolve = (v: PdfValue, hops = 0): PdfValue | undefined => {
    if (!(v && typeof v === 'object' && 'ref' in v)) return v;
    if (hops > 4) return undefined;
    if (!objects.has(v.ref)) {
      offsets ??= objectOffsets(buf);
      const at = offsets.get(v.ref);
      objects.set(v.ref, at === undefined ? undefined : (parseValue(buf, at, buf.length)?.[0] ?? undefined));
    }
    const r = objects.get(v.ref);
    return r === undefined ? undefined : resolve(r, hops + 1);
  };
  let total = 0;
  let pos = 0;
  let floor = 0;
  const endstreamFrom = nextEndstream(buf);
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
    const dict = streamDict(buf, s, floor);
    floor = s; // later dictionaries start after this keyword: each byte is scanned back once
    if (!dict) {
      // No dictionary confirmed (strings with brackets, comments, or not a stream at all): if
      // the data looks encoded, bound it as the filters it looks like, and consume it once.
      const end = endstreamFrom(start);
      const data = buf.subarray(start, end < 0 ? buf.length : end);
      const guess = guessFilters(data);
      if (!guess.length) continue;
      pos = end < 0 ? buf.length : end + 9;
      total += decodedSize(data, guess, []);
      if (total > MAX_TOTAL_INFLATED) throw bomb();
      continue;
    }
    const filter = resolve(dict.get('Filter') ?? null);
    if (filter === undefined) throw unchecked('its /Filter refers to an object that could not be found');
    const list = Array.isArray(filter) ? filter.map((f) => resolve(f)) : [filter];
    if (!list.length || list[0] === null) continue; // no filter
    const filters = list.map((f) => (f && typeof f === 'object' && 'name' in f ? f.name : undefined));
    if (filters.some((f) => f === undefined)) throw unchecked('its /Filter is not a name or a list of names');
    const dp = resolve(dict.get('DecodeParms') ?? dict.get('DP') ?? null);
    const parms = (Array.isArray(dp) ? dp.map((p) => resolve(p)) : [dp]).map((p) => (p instanceof Map ? p : null));
    // /Length, when direct, may reach past an "endstream" planted inside the data: use the longer.
    const length = dict.get('Length');
    let end = endstreamFrom(start);
    if (end < 0) end = buf.length;
    const dataEnd = Math.max(end, typeof length === 'number' ? Math.min(buf.length, start + length) : 0);
    pos = end + 9;
    total += decodedSize(buf.subarray(start, dataEnd), filters as string[], parms);
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
      throw new ExtractionError('PASSWORD_PROTECTED', PASSWORD_PROTECTED_MESSAGE, { cause: e });
    }
    const detail = e instanceof Error && e.message ? ` (${e.message.replace(/\.$/, '')})` : '';
    throw new ExtractionError(
      'EXTRACTION_FAILED',
      `This file could not be read as a PDF${detail}; it is probably damaged or incomplete. Re-export or re-download it and upload it again.`,
      { cause: e },
    );
  }
}

/** A deadline for work on one document: a rejecting timer plus a checkpoint that yields. */
export function deadline(
  timeoutMs: number,
  what: string,
): { timeout: Promise<never>; checkpoint: () => Promise<void>; clear: () => void; expired: () => boolean } {
  const end = Date.now() + timeoutMs;
  const error = (): ExtractionError =>
    new ExtractionError(
      'EXTRACTION_FAILED',
      `Reading this ${what} took longer than ${Math.max(1, Math.round(timeoutMs / 1000))} s and was stopped; the file may be damaged or unusually complex. Try re-exporting it from the original application.`,
    );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), timeoutMs);
  });
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
