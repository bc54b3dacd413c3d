/**
 * PNG → greyscale, with node:zlib. Every bit depth and colour type of the spec, Adam7 included.
 * Inflation is capped at exactly the size the (already checked) header implies, so a Flate bomb
 * stops at that size instead of filling memory.
 */
import { inflateSync } from 'node:zlib';
import { ExtractionError } from '../errors.ts';
import { inkGrayRow, type GrayImage } from './gray.ts';
import { checkDimensions, pngInfo } from './probe.ts';

const MAX_INFLATE_CHUNK = 64 * 1024 * 1024;

const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function damaged(detail: string): ExtractionError {
  return new ExtractionError(
    'EXTRACTION_FAILED',
    `This PNG image could not be decoded (${detail}); it is probably damaged. Export it again and upload it.`,
  );
}

export function decodePng(b: Uint8Array): GrayImage {
  const info = pngInfo(b);
  checkDimensions(info, 'PNG image');
  const { width, height } = info;
  const depth = b[24]!;
  const colorType = b[25]!;
  const interlace = b[28]!;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) throw damaged(`colour type ${colorType}, depth ${depth}`);

  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let o = 8;
  while (o + 12 <= b.length) {
    const len = u32(b, o);
    const type = String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    const data = b.subarray(o + 8, Math.min(b.length, o + 8 + len));
    if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  if (!idat.length) throw damaged('no image data');

  const bpp = Math.max(1, (channels * depth) >> 3);
  const passes =
    interlace === 1
      ? [
          [0, 0, 8, 8],
          [4, 0, 8, 8],
          [0, 4, 4, 8],
          [2, 0, 4, 4],
          [0, 2, 2, 4],
          [1, 0, 2, 2],
          [0, 1, 1, 2],
        ]
          .map(([x0, y0, dx, dy]) => ({
            x0: x0!,
            y0: y0!,
            dx: dx!,
            dy: dy!,
            w: Math.ceil((width - x0!) / dx!),
            h: Math.ceil((height - y0!) / dy!),
          }))
          .filter((p) => p.w > 0 && p.h > 0)
      : [{ x0: 0, y0: 0, dx: 1, dy: 1, w: width, h: height }];
  const expected = passes.reduce((s, p) => s + p.h * (1 + Math.ceil((p.w * channels * depth) / 8)), 0);
  let raw: Uint8Array;
  try {
    // Output in one chunk of the expected size where that is reasonable, so zlib need not join
    // chunks of tens of MB afterwards; capped, so a small file declaring huge dimensions cannot
    // make us allocate more up front than it inflates to.
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), {
      maxOutputLength: expected + 1,
      chunkSize: Math.min(MAX_INFLATE_CHUNK, Math.max(64 * 1024, expected + 1)),
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw damaged('more image data than its size allows');
    throw damaged('corrupt compressed data');
  }

  const gray = new Uint8Array(width * height).fill(255);
  // Palette index → RGBA (missing entries white). A grey palette has no colour to pull towards
  // ink: it maps straight to grey levels instead (alpha composited on white).
  let rgba: Uint8Array | undefined;
  let lut: Uint8Array | undefined;
  if (colorType === 3) {
    if (!palette) throw damaged('palette missing');
    rgba = new Uint8Array(256 * 4).fill(255);
    for (let i = 0; i * 3 + 2 < palette.length && i < 256; i++) {
      rgba.set(palette.subarray(i * 3, i * 3 + 3), i * 4);
      rgba[i * 4 + 3] = trns && i < trns.length ? trns[i]! : 255;
    }
    let greyPalette = true;
    for (let i = 0; i < 256 && greyPalette; i++)
      greyPalette = rgba[i * 4] === rgba[i * 4 + 1] && rgba[i * 4] === rgba[i * 4 + 2];
    if (greyPalette) {
      lut = new Uint8Array(256);
      for (let i = 0; i < 256; i++)
        lut[i] = (rgba[i * 4]! * rgba[i * 4 + 3]! + 255 * (255 - rgba[i * 4 + 3]!) + 127) / 255;
      rgba = undefined;
    }
  }
  const row = new Row(width, rgba, lut);

  // Scanlines are unfiltered in place in the inflated buffer (each row needs the previous one
  // unfiltered, which it then is): no per-row copies of what can be tens of MB.
  let pos = 0;
  for (const p of passes) {
    const stride = Math.ceil((p.w * channels * depth) / 8);
    let prev: Uint8Array = new Uint8Array(stride);
    for (let y = 0; y < p.h; y++) {
      if (pos + 1 + stride > raw.length) throw damaged('image data ends early');
      const filter = raw[pos]!;
      const cur = raw.subarray(pos + 1, pos + 1 + stride);
      pos += 1 + stride;
      unfilter(filter, cur, prev, bpp);
      const yy = p.y0 + y * p.dy;
      row.write(gray, yy * width, p.x0, p.dx, p.w, cur, depth, channels);
      prev = cur;
    }
  }
  return { width, height, data: gray, dpi: info.dpi };
}

