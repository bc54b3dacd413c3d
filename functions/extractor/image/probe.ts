/**
 * Image headers, read BEFORE any decoding: a tiny file can claim 50000 × 50000 pixels (a
 * decompression bomb), and decoding it would take gigabytes. Pure byte parsing, no allocation
 * proportional to the claimed size.
 */
import { ExtractionError } from '../errors.ts';

export interface ImageInfo {
  width: number;
  height: number;
  /** Resolution from the file (pHYs, JFIF, TIFF tags), when it states one. */
  dpi?: number;
}

/** Largest raster accepted per page: 600 dpi A3 is ~70 MP; anything above is not a document scan. */
export const MAX_PIXELS = 80_000_000;
/** Longest side accepted (a 1 × 10⁶ strip is as hostile as a square bomb). */
export const MAX_SIDE = 30_000;

export function checkDimensions(info: { width: number; height: number }, what: string): void {
  const { width, height } = info;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ExtractionError(
      'EXTRACTION_FAILED',
      `This ${what} has invalid dimensions (${width} × ${height} pixels); the file is damaged. Export or scan it again.`,
    );
  }
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `This ${what} is ${width} × ${height} pixels, more than the ${Math.round(MAX_PIXELS / 1e6)} megapixels accepted per page. Scan or export it at 300 dpi and upload it again.`,
    );
  }
}

const u16be = (b: Uint8Array, o: number): number => ((b[o]! << 8) | b[o + 1]!) >>> 0;
const u32be = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function damaged(what: string): ExtractionError {
  return new ExtractionError(
    'EXTRACTION_FAILED',
    `This ${what} could not be read; it is probably damaged or incomplete. Export or download it again and upload it.`,
  );
}

export function pngInfo(b: Uint8Array): ImageInfo {
  // Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4).
  if (b.length < 33 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') throw damaged('PNG image');
  const info: ImageInfo = { width: u32be(b, 16), height: u32be(b, 20) };
  // pHYs usually sits before the first IDAT; stop looking there.
  let o = 8;
  while (o + 8 <= b.length) {
    const len = u32be(b, o);
    const type = String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    if (type === 'pHYs' && len >= 9 && o + 17 <= b.length && b[o + 16] === 1) {
      const ppm = u32be(b, o + 8);
      if (ppm > 0) info.dpi = Math.round(ppm * 0.0254);
    }
    if (type === 'IDAT' || type === 'IEND') break;
    o += 12 + len;
  }
  return info;
}

export function jpegInfo(b: Uint8Array): ImageInfo & { components: number; progressive: boolean } {
  let o = 2;
  let dpi: number | undefined;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) {
      o++;
      continue;
    }
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    const len = u16be(b, o + 2);
    if (marker === 0xe0 && len >= 14 && String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!) === 'JFIF') {
      const unit = b[o + 11];
      const xd = u16be(b, o + 12);
      if (xd > 1 && unit === 1) dpi = xd;
      else if (xd > 1 && unit === 2) dpi = Math.round(xd * 2.54);
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 10 > b.length) break;
      return {
        height: u16be(b, o + 5),
        width: u16be(b, o + 7),
        components: b[o + 9]!,
        progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce,
        dpi,
      };
    }
    if (marker === 0xda || marker === 0xd9) break;
    o += 2 + len;
  }
  throw damaged('JPEG image');
}

export interface TiffIfd {
  width: number;
  height: number;
  bitsPerSample: number[];
  samplesPerPixel: number;
  compression: number;
  photometric: number;
  predictor: number;
  fillOrder: number;
  rowsPerStrip: number;
  stripOffsets: number[];
  stripByteCounts: number[];
  planar: number;
  t4Options: number;
  dpi?: number;
  /** Offset of the JPEG tables (compression 7), if any. */
  jpegTables?: Uint8Array;
  colorMap?: number[];
}

