import { defineConfig } from 'vitest/config';

/**
 * The unit set: no servers (no dynalite, s3rver, local runtime, CLI spawn or CDK synth): core,
 * normaliser, parsers, e-invoices, the extractor on text-layer PDFs and images, pure adapters, the
 * import-layer rules.
 * OCR (tesseract workers) and the corpus accuracy ratchet take tens of seconds of CPU: integration.
 */
const UNIT = [
  'test/core/**/*.test.ts',
  'test/extractor/!(ocr|corpus).test.ts',
  'test/adapters/{aws-adapters,lambda-credentials,pdf-embedded-xml}.test.ts',
  'test/bench/**/*.test.ts',
  'test/imports/**/*.test.ts',
];
const ELSEWHERE = ['test/e2e/**', 'test/deployed/**', 'node_modules/**']; // test:e2e, test:deployed

/** `npm test` runs both projects; `npm run test:unit` and `npm run test:integration` one each. */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      // No per-file isolation: pdf.js and the normaliser load once per worker (half the wall time).
      // Unit files therefore restore what they patch (mocks, env, timers).
      { extends: true, test: { name: 'unit', include: UNIT, exclude: ELSEWHERE, isolate: false } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...ELSEWHERE] },
      },
    ],
  },
});
