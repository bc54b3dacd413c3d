/**
 * Printed lines an OCR reading left out, found on synthetic rasters: rows of glyph-like blocks,
 * a dashed rule, a logo, and the boxes of the words a reading returned.
 */
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../functions/extractor/image/gray.ts';
import { type PixelBox, unreadBands } from '../../functions/extractor/image/unread-lines.ts';

const WIDTH = 600;

function page(height: number): GrayImage {
  return { width: WIDTH, height, data: new Uint8Array(WIDTH * height).fill(245) };
}

function fill(img: GrayImage, top: number, bottom: number, left: number, right: number): void {
  for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) img.data[y * img.width + x] = 25;
}

/** A printed line: 14 × 24 px "glyphs" 6 px apart from x = 40 to `right`; returns its box. */
function textLine(img: GrayImage, top: number, right = 500): PixelBox {
  for (let x = 40; x + 14 <= right; x += 20) fill(img, top, top + 24, x, x + 14);
  return { left: 40, top, right, bottom: top + 24 };
}

/** A dashed rule, 2 px thick, across the strip. */
function dashedRule(img: GrayImage, top: number): void {
  for (let x = 20; x < WIDTH - 20; x += 12) fill(img, top, top + 2, x, x + 7);
}

describe('unread text lines', () => {
  it('finds the line under a dashed rule that the reading has no word for, with a margin', () => {
    const img = page(400);
    const read = [textLine(img, 40), textLine(img, 80)];
    dashedRule(img, 130);
    textLine(img, 150); // dropped by the layout pass
    read.push(textLine(img, 200));
    const bands = unreadBands(img, read);
    expect(bands).toEqual([{ top: 138, bottom: 186 }]);
  });

  it('finds nothing when every line was read, and ignores rules, specks and a logo', () => {
    const img = page(500);
    const read = [textLine(img, 40), textLine(img, 80), textLine(img, 120)];
    dashedRule(img, 170);
    fill(img, 200, 220, 300, 306); // a speck: too narrow for a line of text
    fill(img, 260, 380, 200, 400); // a logo: five lines tall
    expect(unreadBands(img, read)).toEqual([]);
  });

  it('finds the part of a line no word covers (amounts at the right), not a line a word only grazes', () => {
    const img = page(300);
    const read = [textLine(img, 40), textLine(img, 80)];
    textLine(img, 120);
    // A word read from the line above whose box reaches 4 px into this one.
    read.push({ left: 40, top: 100, right: 200, bottom: 124 });
    expect(unreadBands(img, read)).toHaveLength(1);
    // Its label read, its amount not.
    read.push({ left: 40, top: 120, right: 400, bottom: 144 });
    expect(unreadBands(img, read)).toEqual([{ top: 108, bottom: 156 }]);
    // All of it read.
    read.push({ left: 400, top: 120, right: 500, bottom: 144 });
    expect(unreadBands(img, read)).toEqual([]);
  });

  it('counts a line read only as doubtful words ("Baie: PE" at 43 and 28 for "Date: 25/04/18") as unread', () => {
    const img = page(300);
    const read = [textLine(img, 40), textLine(img, 80)];
    const doubtful = { ...textLine(img, 120), confidence: 43 };
    read.push(textLine(img, 200));
    expect(unreadBands(img, [...read, doubtful])).toEqual([{ top: 108, bottom: 156 }]);
    expect(unreadBands(img, [...read, { ...doubtful, confidence: 88 }])).toEqual([]);
  });

  it('merges neighbouring unread lines into one band and leaves a page with no reading alone', () => {
    const img = page(300);
    const read = [textLine(img, 20), textLine(img, 60)];
    textLine(img, 110);
    textLine(img, 146);
    read.push(textLine(img, 220));
    expect(unreadBands(img, read)).toEqual([{ top: 98, bottom: 182 }]);
    expect(unreadBands(img, [])).toEqual([]);
  });
});
