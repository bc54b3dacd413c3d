/**
 * What an upload really is, from its first bytes (never from its name or declared type), and
 * whether docuhook accepts it. Pure: callers pass the head of the object (≥ 512 bytes is plenty).
 */
import type { FailureCode } from './events.ts';

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'gif' | 'webp' | 'zip' | 'xml' | 'text' | 'unknown';

/** Kinds the extract step can process (XML: e-invoices). */
export const ACCEPTED_KINDS: readonly FileKind[] = ['pdf', 'png', 'jpeg', 'tiff', 'xml'];

const DESCRIPTIONS: Record<FileKind, string> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  tiff: 'a TIFF image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  zip: 'a ZIP archive (for example an Office document such as .docx or .xlsx)',
  xml: 'an XML document',
  text: 'a plain-text file',
  unknown: 'a file of an unrecognised type',
};

const ACCEPTED_SENTENCE = 'Accepted formats are PDF, PNG, JPEG, TIFF and XML e-invoices.';

function startsWith(head: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (head.length < offset + sig.length) return false;
  return sig.every((b, i) => head[offset + i] === b);
}

function ascii(head: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, head.length); i++) s += String.fromCharCode(head[i]!);
  return s;
}

export function sniffFileType(head: Uint8Array): FileKind {
  if (head.length === 0) return 'unknown';
  // PDF: "%PDF-" must appear within the first 1024 bytes (some producers prepend junk).
  const start = ascii(head, 0, 1024);
  if (
    start.startsWith('%PDF-') ||
    (start.indexOf('%PDF-') > 0 && start.indexOf('%PDF-') < 1024 && !startsWith(head, [0x50, 0x4b]))
  )
    return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (start.startsWith('GIF87a') || start.startsWith('GIF89a')) return 'gif';
  if (start.startsWith('RIFF') && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (
    startsWith(head, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(head, [0x50, 0x4b, 0x05, 0x06]) ||
    startsWith(head, [0x50, 0x4b, 0x07, 0x08])
  )
    return 'zip';
  const text = decodeText(head);
  if (text !== null) {
    const t = text.replace(/^\uFEFF/, '').trimStart();
    if (
      /^<\?xml[\s?]/.test(t) ||
      (/^<(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*[\s>/]/.test(t) && !/^<!doctype html|^<html/i.test(t))
    )
      return 'xml';
    return 'text';
  }
  return 'unknown';
}

/** The head as text when it looks like text (UTF-8/ASCII without control bytes), else null. */
function decodeText(head: Uint8Array): string | null {
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let control = 0;
  for (const b of sample) if (b === 0 || b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  if (control > 0) return null;
  try {
    // A multi-byte character cut at the end of the sample is fine; invalid UTF-8 elsewhere is not.
    return new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(sample));
  } catch {
    return null;
  }
}

function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const byte = b[end - k]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= k;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  return b.subarray(0, end);
}

const DECLARED: Record<string, FileKind> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/tiff': 'tiff',
  'image/tif': 'tiff',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/zip': 'zip',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/plain': 'text',
};

/** The kind a Content-Type names, or undefined for unknown/generic types (octet-stream). */
export function kindFromContentType(contentType: string): FileKind | undefined {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (DECLARED[base]) return DECLARED[base];
  if (/\+xml$/.test(base)) return 'xml';
  if (/officedocument|opendocument|msword|ms-excel/.test(base)) return 'zip';
  return undefined;
}

export type UploadCheck = { ok: true; kind: FileKind } | { ok: false; code: FailureCode; message: string };

export interface UploadFacts {
  head: Uint8Array;
  size: number;
  declaredContentType: string;
  maxBytes: number;
}

function mb(bytes: number): string {
  const v = bytes / (1024 * 1024);
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} MB`;
}

export function validateUpload({ head, size, declaredContentType, maxBytes }: UploadFacts): UploadCheck {
  // Size first: a caller may skip reading a file over the limit (its head is then empty).
  if (size > maxBytes) {
    return {
      ok: false,
      code: 'FILE_TOO_LARGE',
      message: `The file is ${mb(size)}, larger than the ${mb(maxBytes)} limit. Compress or split it and upload it again.`,
    };
  }
  if (size === 0 || head.length === 0) {
    return {
      ok: false,
      code: 'EMPTY_FILE',
      message: 'The uploaded file is empty (0 bytes). Upload the invoice file again.',
    };
  }
  const kind = sniffFileType(head);
  const declared = kindFromContentType(declaredContentType);
  if (!ACCEPTED_KINDS.includes(kind)) {
    const claimed =
      declared && declared !== kind
        ? ` although it was uploaded as ${DESCRIPTIONS[declared]} (${declaredContentType})`
        : '';
    return {
      ok: false,
      code: 'UNSUPPORTED_FORMAT',
      message: `The file is ${DESCRIPTIONS[kind]}${claimed}, which cannot be processed. ${ACCEPTED_SENTENCE}`,
    };
  }
  if (declared && declared !== kind && ACCEPTED_KINDS.includes(declared)) {
    // Content and declared type disagree (a PNG sent as application/pdf): refuse rather than guess
    // which one the sender meant, and say what the bytes really are.
    return {
      ok: false,
      code: 'UNSUPPORTED_FORMAT',
      message: `The file was uploaded as ${DESCRIPTIONS[declared]} (${declaredContentType}) but its content is ${DESCRIPTIONS[kind]}. Upload it with the matching content type. ${ACCEPTED_SENTENCE}`,
    };
  }
  if (kind === 'pdf' && !hasPdfStructure(head, size)) {
    // Heads shorter than the file cannot show the trailer; only flag files we saw whole.
    return {
      ok: false,
      code: 'EXTRACTION_FAILED',
      message:
        'The PDF appears to be truncated (it ends before its end-of-file marker). Upload the complete file again.',
    };
  }
  return { ok: true, kind };
}

/** For a head that is the whole file: a PDF must carry "%%EOF" near its end. */
function hasPdfStructure(head: Uint8Array, size: number): boolean {
  if (head.length < size) return true;
  const tail = ascii(head, Math.max(0, head.length - 2048), head.length);
  return tail.includes('%%EOF');
}

/**
 * A cheap lower bound on a PDF's page count: the page objects visible in the file's bytes.
 * Pages inside compressed object streams are not visible (the count is then 0), so callers must
 * treat it as a hint, never as the truth.
 */
export function pdfPageCountHint(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}

/** What a reader is told about a PDF that needs a password, whichever extractor refused it. */
export const PASSWORD_PROTECTED_MESSAGE =
  'This PDF is password-protected, so its contents cannot be read. Remove the password (for example by printing it to a new PDF) and upload it again.';

/**
 * Whether a PDF declares encryption (an /Encrypt entry in its trailer or cross-reference stream).
 * That may be an owner password only, which readers open freely, so it explains a refusal rather
 * than predicting one. The trailer sits at the end (or, linearised, also near the start): only
 * the first and last MiB are searched, however large the file.
 */
export function pdfDeclaresEncryption(bytes: Uint8Array): boolean {
  const window = 1024 * 1024;
  const parts =
    bytes.byteLength <= 2 * window ? [bytes] : [bytes.subarray(0, window), bytes.subarray(bytes.byteLength - window)];
  return parts.some((part) =>
    /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(
      Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1'),
    ),
  );
}
