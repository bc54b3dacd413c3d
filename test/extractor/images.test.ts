/**
 * Image inputs before OCR: header probing (checked before any decoding), the PNG decoder across
 * colour types / bit depths / filters, JPEG and TIFF decoding through pdfjs, and the bombs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractionError, extractExpense } from '../../functions/extractor/index.ts';
import { decodeImage } from '../../functions/extractor/image/decode.ts';
import { bilinearAt, downscale, quietRowNear, toGray, upscale } from '../../functions/extractor/image/gray.ts';
import { decodePng } from '../../functions/extractor/image/png.ts';
import { jpegInfo, pngInfo, tiffIfds } from '../../functions/extractor/image/probe.ts';
import { estimateDpi, prepare } from '../../functions/extractor/ocr.ts';
import { textLineHeight } from '../../functions/extractor/image/text-scale.ts';
import { jpegHeader, png, pngBomb, pngFlateBomb, tiff, tiffBomb } from '../fixtures/image-builder.ts';
import { FIXTURES_DIR } from '../support/paths.ts';

async function failure(p: Promise<unknown>): Promise<ExtractionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractionError);
    return e as ExtractionError;
  }
  throw new Error('unexpectedly succeeded');
}

// A recognisable pattern: left half black, right half white, bottom-right pixel mid-grey.
const pattern =
  (w: number, h: number) =>
  (x: number, y: number): number =>
    x < w / 2 ? 0 : x === w - 1 && y === h - 1 ? 128 : 255;

describe('PNG decoder', () => {
  const w = 9;
  const h = 5;
  const pat = pattern(w, h);
  it.each([0, 1, 2, 3, 4])('grey 8-bit with row filter %i', (filter) => {
    const img = decodePng(png({ width: w, height: h, colorType: 0, filter, pixel: (x, y) => [pat(x, y)] }));
    expect([img.width, img.height]).toEqual([w, h]);
    expect(img.data[0]).toBe(0);
    expect(img.data[w - 2]).toBe(255);
    expect(img.data[w * h - 1]).toBe(128);
  });

  it('RGB, RGBA (alpha composited on white), grey+alpha, 16-bit and palette', () => {
    const rgb = decodePng(
      png({ width: w, height: h, colorType: 2, filter: 4, pixel: (x, y) => [pat(x, y), pat(x, y), pat(x, y)] }),
    );
    expect(rgb.data[0]).toBe(0);
    expect(rgb.data[w * h - 1]).toBeCloseTo(128, -1);
    const rgba = decodePng(png({ width: w, height: h, colorType: 6, pixel: () => [0, 0, 0, 0] }));
    expect(rgba.data.every((v) => v === 255)).toBe(true); // fully transparent black → paper
    const ga = decodePng(png({ width: w, height: h, colorType: 4, pixel: () => [0, 255] }));
    expect(ga.data.every((v) => v === 0)).toBe(true);
    const g16 = decodePng(png({ width: w, height: h, colorType: 0, depth: 16, pixel: (x) => [x < w / 2 ? 0 : 65535] }));
    expect([g16.data[0], g16.data[w - 1]]).toEqual([0, 255]);
    const pal = decodePng(
      png({
        width: w,
        height: h,
        colorType: 3,
        palette: [
          [255, 255, 255],
          [0, 0, 0],
        ],
        pixel: (x) => [x < w / 2 ? 1 : 0],
      }),
    );
    expect([pal.data[0], pal.data[w - 1]]).toEqual([0, 255]);
  });

  it('1-bit grey (packed rows)', () => {
    const img = decodePng(png({ width: 13, height: 3, colorType: 0, depth: 1, pixel: (x) => [x % 2] }));
    expect(Array.from(img.data.subarray(0, 4))).toEqual([0, 255, 0, 255]);
  });

  it('reads the resolution from pHYs', () => {
    expect(pngInfo(png({ width: 2, height: 2, colorType: 0, dpi: 300, pixel: () => [255] })).dpi).toBe(300);
  });
});

describe('image headers are checked before decoding', () => {
  it('a PNG claiming 50000 × 50000 pixels fails fast with FILE_TOO_LARGE', async () => {
    const bytes = pngBomb(50_000, 50_000);
    expect(bytes.length).toBeLessThan(200);
    const t0 = performance.now();
    const e = await failure(extractExpense(bytes));
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(e.message).toMatch(/50000 × 50000/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a JPEG header claiming 50000 × 50000 pixels fails with FILE_TOO_LARGE', async () => {
    const bytes = jpegHeader(50_000, 50_000);
    expect(jpegInfo(bytes)).toMatchObject({ width: 50_000, height: 50_000, components: 3 });
    expect((await failure(extractExpense(bytes))).code).toBe('FILE_TOO_LARGE');
  });

  it('a TIFF claiming absurd dimensions fails with FILE_TOO_LARGE', async () => {
    expect((await failure(extractExpense(tiffBomb(60_000, 60_000)))).code).toBe('FILE_TOO_LARGE');
  });

  it('a PNG whose data inflates past its declared size (Flate bomb) stops at the declared size', async () => {
    const bytes = pngFlateBomb(64 * 1024 * 1024);
    expect(bytes.length).toBeLessThan(200_000);
    const e = await failure(extractExpense(bytes));
    expect(e.code).toBe('EXTRACTION_FAILED');
    expect(e.message).toMatch(/more image data than its size allows/);
  });

  it('a truncated PNG is EXTRACTION_FAILED, not a crash', async () => {
    const whole = png({ width: 40, height: 40, colorType: 0, pixel: () => [255] });
    const e = await failure(extractExpense(whole.subarray(0, 30)));
    expect(e.code).toBe('EXTRACTION_FAILED');
  });

  // A TIFF's tag counts are untrusted: a tiny file used to make the reader build millions of
  // values per tag (gigabytes, seconds of blocked event loop, or a heap OOM).
  it('a TIFF whose tags claim more values than the file holds is damaged, found without allocating them', async () => {
    const bytes = tiffWithTags(tiff({ width: 1, height: 1 }), 200, { type: 4, count: 1_000_000 });
    expect(bytes.length).toBeLessThan(3_000);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    const e = await failure(extractExpense(bytes));
    expect(e.code).toBe('EXTRACTION_FAILED');
    expect(e.message).toMatch(/TIFF image could not be read/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  });

  it('a valid TIFF with hundreds of large tags it does not use decodes without reading them', async () => {
    const base = tiff({ width: 256, height: 256, pixel: (x) => (x < 128 ? 0 : 255) });
    // 400 BYTE tags, each pointing at the 64 KB of pixel data (inside the file, so legal).
    const bytes = tiffWithTags(base, 400, { type: 1, count: 60_000 });
    const rss = process.memoryUsage().rss;
    const [page] = await decodeImage(bytes, 'tiff', 5);
    expect([page!.width, page!.height, page!.data[0], page!.data[255]]).toEqual([256, 256, 0, 255]);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  });

  it('a TIFF with more pages than allowed is TOO_MANY_PAGES', async () => {
    const bytes = tiff({ width: 4, height: 4, pages: 30 });
    expect(tiffIfds(bytes, 100).total).toBe(30);
    const e = await failure(extractExpense(bytes, { maxPages: 10 }));
    expect(e.code).toBe('TOO_MANY_PAGES');
    expect(e.message).toContain('30 pages');
  });
});

describe('JPEG and TIFF decoding through pdfjs', () => {
  it('decodes the corpus receipt JPEG to its size', async () => {
    const bytes = new Uint8Array(
      readFileSync(resolve(FIXTURES_DIR, 'textract/textractor_test_analyze_expense_from_path.source.jpg')),
    );
    const [img] = await decodeImage(bytes, 'jpeg', 5);
    expect([img!.width, img!.height]).toEqual([805, 1917]);
    // A receipt is mostly paper: the median pixel is light.
    const sorted = Array.from(img!.data.subarray(0, 200_000)).sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeGreaterThan(128);
  });

  it.each([false, true])('decodes an 8-bit grey TIFF (PackBits: %s), every page', async (packbits) => {
    const bytes = tiff({ width: 20, height: 10, pages: 2, packbits, pixel: (x) => (x < 10 ? 0 : 255) });
    const pages = await decodeImage(bytes, 'tiff', 5);
    expect(pages).toHaveLength(2);
    expect([pages[1]!.width, pages[1]!.height]).toEqual([20, 10]);
    expect([pages[0]!.data[0], pages[0]!.data[19]]).toEqual([0, 255]);
  });
});

describe('raster preprocessing', () => {
  it('converts RGB to luma and downscales by area averaging', () => {
    expect(Array.from(toGray(new Uint8Array([255, 255, 255, 0, 0, 0]), 2, 1, 3))).toEqual([255, 0]);
    const img = { width: 4, height: 2, data: new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255]) };
    expect(Array.from(downscale(img, 2).data)).toEqual([0, 255]);
    expect(upscale(img, 2).width).toBe(8);
  });

  it.each([1.37, 2, 2.6])('upscales by %s to exactly the bilinear sample of every output pixel', (factor) => {
    let seed = 11;
    const data = new Uint8Array(37 * 23).map(() => (seed = (seed * 69069 + 1) >>> 0) >>> 24);
    const img = { width: 37, height: 23, data };
    const up = upscale(img, factor);
    expect([up.width, up.height]).toEqual([Math.round(37 * factor), Math.round(23 * factor)]);
    const want = new Uint8Array(up.width * up.height);
    for (let y = 0; y < up.height; y++)
      for (let x = 0; x < up.width; x++)
        want[y * up.width + x] = bilinearAt(img, (x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5);
    expect(Buffer.from(up.data).equals(Buffer.from(want))).toBe(true);
  });

  it('keeps coloured text on white as ink, without thickening sub-pixel anti-aliased glyphs', () => {
    const white = [255, 255, 255];
    const orange = [248, 153, 29]; // luma 167: plain luma thresholds it to paper
    const gray = (pixels: number[][]): number[] =>
      Array.from(toGray(new Uint8Array(pixels.flat()), pixels.length, 1, 3));
    const [, edge, core] = gray([white, orange, orange, orange, white]);
    expect(core).toBeLessThan(100);
    expect(edge).toBeLessThan(128);
    // A black stem with an orange fringe on one side and a blue one on the other (ClearType):
    // the fringes stay near their luma instead of turning into ink.
    const [, left, stem, right] = gray([white, [255, 170, 90], [0, 0, 0], [90, 170, 255], white]);
    expect(stem).toBe(0);
    expect(left).toBeGreaterThan(150);
    expect(right).toBeGreaterThan(135);
    // Pale tints behind tables and neutral greys keep their level.
    expect(
      gray([
        [218, 233, 248],
        [218, 233, 248],
        [218, 233, 248],
      ])[1],
    ).toBeGreaterThan(200);
    expect(
      gray([
        [128, 128, 128],
        [128, 128, 128],
        [128, 128, 128],
      ])[1],
    ).toBe(128);
    // PNG rows (RGB, palette) take the same conversion.
    const stripe = (x: number): number[] => (x >= 3 && x <= 5 ? orange : white);
    const rgb = decodePng(png({ width: 9, height: 1, colorType: 2, pixel: (x) => stripe(x) }));
    const pal = decodePng(
      png({
        width: 9,
        height: 1,
        colorType: 3,
        palette: [white as [number, number, number], orange as [number, number, number]],
        pixel: (x) => [x >= 3 && x <= 5 ? 1 : 0],
      }),
    );
    expect(rgb.data[4]).toBeLessThan(100);
    expect(pal.data[4]).toBe(rgb.data[4]);
  });

  it('estimates resolution from the page shape and scales to the target', () => {
    const a4at600 = { width: 4960, height: 7016, data: new Uint8Array(0) };
    expect(estimateDpi(a4at600)).toBeGreaterThan(550);
    const small = { width: 800, height: 1100, data: new Uint8Array(800 * 1100).fill(255) };
    expect(prepare(small, 300).width).toBeGreaterThan(1600); // ~95 dpi page: enlarged for OCR
    const receipt = { width: 600, height: 3000, data: new Uint8Array(0) };
    expect(estimateDpi(receipt)).toBeNull();
  });

  it('measures the text line height of a photographed slip lying on a grey table, not of the table', () => {
    // A 400 × 500 slip of 12 px "text lines" every 30 px, on a 700 × 800 photo.
    const slip = (background: number) => {
      const width = 700;
      const height = 800;
      const data = new Uint8Array(width * height).fill(background);
      for (let y = 150; y < 650; y++)
        for (let x = 150; x < 550; x++) {
          const inLine = y >= 170 && y < 630 && (y - 170) % 30 < 12 && x >= 170 && x < 530 && x % 12 < 8;
          data[y * width + x] = inLine ? 30 : 235;
        }
      return { width, height, data };
    };
    expect(textLineHeight(slip(235))).toBe(12);
    expect(textLineHeight(slip(130))).toBe(12);
  });

  it('cuts bands at blank rows, not through text', () => {
    const w = 50;
    const h = 100;
    const data = new Uint8Array(w * h).fill(255);
    // "Text" everywhere except rows 60-63.
    for (let y = 0; y < h; y++) if (y < 60 || y > 63) for (let x = 0; x < w; x += 3) data[y * w + x] = 0;
    const cut = quietRowNear({ width: w, height: h, data }, 50, 20);
    expect(cut).toBeGreaterThanOrEqual(60);
    expect(cut).toBeLessThanOrEqual(63);
  });

  it('cuts in the middle of the widest blank gap, so text on both sides keeps a margin', () => {
    const w = 40;
    const h = 200;
    const data = new Uint8Array(w * h).fill(255);
    // Text lines with a 2-row gap at 96-97 (nearest the target) and a 12-row gap at 120-131.
    for (let y = 0; y < h; y++)
      if (!(y >= 96 && y <= 97) && !(y >= 120 && y <= 131)) for (let x = 0; x < w; x += 4) data[y * w + x] = 0;
    expect(quietRowNear({ width: w, height: h, data }, 100, 40)).toBe(125);
    // Equal gaps: the one nearer the target.
    const even = new Uint8Array(w * h).fill(255);
    for (let y = 0; y < h; y++)
      if (!(y >= 70 && y <= 75) && !(y >= 104 && y <= 109)) for (let x = 0; x < w; x += 4) even[y * w + x] = 0;
    expect(quietRowNear({ width: w, height: h, data: even }, 100, 40)).toBe(106);
  });
});

/**
 * `base` (a single-page tiff() fixture) with a new first IFD: its 9 entries plus `extra` private
 * tags of the given type and count whose values start at the pixel data (offset 8 + IFD size).
 */
function tiffWithTags(base: Uint8Array, extra: number, tag: { type: number; count: number }): Uint8Array {
  const src = Buffer.from(base);
  const n = src.readUInt16LE(8);
  const ifd = Buffer.alloc(2 + (n + extra) * 12 + 4);
  ifd.writeUInt16LE(n + extra, 0);
  src.copy(ifd, 2, 10, 10 + n * 12);
  for (let i = 0; i < extra; i++) {
    const o = 2 + (n + i) * 12;
    ifd.writeUInt16LE(40_000 + i, o);
    ifd.writeUInt16LE(tag.type, o + 2);
    ifd.writeUInt32LE(tag.count, o + 4);
    ifd.writeUInt32LE(8 + 2 + n * 12 + 4, o + 8);
  }
  const out = Buffer.concat([src, ifd]);
  out.writeUInt32LE(src.length, 4);
  return new Uint8Array(out);
}
