/**
 * `npm run bench:accuracy`: per-field accuracy (docs/design.md §7.2, bench/lib/score.ts) of the offline
 * extractor + shared normaliser on the corpus, per set, with ms per page (median), each next to a
 * baseline measured in the same run:
 *   - text-layer PDFs and ZUGFeRD visual: a naive regex-over-flat-text extractor;
 *   - PNG renderings (OCR): the text-layer path on the same documents' PDFs;
 *   - ZUGFeRD e-invoice path: the visual path on the same PDFs;
 *   - Textract source images (OCR): Amazon Textract's recorded response for the same image.
 * Prints a table and one JSON line per set. `--markdown <file>` also writes the tables as Markdown;
 * env BENCH_TIMES=1 prints each document's timed passes (stderr), BENCH_PASSES sets their number.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, resolve } from 'node:path';
import type { AnalyzeExpenseResult } from '../functions/core/analyze-expense.ts';
import { DocumentData } from '../functions/core/events.ts';
import { normaliseExpense } from '../functions/core/normalise/index.ts';
import { ScanningEInvoiceReader } from '../functions/adapters/pdf-embedded-xml.ts';
import { closeOcr, extractExpense } from '../functions/extractor/index.ts';
import { naiveExtract } from './lib/naive.ts';
import { CORPUS_DIR, requireCorpusDir } from './lib/paths.ts';
import { median } from './lib/report.ts';
import { scoreDocument, summarise, type Actual, type DocScore, type Expected, type Summary } from './lib/score.ts';

interface Doc { file: string; expected: Expected }
interface Run { scores: DocScore[]; msPerPage: number[]; failures: string[]; perDoc: { file: string; score: DocScore }[] }
interface SetResult { name: string; docs: number; main: Run; baseline?: { name: string; run: Run } }

const INV = resolve(CORPUS_DIR, 'invoices');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const mdIdx = args.indexOf('--markdown');
const markdownFile = mdIdx >= 0 ? args[mdIdx + 1] : undefined;
const only = args.find((a) => a.startsWith('--set='))?.slice(6);

function docs(dir: string, ext: RegExp, expectedOf: (f: string) => string): Doc[] {
  return readdirSync(requireCorpusDir(dir)).filter((f) => ext.test(f)).sort().flatMap((f) => {
    const exp = resolve(dir, expectedOf(f));
    return existsSync(exp) ? [{ file: resolve(dir, f), expected: JSON.parse(readFileSync(exp, 'utf8')) as Expected }] : [];
  });
}

/** Untimed pass first, so times are steady-state (module load, pdfjs font caches, OCR worker start). */
async function warmUp(list: Doc[], fn: (bytes: Uint8Array, d: Doc) => Promise<unknown>): Promise<void> {
  for (const d of list) await fn(new Uint8Array(readFileSync(d.file)), d).catch(() => undefined);
}

/**
 * Each document is read TIMED_PASSES times: its time is the median of its passes (one stall of
 * this shared VM does not decide a document's time), its score that of the first pass (reading is
 * deterministic). The set's figure is then the median over documents.
 */
const TIMED_PASSES = Number(process.env.BENCH_PASSES ?? 3);

async function runSet(list: Doc[], fn: (bytes: Uint8Array, d: Doc) => Promise<{ data: Actual; pages: number }>): Promise<Run> {
  const run: Run = { scores: [], msPerPage: [], failures: [], perDoc: [] };
  for (const d of list) {
    const bytes = new Uint8Array(readFileSync(d.file));
    const times: number[] = [];
    let data: Actual = { line_items: [] };
    for (let pass = 0; pass < TIMED_PASSES; pass++) {
      const t0 = performance.now();
      let pages = 1;
      try {
        const r = await fn(bytes, d);
        if (pass === 0) data = r.data;
        pages = Math.max(1, r.pages);
      } catch (e) {
        if (pass === 0) run.failures.push(`${basename(d.file)}: ${(e as Error).message}`);
      }
      times.push((performance.now() - t0) / pages);
    }
    run.msPerPage.push(median(times));
    if (process.env.BENCH_TIMES) console.error(basename(d.file), times.map(Math.round).join(' '));
    const score = scoreDocument(d.expected, data);
    run.scores.push(score);
    run.perDoc.push({ file: basename(d.file), score });
  }
  return run;
}

