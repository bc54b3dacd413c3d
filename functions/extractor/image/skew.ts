/**
 * Deskewing the raster before OCR. A page fed into a scanner at a slant (0.5–3°) has its table
 * rules and text lines at that angle; tesseract's layout analysis then reads ruled cells as noise
 * ("= £ ==] 8"). The angle is found from the image itself: text lines and rules are rows of ink,
 * and summing the ink along lines of the right slope gives the sharpest profile.
 */
import { bilinearAt, downscale, type GrayImage } from './gray.ts';
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
  const ink = inkPixels(small);
  if (ink.length < 2000) return 0;
  const sharpness = (deg: number): number => rowSharpness(ink, small, deg);
  let best = 0;
  let bestScore = sharpness(0);
  // A coarse pass over the whole range, then a fine one around its best angle.
  for (const { step, span } of SEARCH) {
    const centre = best;
    for (let deg = centre - span; deg <= centre + span + 1e-9; deg += step) {
      const score = sharpness(deg);
      if (score > bestScore * 1.0001) {
        bestScore = score;
        best = deg;
      }
    }
  }
  return Math.abs(best) < MIN_SKEW_DEG || Math.abs(best) >= MAX_SKEW_DEG ? 0 : best;
}

const SEARCH = [
  { step: 0.25, span: MAX_SKEW_DEG },
  { step: 0.05, span: 0.25 },
];

/** Coordinates of the ink pixels, flat: x0, y0, x1, y1, … */
function inkPixels(img: GrayImage): number[] {
  const threshold = inkThreshold(img);
  const ink: number[] = [];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) if (img.data[y * img.width + x]! < threshold) ink.push(x, y);
  return ink;
}

/** Σ (ink per row)², the rows running at `deg`: largest when they follow the printed lines. */
function rowSharpness(ink: readonly number[], img: GrayImage, deg: number): number {
  const t = Math.tan((deg * Math.PI) / 180);
  const cx = img.width / 2;
  // Rows slanted by up to MAX_SKEW_DEG reach this far above and below the image.
  const off = Math.ceil(img.width * 0.08) + 1;
  const rows = new Float64Array(img.height + 2 * off);
  for (let i = 0; i < ink.length; i += 2) {
    const r = Math.round(ink[i + 1]! - t * (ink[i]! - cx)) + off;
    if (r >= 0 && r < rows.length) rows[r]!++;
  }
  let s = 0;
  for (const v of rows) s += v * v;
  return s;
}

/** The image turned by −`deg` about its centre (bilinear; what comes in from outside repeats the edge). */
export function rotate(img: GrayImage, deg: number): GrayImage {
  if (!deg) return img;
  const { width: W, height: H } = img;
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const dy = y - H / 2;
    for (let x = 0; x < W; x++) {
      const dx = x - W / 2;
      // Source of output pixel (x, y): the slanted page is the upright one turned by +deg. Beyond
      // the edge the edge repeats: a white corner on a grey scanner bed would be an edge of its own.
      out[y * W + x] = bilinearAt(img, W / 2 + dx * cos - dy * sin, H / 2 + dx * sin + dy * cos);
    }
  }
  return { ...img, data: out };
}
