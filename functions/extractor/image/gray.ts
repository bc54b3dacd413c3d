/**
 * 8-bit greyscale raster: what every image source (PNG, JPEG, TIFF, scanned-PDF page) is turned
 * into before OCR. Greyscale is a third of RGB's memory and all that OCR needs.
 */

export interface GrayImage {
  width: number;
  height: number;
  /** width × height bytes, row-major, 0 = black. */
  data: Uint8Array;
  /** Resolution when the file says so (PNG pHYs, TIFF, JPEG JFIF, PDF page size); else undefined. */
  dpi?: number;
}

/** Ink grey (see inkGrayRow) of interleaved 8-bit samples with `channels` = 1..4 (alpha composited on white). */
export function toGray(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: number,
): Uint8Array {
  const n = width * height;
  if (channels === 1) return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, n);
  const out = new Uint8Array(n);
  if (channels === 2) {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const a = data[j + 1]!;
      out[i] = (data[j]! * a + 255 * (255 - a) + 127) / 255;
    }
    return out;
  }
  const row = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    inkGrayRow(data, y * width * channels, channels, 1, width, channels === 4, row);
    out.set(row, y * width);
  }
  return out;
}

/**
 * One row of interleaved RGB(A) samples → grey for OCR. Plain luma (BT.601) turns coloured text
 * on white (orange headings, red totals, blue links: luma ≈ 150–170) into something Otsu
 * thresholds to paper. So luma is pulled down by half the colourfulness of the pixel's
 * neighbourhood (luma − darkest channel of the 3-pixel horizontal mean): solid colour darkens
 * like ink, neutral greys keep their luma, and sub-pixel anti-aliasing fringes (orange on one
 * side of a stroke, blue on the other) average out to grey instead of thickening every glyph.
 * `pixelStride`/`sampleStride` in array elements (16-bit PNG samples: high bytes only);
 * alpha is composited on white.
 */
export function inkGrayRow(
  src: ArrayLike<number>,
  offset: number,
  pixelStride: number,
  sampleStride: number,
  n: number,
  hasAlpha: boolean,
  out: Uint8Array,
): void {
  const g = sampleStride;
  const b = 2 * sampleStride;
  // Channel sums of the window [x-1, x+1] (edges repeat the edge pixel), slid along the row.
  let pr = src[offset]!,
    pg = src[offset + g]!,
    pb = src[offset + b]!;
  let cr = pr,
    cg = pg,
    cb = pb;
  for (let x = 0; x < n; x++) {
    const i = offset + x * pixelStride;
    const j = x < n - 1 ? i + pixelStride : i;
    const nr = src[j]!,
      ng = src[j + g]!,
      nb = src[j + b]!;
    const mr = pr + cr + nr;
    const mg = pg + cg + ng;
    const mb = pb + cb + nb;
    let v = (cr * 77 + cg * 150 + cb * 29) >> 8;
    // A neutral neighbourhood (paper, black text: most pixels) has nothing to pull.
    if (mr !== mg || mg !== mb) {
      const darkest = mr < mg ? Math.min(mr, mb) : Math.min(mg, mb);
      // (mean luma − mean darkest) / 2 from sums of three: ÷ (256 · 3 · 2) ≈ × 683 >> 20, in integers.
      v -= ((mr * 77 + mg * 150 + mb * 29 - darkest * 256) * 683) >> 20;
      if (v < 0) v = 0;
    }
    if (hasAlpha) {
      const a = src[i + 3 * sampleStride]!;
      v = ((v * a + 255 * (255 - a) + 127) / 255) | 0;
    }
    out[x] = v;
    pr = cr;
    pg = cg;
    pb = cb;
    cr = nr;
    cg = ng;
    cb = nb;
  }
}

/** Area-average downscale by a factor ≥ 1 (box filter: keeps thin strokes legible). */
export function downscale(img: GrayImage, factor: number): GrayImage {
  if (factor <= 1.0001) return img;
  const w = Math.max(1, Math.round(img.width / factor));
  const h = Math.max(1, Math.round(img.height / factor));
  const sx = img.width / w;
  const sy = img.height / h;
  const out = new Uint8Array(w * h);
  // Horizontal pass into a float row per destination column band, then vertical accumulation.
  const colStart = new Int32Array(w + 1);
  for (let x = 0; x <= w; x++) colStart[x] = Math.min(img.width, Math.round(x * sx));
  const acc = new Float64Array(w);
  for (let y = 0; y < h; y++) {
    const y0 = Math.min(img.height - 1, Math.floor(y * sy));
    const y1 = Math.max(y0 + 1, Math.min(img.height, Math.round((y + 1) * sy)));
    acc.fill(0);
    for (let yy = y0; yy < y1; yy++) {
      const row = yy * img.width;
      for (let x = 0; x < w; x++) {
        let s = 0;
        const a = colStart[x]!;
        const b = Math.max(a + 1, colStart[x + 1]!);
        for (let xx = a; xx < b; xx++) s += img.data[row + xx]!;
        acc[x]! += s / (b - a);
      }
    }
    const rows = y1 - y0;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = acc[x]! / rows;
  }
  return { width: w, height: h, data: out, dpi: img.dpi ? img.dpi / factor : undefined };
}

