/**
 * docs/design.md is the contract that code, tests and guides cite as "docs/design.md §n". Every such
 * citation must name a section that exists there, every "§" must say which document it means, and
 * nothing may cite the design file that used to live outside the repository. Pure file reading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/paths.ts';

const DESIGN = 'docs/design.md';
const THIS_FILE = 'test/docs/design-refs.test.ts';
/** Not part of the source tree: dependencies, build and run output (.gitignore). */
const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'cdk.out', 'coverage', '.docuhook', 'tmp', 'test-results']);
const TEXT_EXTENSIONS = new Set([
  '.ts',
  '.js',
  '.mjs',
  '.cjs',
  '.md',
  '.json',
  '.html',
  '.css',
  '.svg',
  '.yml',
  '.yaml',
  '.snap',
  '',
]);

/** "docs/design.md §3.4", "`docs/design.md` §7", "[docs/design.md](design.md) §1", "docs/design.md §2, §4.4". */
const CITATION = /docs\/design\.md(?:`|\]\([^)]*\))?((?:(?:,\s*|\s+and\s+|\s+)§\d+(?:\.\d+)*)+)/g;
const SECTION = /§(\d+(?:\.\d+)*)/g;
/** The old, out-of-tree design file and its vectors. */
const STALE = /\bDESIGN(?:\.md|\s*§)|shared\/vectors/g;

function sourceFiles(dir = REPO_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return TEXT_EXTENSIONS.has(extname(entry.name)) ? [relative(REPO_DIR, path)] : [];
  });
}

/** Section numbers of docs/design.md's numbered headings ("## 3. Delivery", "### 3.4 Semantics"). */
function sectionsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]!));
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/**
 * What is wrong with the design citations of one file. In docs/design.md itself a bare "§n" is a
 * cross-reference; anywhere else every "§" must be part of a docs/design.md citation.
 */
function citationProblems(file: string, text: string, sections: Set<string>): string[] {
  const problems: string[] = [];
  const cited = new Set<number>();
  const check = (section: string, index: number) => {
    if (!sections.has(section)) problems.push(`${file}:${lineOf(text, index)}: ${DESIGN} has no §${section}`);
  };
  if (file !== DESIGN) {
    for (const m of text.matchAll(CITATION)) {
      const start = m.index + m[0].length - m[1]!.length;
      for (const s of m[1]!.matchAll(SECTION)) {
        cited.add(start + s.index);
        check(s[1]!, m.index);
      }
    }
  }
  for (const s of text.matchAll(SECTION)) {
    if (file === DESIGN) check(s[1]!, s.index);
    else if (!cited.has(s.index)) problems.push(`${file}:${lineOf(text, s.index)}: "§${s[1]}" does not name ${DESIGN}`);
  }
  for (const m of text.matchAll(STALE))
    problems.push(
      `${file}:${lineOf(text, m.index)}: "${m[0]}" cites the design outside the repository; cite ${DESIGN} §n`,
    );
  return problems;
}

describe('docs/design.md citations', () => {
  const design = readFileSync(join(REPO_DIR, DESIGN), 'utf8');
  const sections = sectionsOf(design);
  const files = sourceFiles().filter((f) => f !== THIS_FILE);
  const texts = new Map(files.map((f) => [f, readFileSync(join(REPO_DIR, f), 'utf8')]));

  it('has the numbered sections §1 to §7, each with its subsections', () => {
    for (const top of ['1', '2', '3', '4', '5', '6', '7']) expect(sections).toContain(top);
    expect(sections).toContain('3.4');
  });

  it('every citation in the tree names an existing section, and no stale design reference remains', () => {
    const problems = [...texts].flatMap(([file, text]) => citationProblems(file, text, sections));
    expect(problems).toEqual([]);
  });

  it('finds the citations it checks (the scan reaches code, tests, bench and guides)', () => {
    const citing = files.filter((f) => (texts.get(f)!.match(CITATION) ?? []).length > 0);
    for (const dir of ['functions/', 'cli/', 'lib/', 'bench/', 'test/', 'docs/'])
      expect(
        citing.some((f) => f.startsWith(dir)),
        dir,
      ).toBe(true);
    expect(citing).toContain('README.md');
  });

  it('reports a missing section, a bare "§" and the old DESIGN file', () => {
    const text = 'see docs/design.md §3.4 and §9, §2\nDESIGN §3\nrules in ../shared/DESIGN.md';
    expect(citationProblems('x.ts', text, sections)).toEqual([
      `x.ts:1: ${DESIGN} has no §9`,
      `x.ts:2: "§3" does not name ${DESIGN}`,
      'x.ts:2: "DESIGN §" cites the design outside the repository; cite docs/design.md §n',
      'x.ts:3: "DESIGN.md" cites the design outside the repository; cite docs/design.md §n',
    ]);
  });
});