/** All pages (IFDs) of a TIFF, header data only; at most `maxPages` are read. */
export function tiffIfds(b: Uint8Array, maxPages: number): { ifds: TiffIfd[]; total: number } {
  if (b.length < 8) throw damaged('TIFF image');
  const le = b[0] === 0x49;
  const u16 = (o: number): number => (o + 2 > b.length ? 0 : le ? b[o]! | (b[o + 1]! << 8) : u16be(b, o));
  const u32 = (o: number): number =>
    o + 4 > b.length ? 0 : le ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0 : u32be(b, o);
  const size = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8];
  const ifds: TiffIfd[] = [];
  let off = u32(4);
  const seen = new Set<number>();
  let total = 0;
  while (off > 0 && off + 2 <= b.length && !seen.has(off)) {
    seen.add(off);
    total++;
    if (total > 10_000) break;
    const n = u16(off);
    if (ifds.length < maxPages) {
      // Values are located here but read only for the tags a page uses, and at most `max` of
      // them: a tag's count is untrusted (a 2 KB file can claim millions of values per tag).
      const where = new Map<number, { type: number; count: number; vo: number }>();
      let jpegTables: Uint8Array | undefined;
      for (let i = 0; i < n && i < 500; i++) {
        const e = off + 2 + i * 12;
        if (e + 12 > b.length) throw damaged('TIFF image');
        const tag = u16(e);
        const type = u16(e + 2);
        const count = u32(e + 4);
        if (!size[type]) continue; // unknown field type: the spec says to skip it
        const sz = size[type]! * count;
        const vo = sz <= 4 ? e + 8 : u32(e + 8);
        // Values past the end of the file cannot exist: the file is corrupt.
        if (vo + sz > b.length) throw damaged('TIFF image');
        if (tag === 347)
          jpegTables = b.subarray(vo, vo + count); // JPEGTables
        else where.set(tag, { type, count, vo });
      }
      const values = (tag: number, max: number): number[] | undefined => {
        const w = where.get(tag);
        if (!w) return undefined;
        const { type, vo } = w;
        const vals: number[] = [];
        for (let k = 0; k < Math.min(w.count, max); k++) {
          if (type === 3) vals.push(u16(vo + 2 * k));
          else if (type === 4) vals.push(u32(vo + 4 * k));
          else if (type === 5) {
            const d = u32(vo + 8 * k + 4);
            vals.push(d ? u32(vo + 8 * k) / d : 0);
          } else if (type === 1 || type === 7) vals.push(b[vo + k] ?? 0);
          else break;
        }
        return vals;
      };
      const one = (t: number, d: number): number => values(t, 1)?.[0] ?? d;
      const height = one(257, 0);
      const res = one(282, 0);
      const unit = one(296, 2);
      const ifd: TiffIfd = {
        width: one(256, 0),
        height,
        bitsPerSample: values(258, 16) ?? [1],
        samplesPerPixel: one(277, 1),
        compression: one(259, 1),
        photometric: one(262, 0),
        predictor: one(317, 1),
        fillOrder: one(266, 1),
        rowsPerStrip: Math.min(one(278, height), height),
        // One strip per row at most: a page never needs more entries than rows (MAX_SIDE).
        stripOffsets: values(273, MAX_SIDE) ?? values(324, MAX_SIDE) ?? [],
        stripByteCounts: values(279, MAX_SIDE) ?? values(325, MAX_SIDE) ?? [],
        planar: one(284, 1),
        t4Options: one(292, 0),
        dpi: res > 1 ? Math.round(unit === 3 ? res * 2.54 : res) : undefined,
        jpegTables,
        colorMap: values(320, 3 * 65536), // 3 × 2^bitsPerSample (≤ 16 bits)
      };
      if (where.has(322)) {
        // Tiled TIFFs: tiles become strips of tile height; handled by the decoder via these fields.
        ifd.rowsPerStrip = -1;
      }
      ifds.push(ifd);
    }
    off = u32(off + 2 + n * 12);
  }
  if (!ifds.length) throw damaged('TIFF image');
  return { ifds, total };
}