/** Bilinear upscale by a factor > 1 (small, low-resolution images: OCR needs ~20 px x-height). */
export function upscale(img: GrayImage, factor: number): GrayImage {
  if (factor <= 1.0001) return img;
  const w = Math.round(img.width * factor);
  const h = Math.round(img.height * factor);
  const out = new Uint8Array(w * h);
  // The same arithmetic as bilinearAt, with each column's and row's neighbours and weights worked
  // out once, and each source row interpolated across once (output rows share them): a page has
  // millions of pixels.
  const cols = axisSamples(w, img.width, factor);
  const rows = axisSamples(h, img.height, factor);
  const across = (r: number, into: Float64Array): void => {
    const row = r * img.width;
    for (let x = 0; x < w; x++) {
      const fx = cols.frac[x]!;
      into[x] = img.data[row + cols.lo[x]!]! * (1 - fx) + img.data[row + cols.hi[x]!]! * fx;
    }
  };
  let upper = new Float64Array(w);
  let lower = new Float64Array(w);
  let upperRow = -1;
  let lowerRow = -1;
  for (let y = 0; y < h; y++) {
    const r0 = rows.lo[y]!;
    const r1 = rows.hi[y]!;
    if (r0 === lowerRow && r0 !== upperRow) {
      // Moved down a source row: the lower one becomes the upper one.
      const t = upper;
      upper = lower;
      lower = t;
      upperRow = r0;
      lowerRow = -1;
    }
    if (r0 !== upperRow) {
      across(r0, upper);
      upperRow = r0;
    }
    if (r1 !== lowerRow) {
      across(r1, lower);
      lowerRow = r1;
    }
    const fy = rows.frac[y]!;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = upper[x]! * (1 - fy) + lower[x]! * fy;
  }
  return { width: w, height: h, data: out, dpi: img.dpi ? img.dpi * factor : undefined };
}

/** For each of `n` output positions along one axis, its two source neighbours and the weight of the second. */
function axisSamples(n: number, size: number, factor: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const frac = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.min(size - 1, Math.max(0, (i + 0.5) / factor - 0.5));
    lo[i] = Math.floor(c);
    hi[i] = Math.min(size - 1, lo[i]! + 1);
    frac[i] = c - lo[i]!;
  }
  return { lo, hi, frac };
}

/** The grey at a fractional position, interpolated from its four neighbours; outside, the edge repeats. */
export function bilinearAt(img: GrayImage, sx: number, sy: number): number {
  const W = img.width;
  const H = img.height;
  const cx = Math.min(W - 1, Math.max(0, sx));
  const cy = Math.min(H - 1, Math.max(0, sy));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(W - 1, x0 + 1);
  const y1 = Math.min(H - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const a = img.data[y0 * W + x0]! * (1 - fx) + img.data[y0 * W + x1]! * fx;
  const b = img.data[y1 * W + x0]! * (1 - fx) + img.data[y1 * W + x1]! * fx;
  return a * (1 - fy) + b * fy;
}

/** Binary PGM ("P5"): the simplest format Leptonica (inside tesseract.js) reads. */
export function toPgm(img: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data.subarray(0, img.width * img.height), header.length);
  return out;
}

/** Rows [top, bottom) as their own image. */
export function crop(img: GrayImage, top: number, bottom: number): GrayImage {
  return {
    width: img.width,
    height: bottom - top,
    data: img.data.subarray(top * img.width, bottom * img.width),
    dpi: img.dpi,
  };
}

/**
 * Where a page can be cut into bands for parallel OCR without slicing through a text line: within
 * ±`window` rows of `at`, the middle of the widest run of the least-inked rows (normally the
 * widest blank gap between two lines). The middle, so that the text on both sides keeps a white
 * margin: OCR misreads glyphs that touch the image edge.
 */
export function quietRowNear(img: GrayImage, at: number, window: number): number {
  const { width, height, data } = img;
  const from = Math.max(1, Math.floor(at - window));
  const to = Math.min(height - 1, Math.ceil(at + window));
  if (to <= from) return Math.round(at);
  const step = width > 2000 ? 2 : 1;
  const ink = new Int32Array(to - from);
  let least = Infinity;
  for (let y = from; y < to; y++) {
    let n = 0;
    const row = y * width;
    for (let x = 0; x < width; x += step) if (data[row + x]! < 128) n++;
    ink[y - from] = n;
    if (n < least) least = n;
  }
  let best = Math.round(at);
  let bestRun = 0;
  let bestDist = Infinity;
  for (let i = 0; i < ink.length; ) {
    if (ink[i] !== least) {
      i++;
      continue;
    }
    let j = i;
    while (j < ink.length && ink[j] === least) j++;
    const middle = from + Math.floor((i + j - 1) / 2);
    const dist = Math.abs(middle - at);
    if (j - i > bestRun || (j - i === bestRun && dist < bestDist)) {
      best = middle;
      bestRun = j - i;
      bestDist = dist;
    }
    i = j;
  }
  return best;
}