async function visual(bytes: Uint8Array): Promise<{ data: Actual; pages: number; lines: string[] }> {
  const r = await extractExpense(bytes);
  const data = normaliseExpense(r, { source: 'local' });
  const parsed = DocumentData.safeParse(data);
  if (!parsed.success) throw new Error(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const lines = (r.Blocks ?? []).filter((b) => b.BlockType === 'LINE').map((b) => b.Text ?? '');
  return { data: data as unknown as Actual, pages: r.DocumentMetadata?.Pages ?? 1, lines };
}

async function naive(bytes: Uint8Array): Promise<{ data: Actual; pages: number }> {
  const v = await visual(bytes);
  return { data: naiveExtract(v.lines), pages: v.pages };
}

async function main(): Promise<void> {
  // Other jobs on the machine slow every timing here: the load at the start goes into the notes.
  const loadAtStart = loadavg()[0]!;
  const cpus = availableParallelism();
  const sets: SetResult[] = [];
  const want = (n: string): boolean => !only || only.split(',').includes(n);

  const i2dPdf = docs(resolve(INV, 'invoice2data'), /\.pdf$/, (f) => f.replace(/\.pdf$/, '.expected.json'));
  const i2dPng = docs(resolve(INV, 'invoice2data'), /\.png$/, (f) => f.replace(/\.png$/, '.expected.json'));
  const zug = docs(resolve(INV, 'zugferd'), /\.pdf$/, (f) => f.replace(/\.pdf$/, '.expected.json'));
  const tx = docs(resolve(CORPUS_DIR, 'textract'), /\.source\.(?:png|jpe?g|tiff?)$/, (f) => f.replace(/\.source\.\w+$/, '.expected.json'));

  if (want('pdf')) {
    await warmUp(i2dPdf, visual);
    sets.push({ name: 'invoice2data PDF (text layer)', docs: i2dPdf.length, main: await runSet(i2dPdf, visual), baseline: { name: 'naive regex', run: await runSet(i2dPdf, naive) } });
  }
  if (want('zugferd')) {
    await warmUp(zug, visual);
    sets.push({ name: 'ZUGFeRD PDF, visual (XML ignored)', docs: zug.length, main: await runSet(zug, visual), baseline: { name: 'naive regex', run: await runSet(zug, naive) } });
  }
  if (want('einvoice')) {
    // The reader the pipeline ships (locally and on AWS), not the extractor's pdf.js path.
    const reader = new ScanningEInvoiceReader();
    await warmUp(zug, (b) => reader.read(b));
    const einv = await runSet(zug, async (bytes) => {
      const d = await reader.read(bytes);
      if (!d) throw new Error('no e-invoice found');
      return { data: d as unknown as Actual, pages: d.page_count ?? 1 };
    });
    sets.push({ name: 'ZUGFeRD PDF, e-invoice XML', docs: zug.length, main: einv, baseline: { name: 'visual path', run: await runSet(zug, visual) } });
  }
  if (want('png')) {
    // OCR: one warm-up image starts the worker pool; the text-layer baseline is warmed too.
    await warmUp(i2dPng.slice(0, 1), visual);
    await warmUp(i2dPng.map((d) => ({ ...d, file: d.file.replace(/\.png$/, '.pdf') })), visual);
    const ocr = await runSet(i2dPng, visual);
    const same = await runSet(i2dPng.map((d) => ({ ...d, file: d.file.replace(/\.png$/, '.pdf') })), visual);
    sets.push({ name: 'invoice2data PNG (OCR)', docs: i2dPng.length, main: ocr, baseline: { name: 'text layer, same docs', run: same } });
  }
  if (want('textract')) {
    const ocr = await runSet(tx, visual);
    const textract = await runSet(tx, async (_bytes, d) => {
      const json = d.file.replace(/\.source\.\w+$/, '.json');
      const r = JSON.parse(readFileSync(json, 'utf8')) as AnalyzeExpenseResult;
      return { data: normaliseExpense(r) as unknown as Actual, pages: 1 };
    });
    // Textract's time is not ours to measure: report its accuracy only.
    textract.msPerPage = [];
    sets.push({ name: 'Textract corpus images (OCR)', docs: tx.length, main: ocr, baseline: { name: 'Amazon Textract (recorded)', run: textract } });
  }
  await closeOcr();

  const out: string[] = [];
  const md: string[] = [];
  for (const s of sets) {
    const a = summarise(s.main.scores);
    const b = s.baseline ? summarise(s.baseline.run.scores) : null;
    out.push(table(s, a, b));
    md.push(markdown(s, a, b));
    if (verbose) {
      for (const d of s.main.perDoc) {
        const bad = d.score.fields.filter((f) => !f.ok).map((f) => `${f.field}: want ${JSON.stringify(f.expected)} got ${JSON.stringify(f.actual)}`);
        const items = d.score.items ? ` items ${d.score.items.correct}/${d.score.items.expected} (matched ${d.score.items.matched})` : '';
        out.push(`  ${d.file}${items}${bad.length ? `\n      ${bad.join('\n      ')}` : ''}`);
      }
    }
    for (const f of [...s.main.failures]) out.push(`  FAILED ${f}`);
  }
  console.log(out.join('\n\n'));
  for (const s of sets) {
    const a = summarise(s.main.scores);
    const b = s.baseline ? summarise(s.baseline.run.scores) : null;
    console.log(JSON.stringify({
      set: s.name, documents: s.docs,
      header: round(a.header.accuracy), line_items: round(a.items.accuracy), overall: round(a.overall.accuracy),
      fields: Object.fromEntries(Object.entries(a.perField).map(([k, v]) => [k, round(v.accuracy)])),
      ms_per_page_median: Math.round(median(s.main.msPerPage)),
      failures: s.main.failures.length,
      baseline: b ? { name: s.baseline!.name, header: round(b.header.accuracy), line_items: round(b.items.accuracy), overall: round(b.overall.accuracy), ms_per_page_median: s.baseline!.run.msPerPage.length ? Math.round(median(s.baseline!.run.msPerPage)) : null } : null,
    }));
  }
  if (markdownFile) {
    const header = `# Offline extractor accuracy\n\nGenerated by \`npm run bench:accuracy -- --markdown ${markdownFile}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${cpus} CPUs). Scoring rules: docs/design.md §7.2 (\`bench/lib/score.ts\`); corpus: \`../shared/corpus\`. Time is per page, after one untimed warm-up pass (steady state: modules loaded, OCR workers started): each document's median over ${TIMED_PASSES} timed passes, then the median over the set's documents, including PDF parsing, image decoding, OCR, layout analysis and normalisation.\n`;
    const notes = `## Notes

- Targets (issue #4): header fields ≥ 95 % on text-layer PDFs and ≥ 85 % on images, line items ≥ 90 %, e-invoice ≥ 99 %, ≤ 50 ms per text-layer page and ≤ 1.5 s per OCR page (median, 2-core machine).
- Misses that are not reachable from the page: invoice2data goldens come from per-vendor templates, so some values are template constants (merchant "Flipkart" where the page's "Sold By" seller is "WS Retail Services Pvt. Ltd."; "OYO" where the payee is "Oravel Stays Pvt. Ltd."; saeco's issuer is printed only inside an image, so no merchant is reported rather than the recipient). Both coolblue goldens list the "Incl. Thuiskopieheffing" levy line last although it is printed right under the product it belongs to; items are matched in order, so reading order leaves that one item unmatched in each. ZUGFeRD: one line name exists only in the XML ("FL-Rate"); one expected unit price (100.00) is the gross list price, printed only as a "Bruttopreis" note under its row.
- The AWS invoice's items are a table without a header row, found because its least-indented rows add up to the printed total; its golden puts the row amount into \`unit_price\`, which a row printing a single amount reports as both unit price and total (one unit).
- The extractor uses no per-vendor rules; the layouts above are read with the same generic rules as any other invoice.
- OCR: tesseract.js 7, LSTM \`best_int\` models from \`@tesseract.js-data/eng\` (others with \`DOCUHOOK_OCR_LANGS=eng+deu+fra\`), colour pages turned grey with coloured text kept as ink, pages normalised to ~300 dpi (\`DOCUHOOK_OCR_DPI\`), one worker per CPU, tall pages split into bands at blank rows and read in parallel. Times depend on machine load: the 1-minute load average was ${loadAtStart.toFixed(1)} on ${cpus} CPUs when this run started.
`;
    writeFileSync(markdownFile, `${header}\n${md.join('\n')}\n${notes}`);
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function table(s: SetResult, a: Summary, b: Summary | null): string {
  const fields = [...new Set([...Object.keys(a.perField), ...Object.keys(b?.perField ?? {})])];
  const bn = s.baseline?.name ?? '';
  const rows = [`${s.name} — ${s.docs} documents`, `${'field'.padEnd(16)} ${'extractor'.padStart(14)} ${bn.padStart(26)}`];
  for (const f of fields) {
    const x = a.perField[f];
    const y = b?.perField[f];
    rows.push(`${f.padEnd(16)} ${(x ? `${x.right}/${x.scored} ${pct(x.accuracy)}` : '-').padStart(14)} ${(y ? `${y.right}/${y.scored} ${pct(y.accuracy)}` : '-').padStart(26)}`);
  }
  rows.push(`${'header fields'.padEnd(16)} ${pct(a.header.accuracy).padStart(14)} ${(b ? pct(b.header.accuracy) : '-').padStart(26)}`);
  rows.push(`${'line items'.padEnd(16)} ${(a.items.expected ? `${a.items.correct}/${a.items.expected} ${pct(a.items.accuracy)}` : '-').padStart(14)} ${(b && b.items.expected ? `${b.items.correct}/${b.items.expected} ${pct(b.items.accuracy)}` : '-').padStart(26)}`);
  rows.push(`${'overall'.padEnd(16)} ${pct(a.overall.accuracy).padStart(14)} ${(b ? pct(b.overall.accuracy) : '-').padStart(26)}`);
  const bms = s.baseline?.run.msPerPage.length ? `${Math.round(median(s.baseline.run.msPerPage))} ms` : '-';
  rows.push(`${'ms/page (median)'.padEnd(16)} ${`${Math.round(median(s.main.msPerPage))} ms`.padStart(14)} ${bms.padStart(26)}`);
  return rows.join('\n');
}

function markdown(s: SetResult, a: Summary, b: Summary | null): string {
  const fields = [...new Set([...Object.keys(a.perField), ...Object.keys(b?.perField ?? {})])];
  const bn = s.baseline?.name ?? 'baseline';
  const cell = (p?: { right: number; scored: number; accuracy: number }): string => (p ? `${pct(p.accuracy)} (${p.right}/${p.scored})` : '–');
  const lines = [`## ${s.name} (${s.docs} documents)\n`, `| field | extractor | ${bn} |`, '|---|---:|---:|'];
  for (const f of fields) lines.push(`| ${f} | ${cell(a.perField[f])} | ${cell(b?.perField[f])} |`);
  lines.push(`| **header fields** | **${pct(a.header.accuracy)}** | ${b ? pct(b.header.accuracy) : '–'} |`);
  if (a.items.expected) lines.push(`| **line items** | **${pct(a.items.accuracy)}** (${a.items.correct}/${a.items.expected}) | ${b && b.items.expected ? `${pct(b.items.accuracy)} (${b.items.correct}/${b.items.expected})` : '–'} |`);
  lines.push(`| overall | ${pct(a.overall.accuracy)} | ${b ? pct(b.overall.accuracy) : '–'} |`);
  const bms = s.baseline?.run.msPerPage.length ? `${Math.round(median(s.baseline.run.msPerPage))} ms` : '–';
  lines.push(`| ms/page (median) | ${Math.round(median(s.main.msPerPage))} ms | ${bms} |\n`);
  return lines.join('\n');
}

main().catch(async (e) => {
  console.error(e);
  await closeOcr();
  process.exit(1);
});
