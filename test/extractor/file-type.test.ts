import { describe, expect, it } from 'vitest';
import { sniffFileType, validateUpload } from '../../functions/core/file-type.ts';
import { textPdf } from '../fixtures/pdf-builder.ts';

const MB = 1024 * 1024;
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52);
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0);

describe('sniffFileType', () => {
  it.each([
    ['pdf', text('%PDF-1.7\n%âãÏÓ\n')],
    ['png', PNG],
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46)],
    ['tiff', bytes(0x49, 0x49, 0x2a, 0, 8, 0, 0, 0)],
    ['tiff', bytes(0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8)],
    ['gif', text('GIF89a\x01\x00')],
    ['webp', text('RIFF\x10\x00\x00\x00WEBPVP8 ')],
    ['zip', ZIP],
    ['xml', text('<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice>')],
    ['xml', text('\uFEFF<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">')],
    ['text', text('Invoice 42\nTotal 12.00\n')],
    ['unknown', bytes(0, 1, 2, 3, 0xfe, 0xff)],
  ] as const)('recognises %s', (kind, head) => {
    expect(sniffFileType(head)).toBe(kind);
  });
});

describe('validateUpload', () => {
  const pdf = textPdf(['Invoice 1']);

  it('accepts a real PDF declared as PDF', () => {
    expect(
      validateUpload({ head: pdf, size: pdf.length, declaredContentType: 'application/pdf', maxBytes: 10 * MB }),
    ).toEqual({ ok: true, kind: 'pdf' });
  });

  it('accepts images and XML e-invoices', () => {
    expect(validateUpload({ head: PNG, size: 5000, declaredContentType: 'image/png', maxBytes: MB })).toEqual({
      ok: true,
      kind: 'png',
    });
    const xml = text('<?xml version="1.0"?><Invoice/>');
    expect(
      validateUpload({ head: xml, size: xml.length, declaredContentType: 'application/xml', maxBytes: MB }),
    ).toEqual({ ok: true, kind: 'xml' });
  });

  it('rejects an empty file', () => {
    const r = validateUpload({ head: new Uint8Array(), size: 0, declaredContentType: 'application/pdf', maxBytes: MB });
    expect(r).toMatchObject({ ok: false, code: 'EMPTY_FILE' });
  });

  it('calls a file over the limit too large even when its head was not read', () => {
    const r = validateUpload({
      head: new Uint8Array(),
      size: 25 * MB,
      declaredContentType: 'application/pdf',
      maxBytes: 10 * MB,
    });
    expect(r).toMatchObject({ ok: false, code: 'FILE_TOO_LARGE' });
  });

  it('rejects an oversized file and names both sizes in MB', () => {
    const r = validateUpload({ head: pdf, size: 25 * MB, declaredContentType: 'application/pdf', maxBytes: 10 * MB });
    expect(r).toMatchObject({ ok: false, code: 'FILE_TOO_LARGE' });
    if (!r.ok) {
      expect(r.message).toContain('25 MB');
      expect(r.message).toContain('10 MB');
    }
  });

  it('rejects a ZIP named as a PDF and says what it really is', () => {
    const r = validateUpload({ head: ZIP, size: 2000, declaredContentType: 'application/pdf', maxBytes: MB });
    expect(r).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT' });
    if (!r.ok) {
      expect(r.message).toMatch(/ZIP archive/);
      expect(r.message).toMatch(/PDF document/);
      expect(r.message).toMatch(/Accepted formats are PDF, PNG, JPEG, TIFF and XML/);
    }
  });

  it('rejects a PNG declared as a PDF', () => {
    const r = validateUpload({ head: PNG, size: 2000, declaredContentType: 'application/pdf', maxBytes: MB });
    expect(r).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT' });
    if (!r.ok) expect(r.message).toMatch(/content is a PNG image/);
  });

  it('rejects a truncated PDF seen whole', () => {
    const cut = pdf.subarray(0, pdf.length - 40);
    const r = validateUpload({ head: cut, size: cut.length, declaredContentType: 'application/pdf', maxBytes: MB });
    expect(r).toMatchObject({ ok: false, code: 'EXTRACTION_FAILED' });
    if (!r.ok) expect(r.message).toMatch(/truncated/);
  });

  it('trusts the bytes over a generic declared type', () => {
    expect(
      validateUpload({ head: pdf, size: pdf.length, declaredContentType: 'application/octet-stream', maxBytes: MB }),
    ).toEqual({ ok: true, kind: 'pdf' });
  });
});
