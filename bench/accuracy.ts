/**
 * `npm run bench:accuracy`: per-field accuracy (docs/design.md §7.2, test/support/score.ts) of the offline
 * extractor + shared normaliser, per set, with ms per page (median), each next to a baseline
 * measured in the same run:
 *   - text-layer PDFs, ZUGFeRD visual, facturx-dev, receipts-dev and the generated sets: a naive
 *     regex-over-flat-text extractor (on OCR sets it reads the same OCR lines, so OCR runs once);
 *   - PNG renderings (OCR): the text-layer path on the same documents' PDFs;
 *   - ZUGFeRD e-invoice path: the visual path on the same PDFs;
 *   - Textract source images (OCR): Amazon Textract's recorded response for the same image.
 * The generated sets (bench/generator/, rendered on first use) are reported in two fixed halves:
 * `tune` to tune on, `holdout` to check that tuning generalises. Then a reliability table: fields
 * binned by the payload's confidence against how often they were right.
 *
 * Options: --set=a,b (names below), --limit N (documents per set, per half), --ocr-limit N (the same,
 * generated OCR sets only), --verbose (per-document
 * misses), --markdown <file>. Env BENCH_TIMES=1 prints each document's timed passes (stderr),
 * BENCH_PASSES sets their number on text-layer sets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { AnalyzeExpenseResult } from '../functions/core/analyze-expense.ts';
import { normaliseExpense } from '../functions/core/normalise/index.ts';
import { ScanningEInvoiceReader } from '../functions/adapters/pdf-embedded-xml.ts';
import { closeOcr } from '../functions/extractor/index.ts';
import { docs, generatedDocs, type Doc } from './accuracy/corpus.ts';
import { markdownReport } from './accuracy/markdown.ts';
import { jsonLine, markdown, misses, table, type SetResult } from './accuracy/output.ts';
import { naive, naiveOf, visual } from './accuracy/readers.ts';
import { formatReliability, reliability } from './accuracy/reliability.ts';
import { runSet, warmUp } from './accuracy/run.ts';
import { ensureGeneratedSet } from './generator/set.ts';
import { CORPUS_DIR } from './lib/paths.ts';
import type { Actual } from '../test/support/score.ts';
import { summarise } from '../test/support/score.ts';

export const SET_NAMES = [
  'pdf',
  'zugferd',
  'einvoice',
  'png',
  'textract',
  'facturx-dev',
  'receipts-dev',
  'generated-pdf',
  'generated-image',
  'generated-receipts',
] as const;

const INV = resolve(CORPUS_DIR, 'invoices');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const mdIdx = args.indexOf('--markdown');
const markdownFile = mdIdx >= 0 ? args[mdIdx + 1] : undefined;
const only = args.find((a) => a.startsWith('--set='))?.slice(6);
const limitIdx = args.indexOf('--limit');
const limit = limitIdx >= 0 ? Number(args[limitIdx + 1]) : Infinity;
const ocrLimitIdx = args.indexOf('--ocr-limit');
/** Documents per half of the generated OCR sets (a full OCR run of 330 images takes most of an hour here). */
const ocrLimit = ocrLimitIdx >= 0 ? Number(args[ocrLimitIdx + 1]) : Infinity;
const TIMED_PASSES = Number(process.env.BENCH_PASSES ?? 3);
/** OCR is slow: OCR sets are read once, the baseline derived from the same reading. */
const OCR_PASSES = 1;

const want = (n: string): boolean => !only || only.split(',').includes(n);
const cap = (list: Doc[]): Doc[] => list.slice(0, limit);

/** A set read by the extractor, with the naive baseline over the same reading. */
async function withNaive(name: string, list: Doc[], passes: number): Promise<SetResult> {
  const run = await runSet(list, visual, passes, naiveOf);
  return {
    name,
    docs: list.length,
    main: run,
    baseline: { name: 'naive regex, same text', run: { ...run.derived, msPerPage: [] } },
  };
}

