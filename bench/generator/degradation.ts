/**
 * Scan/photo degradation of a rendered page: resolution, skew, blur, noise, faint thermal print and
 * JPEG artefacts. Chosen per document here; applied in the browser by DEGRADE_SCRIPT on a canvas.
 */
import type { Rng } from './prng.ts';

export interface Degradation {
  dpi: number;
  rotateDeg: number;
  blurPx: number;
  /** Amplitude of per-pixel noise, 0-255. */
  noise: number;
  contrast: number;
  brightness: number;
  /** null: PNG; else JPEG at this quality (0-1). */
  jpegQuality: number | null;
  /** Grey margin around the paper (scanner bed), in px at the output resolution. */
  margin: number;
}

export function chooseDegradation(rng: Rng, kind: 'invoice' | 'receipt'): Degradation {
  const thermal = kind === 'receipt' && rng.chance(0.5);
  // Noise only with JPEG: a noisy PNG is ten times the size of any real scan.
  const jpegQuality = rng.chance(0.55) ? 0.35 + rng.next() * 0.5 : null;
  return {
    dpi: kind === 'receipt' ? rng.pick([150, 200, 200, 300]) : rng.pick([100, 150, 150, 200, 300]),
    rotateDeg: rng.chance(0.6) ? (rng.next() * 1.5 + 0.5) * (rng.chance(0.5) ? -1 : 1) : 0,
    blurPx: rng.chance(0.5) ? rng.next() * 0.9 : 0,
    noise: jpegQuality !== null && rng.chance(0.7) ? rng.int(5, 30) : 0,
    contrast: thermal ? 0.45 + rng.next() * 0.3 : 0.85 + rng.next() * 0.3,
    brightness: thermal ? 1.1 + rng.next() * 0.25 : 0.95 + rng.next() * 0.1,
    jpegQuality,
    margin: kind === 'receipt' && rng.chance(0.5) ? rng.int(10, 60) : 0,
  };
}

/**
 * Runs in the page: (pngBase64, degradation) → base64 of the degraded PNG or JPEG. A string, not a
 * function, so the TypeScript loader cannot inject helpers the page does not have.
 */
export const DEGRADE_SCRIPT = `async ([png, d]) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const rad = d.rotateDeg * Math.PI / 180;
  const w = Math.ceil(img.width * Math.abs(Math.cos(rad)) + img.height * Math.abs(Math.sin(rad))) + 2 * d.margin;
  const h = Math.ceil(img.width * Math.abs(Math.sin(rad)) + img.height * Math.abs(Math.cos(rad))) + 2 * d.margin;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = d.margin ? '#8a8a8a' : '#ffffff';
  ctx.fillRect(0, 0, w, h);
  ctx.filter = 'blur(' + d.blurPx + 'px) contrast(' + d.contrast + ') brightness(' + d.brightness + ')';
  ctx.translate(w / 2, h / 2);
  ctx.rotate(rad);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(-img.width / 2, -img.height / 2, img.width, img.height);
  ctx.drawImage(img, -img.width / 2, -img.height / 2);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  if (d.noise) {
    const data = ctx.getImageData(0, 0, w, h);
    const px = data.data;
    let s = 12345;
    for (let i = 0; i < px.length; i += 4) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const n = ((s >> 8) % (2 * d.noise + 1)) - d.noise;
      px[i] += n; px[i + 1] += n; px[i + 2] += n;
    }
    ctx.putImageData(data, 0, 0);
  }
  const url = d.jpegQuality === null ? canvas.toDataURL('image/png') : canvas.toDataURL('image/jpeg', d.jpegQuality);
  return url.slice(url.indexOf(',') + 1);
}`;
