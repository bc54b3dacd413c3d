/**
 * How every docuhook Lambda function is bundled: ONE definition used both by the CDK constructs
 * (NodejsFunction, local esbuild, no Docker) and by `npm run bench:bundles`, so the benchmark
 * measures exactly what gets deployed.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bundling runs with it as the working directory). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export type FunctionName = 'api' | 'extract' | 'signer' | 'textract-complete' | 'sweeper';
export type ExtractorMode = 'textract' | 'local';

/** Handler entry point of each function, relative to the repository root. */
export const FUNCTION_ENTRIES: Record<FunctionName, string> = {
  api: 'functions/handlers/api.ts',
  extract: 'functions/handlers/extract.ts',
  signer: 'functions/handlers/signer.ts',
  'textract-complete': 'functions/handlers/textract-complete.ts',
  sweeper: 'functions/handlers/sweeper.ts',
};

/** Lambda runs Node.js 24 (the latest the CDK knows); the code targets Node 22 syntax and runs on 20 locally. */
export const ESBUILD_TARGET = 'node22';

/**
 * ESM output, with `require` recreated for the CommonJS packages bundled into it (undici,
 * powertools internals): without it their `require('node:…')` calls fail in an .mjs file.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __docuhookCreateRequire } from 'node:module'; const require = __docuhookCreateRequire(import.meta.url);";

/**
 * The offline extractor (unpdf/pdf.js, several MB) is reachable from extract-deps.ts only through a
 * dynamic import taken when EXTRACTOR=local. Every other bundle leaves that import external, so
 * it is never bundled, and never evaluated because the branch never runs.
 */
const OFFLINE_EXTRACTOR_EXTERNAL = '*/adapters/local/offline-analyser.ts';

/**
 * The offline extractor's OCR loads these at run time (createRequire, a worker script, WASM by
 * file): they ship beside the bundle (lib/runtime-packages.ts). Every language docuhook installs:
 * DOCUHOOK_OCR_LANGS picks the pool's (default eng); a page found to be in another reads with its model (ocr.ts).
 */
export const OCR_LANGUAGES = ['eng', 'deu', 'fra', 'spa', 'ita', 'por', 'nld'];
export const OCR_PACKAGES = ['tesseract.js', ...OCR_LANGUAGES.map((l) => `@tesseract.js-data/${l}`)];

/**
 * What the Lambda never reads, relative to the copied node_modules: browser builds and docs, the
 * WASM cores embedded as JavaScript (browsers), the LSTM-only cores (tesseract.js 7's Node worker
 * passes a boolean where getCore expects an OEM, so it always loads the full core: found by
 * test:bundles) and the legacy language models (ocr.ts reads 4.0.0_best_int when present).
 */
export const OCR_PRUNE = [
  'tesseract.js/dist',
  'tesseract.js/docs',
  'tesseract.js/examples',
  'tesseract.js-core/*.wasm.js',
  'tesseract.js-core/*-lstm.js',
  'tesseract.js-core/*-lstm.wasm',
  '@tesseract.js-data/*/4.0.0',
];

export interface FunctionBundleSpec {
  name: FunctionName;
  /** Entry, relative to PROJECT_ROOT. */
  entry: string;
  target: string;
  format: 'esm';
  minify: true;
  sourceMap: true;
  /** Source maps carry mappings only: smaller assets, and no source text shipped. */
  sourcesContent: false;
  /** `module` first, so the AWS SDK's ES builds are picked and tree-shaken. */
  mainFields: string[];
  banner: string;
  /** Nothing of the AWS SDK is external: it is bundled, pinned and tree-shaken. */
  externalModules: string[];
  /** Build-time constants. */
  define: Record<string, string>;
  /** Module substitutions (paths relative to PROJECT_ROOT). */
  alias: Record<string, string>;
  /**
   * The function's NODE_OPTIONS: stack traces through the source maps. Measured (docs/operations.md
   * "Source maps"): init barely moves; the first Error.stack read in an environment maps through the
   * file (≈ 50 ms signer, 90 ms api, 200 ms extract-local), later ones ≈ 1 ms. Errors are off the
   * happy path, so readable traces win. bench:bundles runs with the same options.
   */
  nodeOptions: string;
  /**
   * Further entries bundled beside the handler with the same settings, by output file name: the
   * offline extractor's sandbox worker thread, which loads its own file (`extract-worker.mjs`).
   */
  extraEntries: Record<string, string>;
  /** Packages copied beside the bundle, with their dependencies (see OCR_PACKAGES). */
  runtimePackages: string[];
  /** Paths under the copied node_modules the function never reads (shell globs). */
  runtimePrune: string[];
}