/** Decoded scanlines into the grey raster, with scratch rows reused across lines (this runs per pixel). */
class Row {
  private readonly grey: Uint8Array;
  private readonly palette: Uint8Array | undefined;
  private readonly lut: Uint8Array | undefined;
  private readonly expanded: Uint8Array | undefined;

  /** `palette`: index → RGBA; `lut`: index → grey, for grey palettes. */
  constructor(width: number, palette: Uint8Array | undefined, lut: Uint8Array | undefined) {
    this.grey = new Uint8Array(width);
    this.palette = palette;
    this.lut = lut;
    this.expanded = palette ? new Uint8Array(width * 4) : undefined;
  }

  write(
    gray: Uint8Array,
    rowOut: number,
    x0: number,
    dx: number,
    w: number,
    cur: Uint8Array,
    depth: number,
    channels: number,
  ): void {
    // A full row (not interlaced) is written straight into the raster; Adam7 passes go via scratch.
    const direct = dx === 1 && x0 === 0;
    const out = direct ? gray.subarray(rowOut, rowOut + w) : this.grey;
    if (this.palette) {
      // Indices (1–8 bits) → RGBA, then the colour conversion.
      const rgba = this.expanded!;
      const maxV = (1 << depth) - 1;
      for (let x = 0; x < w; x++) {
        const s = (depth === 8 ? cur[x]! : (cur[(x * depth) >> 3]! >> (8 - depth - ((x * depth) & 7))) & maxV) * 4;
        const p = this.palette;
        rgba[x * 4] = p[s]!;
        rgba[x * 4 + 1] = p[s + 1]!;
        rgba[x * 4 + 2] = p[s + 2]!;
        rgba[x * 4 + 3] = p[s + 3]!;
      }
      inkGrayRow(rgba, 0, 4, 1, w, true, out);
    } else if (depth < 8 || this.lut) {
      const maxV = (1 << depth) - 1;
      const lut = this.lut;
      for (let x = 0; x < w; x++) {
        const bit = x * depth;
        const s = depth === 8 ? cur[x]! : (cur[bit >> 3]! >> (8 - depth - (bit & 7))) & maxV;
        out[x] = lut ? lut[s]! : (s * 255) / maxV;
      }
    } else {
      const step = depth === 16 ? 2 : 1;
      const px = channels * step;
      if (channels === 1) {
        for (let x = 0, at = 0; x < w; x++, at += px) out[x] = cur[at]!;
      } else if (channels === 2) {
        for (let x = 0, at = 0; x < w; x++, at += px) {
          const a = cur[at + step]!;
          out[x] = (cur[at]! * a + 255 * (255 - a) + 127) / 255;
        }
      } else {
        inkGrayRow(cur, 0, px, step, w, channels === 4, out);
      }
    }
    if (!direct) for (let x = 0; x < w; x++) gray[rowOut + x0 + x * dx] = out[x]!;
  }
}

function unfilter(filter: number, cur: Uint8Array, prev: Uint8Array, bpp: number): void {
  const n = cur.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) cur[i] = cur[i]! + cur[i - bpp]!;
      return;
    case 2:
      for (let i = 0; i < n; i++) cur[i] = cur[i]! + prev[i]!;
      return;
    // Average and Paeth: the first pixel's bytes have no left neighbour, the rest always do.
    case 3:
      for (let i = 0; i < bpp && i < n; i++) cur[i] = cur[i]! + (prev[i]! >> 1);
      for (let i = bpp; i < n; i++) cur[i] = cur[i]! + ((cur[i - bpp]! + prev[i]!) >> 1);
      return;
    case 4:
      for (let i = 0; i < bpp && i < n; i++) cur[i] = cur[i]! + prev[i]!;
      for (let i = bpp; i < n; i++) {
        const a = cur[i - bpp]!;
        const b = prev[i]!;
        const c = prev[i - bpp]!;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        cur[i] = cur[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return;
    default:
      throw damaged(`unknown row filter ${filter}`);
  }
}
