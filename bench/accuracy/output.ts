/** The benchmark's report: aligned tables, Markdown, per-document misses and JSON lines. */
import { median } from '../lib/report.ts';
import type { Summary } from '../../test/support/score.ts';
import type { Run } from './run.ts';

export interface SetResult {
  name: string;
  docs: number;
  main: Run;
  baseline?: { name: string; run: Run };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const msOf = (run: Run | undefined): string | null =>
  run?.msPerPage.length ? `${Math.round(median(run.msPerPage))} ms` : null;

function fieldsOf(a: Summary, b: Summary | null): string[] {
  return [...new Set([...Object.keys(a.perField), ...Object.keys(b?.perField ?? {})])];
}

export function table(s: SetResult, a: Summary, b: Summary | null): string {
  const bn = s.baseline?.name ?? '';
  const rows = [
    `${s.name} — ${s.docs} documents`,
    `${'field'.padEnd(16)} ${'extractor'.padStart(14)} ${bn.padStart(26)}`,
  ];
  const ratio = (p?: { right: number; scored: number; accuracy: number }): string =>
    p ? `${p.right}/${p.scored} ${pct(p.accuracy)}` : '-';
  const line = (label: string, x: string, y: string): number =>
    rows.push(`${label.padEnd(16)} ${x.padStart(14)} ${y.padStart(26)}`);
  for (const f of fieldsOf(a, b)) line(f, ratio(a.perField[f]), ratio(b?.perField[f]));
  line('header fields', pct(a.header.accuracy), b ? pct(b.header.accuracy) : '-');
  line(
    'line items',
    a.items.expected ? `${a.items.correct}/${a.items.expected} ${pct(a.items.accuracy)}` : '-',
    b?.items.expected ? `${b.items.correct}/${b.items.expected} ${pct(b.items.accuracy)}` : '-',
  );
  line('overall', pct(a.overall.accuracy), b ? pct(b.overall.accuracy) : '-');
  line('ms/page (median)', msOf(s.main) ?? '-', msOf(s.baseline?.run) ?? '-');
  return rows.join('\n');
}

export function markdown(s: SetResult, a: Summary, b: Summary | null): string {
  const bn = s.baseline?.name ?? 'baseline';
  const cell = (p?: { right: number; scored: number; accuracy: number }): string =>
    p ? `${pct(p.accuracy)} (${p.right}/${p.scored})` : '–';
  const lines = [`## ${s.name} (${s.docs} documents)\n`, `| field | extractor | ${bn} |`, '|---|---:|---:|'];
  for (const f of fieldsOf(a, b)) lines.push(`| ${f} | ${cell(a.perField[f])} | ${cell(b?.perField[f])} |`);
  lines.push(`| **header fields** | **${pct(a.header.accuracy)}** | ${b ? pct(b.header.accuracy) : '–'} |`);
  if (a.items.expected)
    lines.push(
      `| **line items** | **${pct(a.items.accuracy)}** (${a.items.correct}/${a.items.expected}) | ${b?.items.expected ? `${pct(b.items.accuracy)} (${b.items.correct}/${b.items.expected})` : '–'} |`,
    );
  lines.push(`| overall | ${pct(a.overall.accuracy)} | ${b ? pct(b.overall.accuracy) : '–'} |`);
  lines.push(`| ms/page (median) | ${msOf(s.main) ?? '–'} | ${msOf(s.baseline?.run) ?? '–'} |\n`);
  return lines.join('\n');
}

/** Each document's misses, for `--verbose`. */
export function misses(run: Run): string[] {
  return run.perDoc.map((d) => {
    const bad = d.score.fields
      .filter((f) => !f.ok)
      .map((f) => `${f.field}: want ${JSON.stringify(f.expected)} got ${JSON.stringify(f.actual)}`);
    const items = d.score.items
      ? ` items ${d.score.items.correct}/${d.score.items.expected} (matched ${d.score.items.matched})`
      : '';
    return `  ${d.file}${items}${bad.length ? `\n      ${bad.join('\n      ')}` : ''}`;
  });
}

export function jsonLine(s: SetResult, a: Summary, b: Summary | null): string {
  return JSON.stringify({
    set: s.name,
    documents: s.docs,
    header: round(a.header.accuracy),
    line_items: round(a.items.accuracy),
    overall: round(a.overall.accuracy),
    fields: Object.fromEntries(Object.entries(a.perField).map(([k, v]) => [k, round(v.accuracy)])),
    ms_per_page_median: Math.round(median(s.main.msPerPage)),
    failures: s.main.failures.length,
    baseline: b
      ? {
          name: s.baseline!.name,
          header: round(b.header.accuracy),
          line_items: round(b.items.accuracy),
          overall: round(b.overall.accuracy),
          ms_per_page_median: s.baseline!.run.msPerPage.length ? Math.round(median(s.baseline!.run.msPerPage)) : null,
        }
      : null,
  });
}
