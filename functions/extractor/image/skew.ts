/**
 * Deskewing the raster before OCR. A page fed into a scanner at a slant (0.5–3°) has its table
 * rules and text lines at that angle; tesseract's layout analysis then reads ruled cells as noise
 * ("= £ ==] 8"). The angle is found from the image itself: text lines and rules are rows of ink,
 * and summing the ink along lines of the right slope gives the sharpest profile.
 */
import { downscale, type GrayImage } from './gray.ts';
import { inkThreshold } from './text-scale.ts';

/** Angles below this (degrees) are left alone: OCR copes, and resampling blurs a little. */
const MIN_SKEW_DEG = 0.3;
/** Steeper than this is a photo or a rotated page, not a slant (not corrected). */
const MAX_SKEW_DEG = 4;
/** The angle search works on a copy this wide. */
const PROBE_WIDTH = 800;

/** The page's slant in degrees (positive: lines fall to the right), or 0 when too small to matter. */
export function skewAngle(img: GrayImage): number {
  const small = downscale(img, Math.max(1, img.width / PROBE_WIDTH));
  const threshold = inkThreshold(small);
  const ink: number[] = [];
  for (let y = 0; y < small.height; y++)
    for (let x = 0; x < small.width; x++) if (small.data[y * small.width + x]! < threshold) ink.push(x, y);
  if (ink.length < 2000) return 0;
  const cx = small.width / 2;
  const sharpness = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    const rows = new Float64Array(small.height + 2 * Math.ceil(small.width * 0.08) + 2);
    const off = Math.ceil(small.width * 0.08) + 1;
    for (let i = 0; i < ink.length; i += 2) {
      const r = Math.round(ink[i + 1]! - t * (ink[i]! - cx)) + off;
      if (r >= 0 && r < rows.length) rows[r]!++;
    }
    let s = 0;
    for (const v of rows) s += v * v;
    return s;
  };
  let best = 0;
  let bestScore = sharpness(0);
  for (const step of [0.25, 0.05]) {
    const centre = best;
    for (
      let deg = centre - (step === 0.25 ? MAX_SKEW_DEG : 0.25);
      deg <= centre + (step === 0.25 ? MAX_SKEW_DEG : 0.25) + 1e-9;
      deg += step
    ) {
      const score = sharpness(deg);
      if (score > bestScore * 1.0001) {
        bestScore = score;
        best = deg;
      }
    }
  }
  return Math.abs(best) < MIN_SKEW_DEG || Math.abs(best) >= MAX_SKEW_DEG ? 0 : best;
}

/** The image turned by −`deg` about its centre (bilinear; what comes in from outside repeats the edge). */
export function rotate(img: GrayImage, deg: number): GrayImage {
  if (!deg) return img;
  const { width: W, height: H, data } = img;
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = W / 2;
  const cy = H / 2;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const dy = y - cy;
    for (let x = 0; x < W; x++) {
      const dx = x - cx;
      // Source of output pixel (x, y): the slanted page is the upright one turned by +deg.
      const sx = cx + dx * cos - dy * sin;
      const sy = cy + dx * sin + dy * cos;
      // Beyond the edge the edge repeats: a white corner on a grey scanner bed would be an edge
      // of its own for the layout analysis.
      const cxs = Math.min(W - 1.001, Math.max(0, sx));
      const cys = Math.min(H - 1.001, Math.max(0, sy));
      const x0 = Math.floor(cxs);
      const y0 = Math.floor(cys);
      const fx = cxs - x0;
      const fy = cys - y0;
      const i = y0 * W + x0;
      const top = data[i]! * (1 - fx) + data[i + 1]! * fx;
      const bottom = data[i + W]! * (1 - fx) + data[i + W + 1]! * fx;
      out[y * W + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { ...img, data: out };
}
