/**
 * Scans of uploaded bytes and extracted text against adversarial inputs of growing size: the time
 * at 4n must stay near 4 × the time at n (quadratic work would give 16 ×). Inputs are generated.
 */
import { describe, expect, it } from 'vitest';
import { embeddedFileStreams, ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { sniffEInvoice } from '../../functions/core/einvoice/index.ts';
import { pdfDeclaresEncryption, pdfPageCountHint, sniffFileType } from '../../functions/core/file-type.ts';
import { analyse } from '../../functions/extractor/index.ts';
import { checkFlateStreams } from '../../functions/extractor/pdf-doc.ts';
import { embeddedFilePdf, indirectFiltersPdf, processingInstructionXml } from '../fixtures/hostile.ts';
import { wordPage } from '../fixtures/word-page.ts';
import type { Word } from '../../functions/extractor/types.ts';
import { growsLinearly, fastestMs, fastestMsAsync } from '../support/growth.ts';

const reader = new ScanningEInvoiceReader();
const settle = (p: Promise<unknown>) => p.catch(() => undefined);

function expectLinear(what: string, small: number, large: number): void {
  console.info(`${what}: n ${small.toFixed(1)} ms, 4n ${large.toFixed(1)} ms`);
  expect(
    growsLinearly(small, large),
    `${what} grows super-linearly (${small.toFixed(1)} → ${large.toFixed(1)} ms)`,
  ).toBe(true);
}

/** One line of `n` words, each a run of characters that polynomial patterns scan twice. */
function hostileWords(n: number): Word[] {
  const runs = [',', '\t', '0', '*', 'aa', '#0', '_', 'www.0.-', ':'];
  return Array.from({ length: n }, (_, i) => ({
    text: `${runs[i % runs.length]!.repeat(400)}${i % 2 ? ':' : '!'}`,
    page: 1,
    left: (i % 50) / 50,
    top: 0.1,
    width: 0.01,
    height: 0.01,
    baseline: 0.11,
    fontSize: 9,
    confidence: 99,
  }));
}

describe('no super-linear work on untrusted bytes', () => {
  it('the e-invoice sniff reads a run of processing instructions in one pass (28 took 15 s, doubling each)', () => {
    const started = performance.now();
    expect(sniffEInvoice(processingInstructionXml(28))).toBeNull();
    expect(sniffEInvoice(processingInstructionXml(1600))).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
    // A prolog of comments and instructions before a real root is still skipped.
    expect(sniffEInvoice(`<?xml version="1.0"?><!-- a --><?pi x?>\n<rsm:CrossIndustryInvoice xmlns:rsm="x">`)).toBe(
      'cii',
    );
  });

  it('an uploaded XML and a PDF embedding it are refused in linear time', async () => {
    for (const [what, make] of [
      ['XML', (n: number) => new Uint8Array(Buffer.from(processingInstructionXml(n)))],
      ['PDF-embedded XML', (n: number) => embeddedFilePdf(processingInstructionXml(n))],
    ] as const) {
      const small = make(40_000);
      const large = make(160_000);
      expectLinear(
        what,
        await fastestMsAsync(() => settle(reader.read(small))),
        await fastestMsAsync(() => settle(reader.read(large))),
      );
    }
  });

  it('the e-invoice XML pre-checks and parser are linear in hostile markup', async () => {
    const root =
      '<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">';
    const markups: [string, (n: number) => string][] = [
      ['elements', (n) => `${root}${'<a>x</a>'.repeat(n)}</rsm:CrossIndustryInvoice>`],
      ['unclosed tags', (n) => `${root}${'<'.repeat(n)}`],
      ['entities', (n) => `${root}<a>${'&amp;'.repeat(n)}</a></rsm:CrossIndustryInvoice>`],
      ['unclosed attributes', (n) => `${root}${'<a b="'.repeat(n)}`],
    ];
    for (const [what, make] of markups) {
      const small = new Uint8Array(Buffer.from(make(40_000)));
      const large = new Uint8Array(Buffer.from(make(160_000)));
      expectLinear(
        `XML ${what}`,
        await fastestMsAsync(() => settle(reader.read(small))),
        await fastestMsAsync(() => settle(reader.read(large))),
      );
    }
  });

  it('the bomb pre-check resolves indirect /Filter references from one index (14,000 took 34 s)', () => {
    const small = indirectFiltersPdf(3_500);
    const large = indirectFiltersPdf(14_000);
    expectLinear(
      'indirect filters',
      fastestMs(() => checkFlateStreams(small)),
      fastestMs(() => checkFlateStreams(large)),
    );
  });

  it('the PDF scans find each stream end and embedded file in one pass (80,000 unended streams took 10 s)', () => {
    const files: [string, (n: number) => string][] = [
      ['stream keywords without an end', (n) => `%PDF-1.4\n${'stream\r'.repeat(n)}`],
      [
        'embedded-file streams',
        (n) => `%PDF-1.4\n${'1 0 obj << /Type /EmbeddedFile /Length 1 >>\nstream\nx'.repeat(n)}`,
      ],
      ['unbalanced dictionaries', (n) => `%PDF-1.4\n${'<< /A ('.repeat(n)}>>\nstream\n`],
    ];
    for (const [what, make] of files) {
      const small = new Uint8Array(Buffer.from(make(20_000), 'latin1'));
      const large = new Uint8Array(Buffer.from(make(80_000), 'latin1'));
      const scan = (b: Uint8Array) => {
        embeddedFileStreams(b);
        try {
          checkFlateStreams(b);
        } catch {
          /* a refusal is an answer too */
        }
      };
      expectLinear(
        what,
        fastestMs(() => scan(small)),
        fastestMs(() => scan(large)),
      );
    }
  });

  it('file sniffing and PDF hints are linear', () => {
    const small = indirectFiltersPdf(3_500);
    const large = indirectFiltersPdf(14_000);
    const scan = (b: Uint8Array) => [sniffFileType(b.subarray(0, 4096)), pdfPageCountHint(b), pdfDeclaresEncryption(b)];
    expectLinear(
      'sniffing',
      fastestMs(() => scan(small)),
      fastestMs(() => scan(large)),
    );
  });

  it('the extractor rules read long hostile words and lines in linear time', () => {
    const small = [wordPage(hostileWords(1000))];
    const large = [wordPage(hostileWords(4000))];
    analyse(small); // warm the JIT: the first runs would count compilation as work
    analyse(large);
    expectLinear(
      'rules over hostile words',
      fastestMs(() => analyse(small)),
      fastestMs(() => analyse(large)),
    );
  });
});
