/**
 * The slant of a scanned page, found from its rows of ink and turned back before OCR, on
 * synthetic rasters: bars of "text" and table rules drawn at a known angle.
 */
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../functions/extractor/image/gray.ts';
import { rotate, skewAngle } from '../../functions/extractor/image/skew.ts';

/** A 1200 × 1600 page of text-like bars (dashed, 12 px tall) every 40 px, slanted by `deg`. */
function slantedPage(deg: number): GrayImage {
  const width = 1200;
  const height = 1600;
  const data = new Uint8Array(width * height).fill(250);
  const t = Math.tan((deg * Math.PI) / 180);
  for (let y = 0; y < height; y++)
    for (let x = 100; x < width - 100; x++) {
      const level = y - t * (x - width / 2);
      const inLine = level > 100 && level < height - 100 && level % 40 < 12;
      const inWord = x % 90 < 70;
      if (inLine && inWord) data[y * width + x] = 20;
    }
  return { width, height, data };
}

/** Ink rows of a page: how sharply its ink concentrates in rows (1 = all in a few rows). */
function rowSharpness(img: GrayImage): number {
  const rows = new Float64Array(img.height);
  let total = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[y * img.width + x]! < 128) {
        rows[y]!++;
        total++;
      }
  let sq = 0;
  for (const r of rows) sq += r * r;
  return sq / (total * total);
}

describe('page slant', () => {
  it('is found from the rows of ink, either way', () => {
    expect(skewAngle(slantedPage(1.5))).toBeCloseTo(1.5, 1);
    expect(skewAngle(slantedPage(-2.2))).toBeCloseTo(-2.2, 1);
  });

  it('is 0 for a level page, a slant too small to matter, and a page with too little ink', () => {
    expect(skewAngle(slantedPage(0))).toBe(0);
    expect(skewAngle(slantedPage(0.1))).toBe(0);
    expect(skewAngle({ width: 800, height: 800, data: new Uint8Array(640_000).fill(255) })).toBe(0);
  });

  it('turned back, leaves the ink in level rows again', () => {
    const page = slantedPage(1.5);
    const level = rotate(page, skewAngle(page));
    expect(rowSharpness(level)).toBeGreaterThan(2 * rowSharpness(page));
    expect(rowSharpness(level)).toBeGreaterThan(0.8 * rowSharpness(slantedPage(0)));
    // What turns in from outside the page repeats its edge (paper here).
    expect(level.data[0]).toBe(250);
    expect(rotate(page, 0)).toBe(page);
  });
});
