/**
 * The part of zod docuhook uses, imported as a namespace (`import * as z from './z.ts'`). It is
 * `zod/mini`: the same validation core as zod classic, but schemas have few methods (use the
 * wrapper functions, `z.optional(s)`, `z.pipe(s, z.transform(f))`, and checks, `s.check(z.minLength(1))`),
 * so esbuild keeps only what a bundle uses: ≈ 15 KB, plus ≈ 20 KB of toJSONSchema in the API
 * bundle, instead of ≈ 100 KB of zod classic in every bundle.
 *
 * zod/mini loads no locale, so every issue would read "Invalid input"; English is registered
 * here, which gives exactly zod classic's messages (the API repeats them to callers).
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export {
  // schemas
  array,
  boolean,
  coerce,
  discriminatedUnion,
  enum,
  iso,
  literal,
  null,
  number,
  object,
  record,
  strictObject,
  string,
  union,
  // wrappers
  _default,
  nullable,
  optional,
  pipe,
  transform,
  // checks (`schema.check(...)`)
  gte,
  int,
  lte,
  maxLength,
  minLength,
  nonnegative,
  positive,
  refine,
  regex,
  toJSONSchema,
} from 'zod/mini';
export type { infer, input, output, ZodMiniType as ZodType } from 'zod/mini';