async function corpusSets(sets: SetResult[]): Promise<void> {
  const i2dPdf = cap(docs(resolve(INV, 'invoice2data'), /\.pdf$/, (f) => f.replace(/\.pdf$/, '.expected.json')));
  const i2dPng = cap(docs(resolve(INV, 'invoice2data'), /\.png$/, (f) => f.replace(/\.png$/, '.expected.json')));
  const zug = cap(docs(resolve(INV, 'zugferd'), /\.pdf$/, (f) => f.replace(/\.pdf$/, '.expected.json')));
  const tx = cap(
    docs(resolve(CORPUS_DIR, 'textract'), /\.source\.(?:png|jpe?g|tiff?)$/, (f) =>
      f.replace(/\.source\.\w+$/, '.expected.json'),
    ),
  );
  const pdfOf = (list: Doc[]): Doc[] => list.map((d) => ({ ...d, file: d.file.replace(/\.png$/, '.pdf') }));

  if (want('pdf')) {
    await warmUp(i2dPdf, visual);
    sets.push({
      name: 'invoice2data PDF (text layer)',
      docs: i2dPdf.length,
      main: await runSet(i2dPdf, visual, TIMED_PASSES),
      baseline: { name: 'naive regex', run: await runSet(i2dPdf, naive, TIMED_PASSES) },
    });
  }
  if (want('zugferd')) {
    await warmUp(zug, visual);
    sets.push({
      name: 'ZUGFeRD PDF, visual (XML ignored)',
      docs: zug.length,
      main: await runSet(zug, visual, TIMED_PASSES),
      baseline: { name: 'naive regex', run: await runSet(zug, naive, TIMED_PASSES) },
    });
  }
  if (want('einvoice')) {
    // The reader the pipeline ships (locally and on AWS), not the extractor's pdf.js path.
    const reader = new ScanningEInvoiceReader();
    await warmUp(zug, (b) => reader.read(b));
    const einv = await runSet(
      zug,
      async (bytes) => {
        const d = await reader.read(bytes);
        if (!d) throw new Error('no e-invoice found');
        return { data: d as unknown as Actual, pages: d.page_count ?? 1 };
      },
      TIMED_PASSES,
    );
    sets.push({
      name: 'ZUGFeRD PDF, e-invoice XML',
      docs: zug.length,
      main: einv,
      baseline: { name: 'visual path', run: await runSet(zug, visual, TIMED_PASSES) },
    });
  }
  if (want('png')) {
    // OCR: one warm-up image starts the worker pool; the text-layer baseline is warmed too.
    await warmUp(i2dPng.slice(0, 1), visual);
    await warmUp(pdfOf(i2dPng), visual);
    const ocr = await runSet(i2dPng, visual, TIMED_PASSES);
    sets.push({
      name: 'invoice2data PNG (OCR)',
      docs: i2dPng.length,
      main: ocr,
      baseline: { name: 'text layer, same docs', run: await runSet(pdfOf(i2dPng), visual, TIMED_PASSES) },
    });
  }
  if (want('textract')) {
    const ocr = await runSet(tx, visual, TIMED_PASSES);
    const textract = await runSet(
      tx,
      async (_bytes, d) => {
        const r = JSON.parse(readFileSync(d.file.replace(/\.source\.\w+$/, '.json'), 'utf8')) as AnalyzeExpenseResult;
        return { data: normaliseExpense(r) as unknown as Actual, pages: 1 };
      },
      1,
    );
    // Textract's time is not ours to measure: report its accuracy only.
    textract.msPerPage = [];
    sets.push({
      name: 'Textract corpus images (OCR)',
      docs: tx.length,
      main: ocr,
      baseline: { name: 'Amazon Textract (recorded)', run: textract },
    });
  }
}

async function devSets(sets: SetResult[]): Promise<void> {
  if (want('facturx-dev')) {
    const fx = cap(docs(resolve(CORPUS_DIR, 'facturx-dev'), /\.pdf$/, (f) => f.replace(/\.pdf$/, '.expected.json')));
    await warmUp(fx, visual);
    sets.push(await withNaive('facturx-dev, visual (scored against the embedded XML)', fx, TIMED_PASSES));
  }
  if (want('receipts-dev')) {
    const rc = cap(
      docs(resolve(CORPUS_DIR, 'receipts-dev'), /\.jpe?g$/, (f) => f.replace(/\.jpe?g$/, '.expected.json')),
    );
    await warmUp(rc.slice(0, 1), visual);
    sets.push(await withNaive('receipts-dev (OCR)', rc, OCR_PASSES));
  }
}

