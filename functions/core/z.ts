/**
 * The zod namespace docuhook code uses: `import * as z from './z.ts'` (a namespace import, so
 * esbuild keeps only the members a bundle touches; `import { z }` of a re-exported namespace would
 * bundle every member, toJSONSchema included). What it contains, and why, is in zod.ts.
 */
export * from './zod.ts';
