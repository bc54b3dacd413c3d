/**
 * Raster decoding through pdfjs, which already carries decoders for every image filter a PDF
 * may use (DCT/JPEG, Flate, LZW, RunLength/PackBits, CCITT G3/G4, JBIG2, JPX). Two uses:
 * the embedded page images of scanned PDFs, and JPEG/TIFF uploads, which are wrapped in a tiny
 * in-memory PDF so the same decoders serve them (no native image library needed).
 */
import { getResolvedPDFJS } from 'unpdf';
import { ExtractionError } from '../errors.ts';
import { openPdf, type PdfjsDoc, type PdfjsPage } from '../pdf-doc.ts';
import { toGray, type GrayImage } from './gray.ts';
import { checkDimensions } from './probe.ts';

interface DecodedObj {
  width?: number;
  height?: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
  bitmap?: unknown;
}

const OBJ_TIMEOUT_MS = 20_000;

async function getObj(page: PdfjsPage, key: string): Promise<DecodedObj | null> {
  const store = key.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), OBJ_TIMEOUT_MS);
    try {
      store.get(key, (v) => {
        clearTimeout(t);
        resolve((v as DecodedObj) ?? null);
      });
    } catch {
      clearTimeout(t);
      resolve(null);
    }
  });
}

/** pdfjs image data (1-bit packed, RGB, RGBA or grey) → grey raster. */
export function objToGray(img: DecodedObj): GrayImage | null {
  const { width, height, data } = img;
  if (!width || !height || !data) return null;
  const n = width * height;
  if (img.kind === 1 || data.length === Math.ceil(width / 8) * height) {
    // GRAYSCALE_1BPP: rows padded to bytes; a set bit is white.
    const stride = Math.ceil(width / 8);
    const out = new Uint8Array(n);
    let black = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit ? 255 : 0;
        if (!bit) black++;
      }
    }
    // Documents are mostly paper: a mostly-black result means the polarity was inverted.
    if (black > n * 0.6) for (let i = 0; i < n; i++) out[i] = 255 - out[i]!;
    return { width, height, data: out };
  }
  const channels = Math.round(data.length / n);
  if (![1, 2, 3, 4].includes(channels)) return null;
  return { width, height, data: toGray(data, width, height, channels) };
}

function matMul(m: number[], t: number[]): number[] {
  const [a, b, c, d, e, f] = m as [number, number, number, number, number, number];
  const [a2, b2, c2, d2, e2, f2] = t as [number, number, number, number, number, number];
  return [a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d, e2 * a + f2 * c + e, e2 * b + f2 * d + f];
}

export interface PageRaster {
  image: GrayImage /** Fraction of the page area the image covers. */;
  coverage: number;
}

/**
 * The dominant raster of a PDF page (a scan is one full-page image): the painted image covering
 * the most page area, with its resolution derived from the size it is drawn at.
 */
export async function pageRaster(page: PdfjsPage): Promise<PageRaster | null> {
  const { OPS } = (await getResolvedPDFJS()) as unknown as { OPS: Record<string, number> };
  const vp = page.getViewport({ scale: 1 });
  const ops = await page.getOperatorList();
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let best: { key: string; area: number; ctm: number[]; inline?: DecodedObj } | null = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] ?? [];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) ctm = matMul(ctm, args as number[]);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args[0];
      if (Array.isArray(m) && m.length === 6) ctm = matMul(ctm, m as number[]);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
      const area = Math.abs(ctm[0]! * ctm[3]! - ctm[1]! * ctm[2]!);
      const arg = args[0];
      const entry =
        typeof arg === 'string' ? { key: arg, area, ctm } : { key: '', area, ctm, inline: arg as DecodedObj };
      if (!best || area > best.area) best = entry;
    }
  }
  if (!best) return null;
  const obj = best.inline ?? (await getObj(page, best.key));
  if (!obj) return null;
  const image = objToGray(obj);
  if (!image) return null;
  const drawnW = Math.hypot(best.ctm[0]!, best.ctm[1]!);
  const drawnH = Math.hypot(best.ctm[2]!, best.ctm[3]!);
  // Rotated placements (a portrait scan drawn landscape) are not undone here; OCR copes with
  // upright text only, and such scans are rare.
  if (drawnW > 0) image.dpi = Math.round((image.width / drawnW) * 72);
  const coverage = Math.min(1, (drawnW * drawnH) / Math.max(1, vp.width * vp.height));
  void drawnH;
  return { image, coverage };
}

// ---------------------------------------------------------------- wrapping raw image streams

export interface ImageStream {
  width: number;
  height: number;
  /** The image dictionary entries besides Width/Height/Length ("/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"). */
  dict: string;
  data: Uint8Array;
}

/** A PDF with one page per image stream, each drawn at 1 pt per pixel. */
export function imagePdf(images: ImageStream[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let len = 0;
  const offsets: number[] = [];
  const push = (b: Uint8Array | string): void => {
    const u = typeof b === 'string' ? enc.encode(b) : b;
    chunks.push(u);
    len += u.length;
  };
  const obj = (n: number, body: (Uint8Array | string)[]): void => {
    offsets[n] = len;
    push(`${n} 0 obj\n`);
    for (const b of body) push(b);
    push('\nendobj\n');
  };
  push('%PDF-1.7\n');
  const pageIds = images.map((_, i) => 3 + i * 3);
  obj(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  obj(2, [`<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${images.length} >>`]);
  images.forEach((im, i) => {
    const p = pageIds[i]!;
    const content = `q ${im.width} 0 0 ${im.height} 0 0 cm /Im0 Do Q`;
    obj(p, [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${im.width} ${im.height}] /Resources << /XObject << /Im0 ${p + 2} 0 R >> >> /Contents ${p + 1} 0 R >>`,
    ]);
    obj(p + 1, [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`]);
    obj(p + 2, [
      `<< /Type /XObject /Subtype /Image /Width ${im.width} /Height ${im.height} ${im.dict} /Length ${im.data.length} >>\nstream\n`,
      im.data,
      '\nendstream',
    ]);
  });
  const xref = len;
  const n = 3 + images.length * 3;
  let x = `xref\n0 ${n}\n0000000000 65535 f \n`;
  for (let i = 1; i < n; i++) x += `${String(offsets[i] ?? 0).padStart(10, '0')} 00000 n \n`;
  push(`${x}trailer\n<< /Size ${n} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(len);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Decode raw image streams with pdfjs; one grey raster per stream, in order. */
export async function decodeStreams(images: ImageStream[], what: string): Promise<GrayImage[]> {
  for (const im of images) checkDimensions(im, what);
  let doc: PdfjsDoc | undefined;
  try {
    doc = await openPdf(imagePdf(images));
    const out: GrayImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const r = await pageRaster(page);
      page.cleanup();
      if (!r)
        throw new ExtractionError(
          'EXTRACTION_FAILED',
          `This ${what} could not be decoded; it is probably damaged. Export it again and upload it.`,
        );
      out.push(r.image);
    }
    return out;
  } finally {
    await doc?.destroy().catch(() => undefined);
  }
}