/** The extraction sandbox's worker thread: its file name must match start-worker.ts's BUNDLED_WORKER_FILE. */
export const SANDBOX_WORKER_ENTRY = { 'extract-worker.mjs': 'functions/extractor/sandbox/worker.ts' };

/** Lambda's credentials come from the environment: the SDK's full default chain is not bundled. */
const LAMBDA_CREDENTIALS_ALIAS = {
  '@aws-sdk/credential-provider-node': './functions/handlers/runtime/lambda-credentials.ts',
};

/**
 * No docuhook call streams events, but the SDK's lazy import of its event-stream codec is inlined
 * anyway (≈ 20 KB). It is substituted where nothing imports it statically: the S3 client's config
 * does, so functions holding an S3 client keep the real module (the signer reads results with a
 * signed GET instead, s3-signed-reader.ts).
 */
const NO_EVENT_STREAMS_ALIAS = { '@smithy/core/event-streams': './functions/handlers/runtime/no-event-streams.ts' };
const FUNCTIONS_WITHOUT_S3: ReadonlySet<FunctionName> = new Set(['signer']);

export function functionBundleSpec(
  name: FunctionName,
  options: { extractor?: ExtractorMode } = {},
): FunctionBundleSpec {
  const bundlesOfflineExtractor = name === 'extract' && options.extractor === 'local';
  return {
    name,
    entry: FUNCTION_ENTRIES[name],
    target: ESBUILD_TARGET,
    format: 'esm',
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    externalModules: bundlesOfflineExtractor ? [] : [OFFLINE_EXTRACTOR_EXTERNAL],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    nodeOptions: '--enable-source-maps',
    extraEntries: bundlesOfflineExtractor ? SANDBOX_WORKER_ENTRY : {},
    runtimePackages: bundlesOfflineExtractor ? OCR_PACKAGES : [],
    runtimePrune: bundlesOfflineExtractor ? OCR_PRUNE : [],
    alias: FUNCTIONS_WITHOUT_S3.has(name)
      ? { ...LAMBDA_CREDENTIALS_ALIAS, ...NO_EVENT_STREAMS_ALIAS }
      : LAMBDA_CREDENTIALS_ALIAS,
  };
}

/** The same spec as esbuild JS API options (used by bench/bundles.ts). */
export function esbuildOptions(spec: FunctionBundleSpec, outfile: string) {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [spec.entry],
    bundle: true,
    platform: 'node' as const,
    format: spec.format,
    target: spec.target,
    outfile,
    minify: spec.minify,
    sourcemap: spec.sourceMap,
    sourcesContent: spec.sourcesContent,
    mainFields: spec.mainFields,
    banner: { js: spec.banner },
    external: spec.externalModules,
    define: spec.define,
    alias: spec.alias,
    metafile: true,
    logLevel: 'warning' as const,
  };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * esbuild CLI commands that bundle the spec's extra entries into `outputDir` (CDK runs them after
 * the handler's bundling, from `inputDir`, the project root).
 */
export function extraEntryCommands(spec: FunctionBundleSpec, inputDir: string, outputDir: string): string[] {
  return Object.entries(spec.extraEntries).map(([file, entry]) =>
    [
      shellQuote(`${inputDir}/node_modules/.bin/esbuild`),
      shellQuote(`${inputDir}/${entry}`),
      '--bundle',
      '--platform=node',
      `--format=${spec.format}`,
      `--target=${spec.target}`,
      '--minify',
      '--sourcemap',
      '--sources-content=false',
      `--main-fields=${spec.mainFields.join(',')}`,
      shellQuote(`--banner:js=${spec.banner}`),
      `--log-level=warning`,
      ...Object.entries(spec.define).map(([k, v]) => shellQuote(`--define:${k}=${v}`)),
      ...Object.entries(spec.alias).map(([from, to]) => shellQuote(`--alias:${from}=${to}`)),
      ...spec.externalModules.map((m) => shellQuote(`--external:${m}`)),
      shellQuote(`--outfile=${outputDir}/${file}`),
    ].join(' '),
  );
}
