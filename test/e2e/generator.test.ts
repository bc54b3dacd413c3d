/** The generated benchmark set's rendering (bench/generator/render.ts) in Debian's headless Chromium. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDoc } from '../../bench/generator/document.ts';
import { Renderer } from '../../bench/generator/render.ts';
import { closeOcr, extractExpense } from '../../functions/extractor/index.ts';

describe('generated documents rendered in Chromium', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.launch();
  });
  afterAll(async () => {
    await renderer?.close();
    await closeOcr();
  });

  it('give a text-layer PDF that prints the golden values, over several pages when the table is long', async () => {
    // Find a long invoice among the first documents of a seed (about one in eight has 25+ lines).
    const doc = Array.from({ length: 60 }, (_, i) => generateDoc(1, i, 60)).find(
      (d) => d.model.kind === 'invoice' && d.model.lines.length > 40,
    )!;
    const pdf = await renderer.pdf(doc);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const r = await extractExpense(new Uint8Array(pdf));
    expect(r.DocumentMetadata?.Pages).toBeGreaterThan(1);
    const text = (r.Blocks ?? [])
      .filter((b) => b.BlockType === 'LINE')
      .map((b) => b.Text)
      .join('\n');
    expect(text).toContain(String(doc.expected.invoice_id));
    expect(text).toContain(doc.expected.line_items!.at(-1)!.description!);
  });

  it('give a degraded receipt image at the chosen resolution', async () => {
    const doc = Array.from({ length: 40 }, (_, i) => generateDoc(1, 60 + i, 60)).find(
      (d) => d.degradation.jpegQuality === null,
    )!;
    const img = await renderer.image(doc);
    expect(img.ext).toBe('png');
    expect([...img.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // The paper is 58 or 80 mm wide: the image is at least that many inches times the dpi, not much more.
    const widthPx = img.bytes.readUInt32BE(16);
    const paperPx = ((doc.model.kind === 'receipt' ? doc.model.widthMm : 0) / 25.4) * doc.degradation.dpi;
    expect(widthPx).toBeGreaterThanOrEqual(Math.floor(paperPx));
    expect(widthPx).toBeLessThan(paperPx * 1.3 + 2 * doc.degradation.margin);
  });
});