async function generatedSets(sets: SetResult[]): Promise<void> {
  const kinds = [
    { name: 'generated-pdf', kind: 'invoice', form: 'pdf', label: 'text layer', passes: TIMED_PASSES },
    { name: 'generated-image', kind: 'invoice', form: 'image', label: 'degraded image, OCR', passes: OCR_PASSES },
    { name: 'generated-receipts', kind: 'receipt', form: 'image', label: 'degraded image, OCR', passes: OCR_PASSES },
  ] as const;
  if (!kinds.some((k) => want(k.name))) return;
  const { dir, manifest } = await ensureGeneratedSet({ log: (m) => console.error(m) });
  for (const k of kinds.filter((k) => want(k.name))) {
    for (const split of ['tune', 'holdout'] as const) {
      const list = cap(generatedDocs(dir, manifest, k.kind, k.form, split)).slice(
        0,
        k.form === 'image' ? ocrLimit : Infinity,
      );
      await warmUp(list.slice(0, 1), visual);
      sets.push(await withNaive(`${k.name} [${split}] (${k.label})`, list, k.passes));
    }
  }
}

function report(sets: SetResult[]): void {
  const out: string[] = [];
  for (const s of sets) {
    const a = summarise(s.main.scores);
    const b = s.baseline ? summarise(s.baseline.run.scores) : null;
    out.push(table(s, a, b));
    if (verbose) out.push(...misses(s.main));
    for (const f of s.main.failures) out.push(`  FAILED ${f}`);
  }
  const pooled = reliability(sets.flatMap((s) => s.main.perDoc));
  out.push(
    formatReliability(`Reliability — all ${sets.length} sets above, extractor fields binned by confidence`, pooled),
  );
  for (const s of sets) {
    const high = reliability(s.main.perDoc).at(-1)!;
    out.push(
      `  ${s.name}: ≥ 0.9 → ${high.n ? `${high.right}/${high.n} ${(high.accuracy * 100).toFixed(1)}%` : 'none'}`,
    );
  }
  console.log(out.join('\n\n'));
  for (const s of sets)
    console.log(jsonLine(s, summarise(s.main.scores), s.baseline ? summarise(s.baseline.run.scores) : null));
  for (const s of [{ name: 'all', main: { perDoc: sets.flatMap((x) => x.main.perDoc) } }, ...sets]) {
    for (const b of reliability(s.main.perDoc))
      console.log(
        JSON.stringify({
          reliability: s.name,
          bin: b.label,
          n: b.n,
          right: b.right,
          accuracy: Math.round(b.accuracy * 1000) / 1000,
        }),
      );
  }
}

async function main(): Promise<void> {
  // Other jobs on the machine slow every timing here: the load at the start goes into the notes.
  const loadAtStart = loadavg()[0]!;
  const unknown = only?.split(',').filter((n) => !(SET_NAMES as readonly string[]).includes(n)) ?? [];
  if (unknown.length) throw new Error(`unknown set(s) ${unknown.join(', ')}; known: ${SET_NAMES.join(', ')}`);
  const sets: SetResult[] = [];
  await corpusSets(sets);
  await devSets(sets);
  await generatedSets(sets);
  await closeOcr();
  report(sets);
  if (markdownFile) {
    const sections = sets.map((s) =>
      markdown(s, summarise(s.main.scores), s.baseline ? summarise(s.baseline.run.scores) : null),
    );
    writeFileSync(
      markdownFile,
      markdownReport({ markdownFile, cpus: availableParallelism(), loadAtStart, passes: TIMED_PASSES }, sections),
    );
  }
}

main().catch(async (e) => {
  console.error(e);
  await closeOcr();
  process.exit(1);
});
