/**
 * Every regular expression in the modules that read uploaded bytes or the text extracted from
 * them, checked by recheck (a ReDoS analyser). None may backtrack exponentially. Polynomial ones
 * are accepted only where the input is bounded first, and each is then run on recheck's own attack
 * string, bounded the way extracted text is (bounded-text.ts, layout.ts): it must stay cheap.
 * A new regex in these modules is checked without anyone listing it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, type Diagnostics } from 'recheck';
import { describe, expect, it } from 'vitest';
import { MAX_WORD_CHARS } from '../../functions/extractor/bounded-text.ts';
import { MAX_LINE_WORDS } from '../../functions/extractor/layout.ts';
import { REPO_DIR } from '../support/paths.ts';
import { regexLiterals, type RegexUse } from '../support/regex-literals.ts';

/** Modules whose regexes see uploaded bytes, or text and values read from them. */
const UNTRUSTED_TEXT_MODULES = [
  'functions/core/file-type.ts',
  'functions/core/einvoice',
  'functions/core/parse',
  'functions/core/normalise',
  'functions/core/invoice-evidence.ts',
  'functions/adapters/pdf-embedded-xml.ts',
  'functions/extractor',
];

/** Where a polynomial regex is acceptable: its input never exceeds a bounded line of bounded words. */
const BOUNDED_INPUT = new Set([
  'functions/extractor/fields.ts',
  'functions/extractor/parties.ts',
  'functions/extractor/index.ts',
  'functions/core/normalise/line-items.ts',
  'functions/core/normalise/merchant.ts',
  'functions/core/normalise/payment-method.ts',
  'functions/core/normalise/summary-fields.ts',
  'functions/core/normalise/values.ts',
  'functions/core/parse/amount.ts',
]);

/** Regexes built at run time, reviewed by hand: each escapes its variable parts or joins constant fragments. */
const DYNAMIC_REVIEWED = new Set([
  'functions/core/normalise/line-items.ts',
  'functions/core/parse/amount.ts',
  'functions/core/parse/currency.ts',
  'functions/core/parse/date.ts',
  'functions/extractor/amount-labels.ts',
  'functions/extractor/fields.ts',
  'functions/extractor/labels.ts',
  'functions/extractor/parties.ts',
]);

function sourceFiles(path: string): string[] {
  const full = join(REPO_DIR, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) =>
    name.endsWith('.ts') || statSync(join(full, name)).isDirectory() ? sourceFiles(join(path, name)) : [],
  );
}

/** An attack string as extracted text reaches the rules: single spaces, bounded words, a bounded line. */
function asExtractedLine(attack: string): string {
  const words = attack
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    .flatMap((w) => w.match(new RegExp(`[^]{1,${MAX_WORD_CHARS}}`, 'g')) ?? []);
  return words.slice(0, MAX_LINE_WORDS).join(' ');
}

function attackOf(d: Diagnostics, length: number): string {
  if (d.status !== 'vulnerable') return '';
  const pumps = d.attack.pumps;
  const per = Math.max(
    1,
    Math.floor(
      length /
        Math.max(
          1,
          pumps.reduce((n, p) => n + p.pump.length, 0),
        ),
    ),
  );
  return pumps.map((p) => p.prefix + p.pump.repeat(per)).join('') + d.attack.suffix;
}

const label = (r: RegexUse): string => `${relative(REPO_DIR, r.file)}:${r.line} /${r.source}/${r.flags}`;

describe('regular expressions over untrusted text', () => {
  const uses = UNTRUSTED_TEXT_MODULES.flatMap(sourceFiles).flatMap(regexLiterals);

  it('finds the regexes to check', () => {
    expect(uses.length).toBeGreaterThan(200);
  });

  it('has no dynamic regex outside the reviewed modules', () => {
    const unreviewed = uses.filter((r) => r.dynamic && !DYNAMIC_REVIEWED.has(relative(REPO_DIR, r.file))).map(label);
    expect(unreviewed).toEqual([]);
  });

  it('has no exponential backtracking, and polynomial backtracking only on bounded input, where it stays cheap', async () => {
    const problems: string[] = [];
    // One at a time: recheck's checker is one process, and its timeout counts from submission.
    for (const r of uses.filter((u) => !u.dynamic)) {
      const d = await check(r.source, r.flags, { timeout: 20_000 });
      if (d.status === 'unknown') problems.push(`${label(r)}: not decided (${d.error.kind})`);
      if (d.status !== 'vulnerable') continue;
      if (d.complexity.type === 'exponential') {
        problems.push(`${label(r)}: exponential (${d.attack.pattern})`);
        continue;
      }
      if (!BOUNDED_INPUT.has(relative(REPO_DIR, r.file))) {
        problems.push(`${label(r)}: ${d.complexity.summary} on unbounded input`);
        continue;
      }
      const text = asExtractedLine(attackOf(d, MAX_WORD_CHARS * MAX_LINE_WORDS));
      const re = new RegExp(r.source, r.flags.replace('g', '').replace('y', ''));
      const started = performance.now();
      re.test(text);
      const ms = performance.now() - started;
      if (ms > 50) problems.push(`${label(r)}: ${ms.toFixed(0)} ms on a bounded line of its attack string`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
