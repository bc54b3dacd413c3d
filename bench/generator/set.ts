/**
 * The generated development set on disk: `.cache/bench-generated/<seed>-<hash>/`, where the hash
 * covers the generator's source, so a changed generator regenerates and an unchanged one is reused.
 * manifest.json is written last: a set without it is incomplete and is generated again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_DIR } from '../lib/paths.ts';
import { generateDoc } from './document.ts';
import { Renderer } from './render.ts';

export const DEFAULT_SEED = 20261203;
export const DEFAULT_INVOICES = 240;
export const DEFAULT_RECEIPTS = 90;

export interface ManifestEntry {
  id: string;
  kind: 'invoice' | 'receipt';
  split: 'tune' | 'holdout';
  region: string;
  pdf: string | null;
  image: string;
  expected: string;
}
export interface Manifest {
  seed: number;
  invoices: number;
  receipts: number;
  generatorHash: string;
  seconds: number;
  docs: ManifestEntry[];
}

const GENERATOR_DIR = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export function generatorHash(): string {
  const h = createHash('sha256');
  for (const f of sourceFiles(GENERATOR_DIR)) h.update(relative(GENERATOR_DIR, f)).update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

export function setDir(seed: number): string {
  return join(REPO_DIR, '.cache', 'bench-generated', `${seed}-${generatorHash()}`);
}

export function readManifest(dir: string): Manifest | null {
  const file = join(dir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : null;
}

export interface GenerateOptions {
  seed?: number;
  invoices?: number;
  receipts?: number;
  log?: (msg: string) => void;
}

/** The set for these options, generated first when missing or made by another generator version. */
export async function ensureGeneratedSet(opts: GenerateOptions = {}): Promise<{ dir: string; manifest: Manifest }> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const invoices = opts.invoices ?? DEFAULT_INVOICES;
  const receipts = opts.receipts ?? DEFAULT_RECEIPTS;
  const dir = setDir(seed);
  const existing = readManifest(dir);
  if (existing && existing.invoices === invoices && existing.receipts === receipts) return { dir, manifest: existing };
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const renderer = await Renderer.launch();
  const docs: ManifestEntry[] = [];
  try {
    for (let i = 0; i < invoices + receipts; i++) {
      const doc = generateDoc(seed, i, invoices);
      writeFileSync(join(dir, `${doc.id}.expected.json`), `${JSON.stringify(doc.expected, null, 1)}\n`);
      writeFileSync(join(dir, `${doc.id}.html`), doc.html);
      const pdf = doc.kind === 'invoice' ? `${doc.id}.pdf` : null;
      if (pdf) writeFileSync(join(dir, pdf), await renderer.pdf(doc));
      const img = await renderer.image(doc);
      const image = `${doc.id}.${img.ext}`;
      writeFileSync(join(dir, image), img.bytes);
      docs.push({
        id: doc.id,
        kind: doc.kind,
        split: doc.split,
        region: doc.model.region.id,
        pdf,
        image,
        expected: `${doc.id}.expected.json`,
      });
      if ((i + 1) % 25 === 0) opts.log?.(`generated ${i + 1}/${invoices + receipts}`);
    }
  } finally {
    await renderer.close();
  }
  const manifest: Manifest = {
    seed,
    invoices,
    receipts,
    generatorHash: generatorHash(),
    seconds: Math.round((performance.now() - t0) / 1000),
    docs,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return { dir, manifest };
}
