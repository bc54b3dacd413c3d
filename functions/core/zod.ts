/**
 * The part of zod docuhook uses, as a namespace. Importing `z` from 'zod' itself drags all of
 * zod classic (locales included) into every Lambda bundle; named re-exports let esbuild keep
 * only what is used (≈ 100 KB instead of ≈ 450 KB).
 */
export {
  array, boolean, coerce, discriminatedUnion, enum, iso, literal, null, number, object, record, strictObject, string,
  toJSONSchema, union,
} from 'zod';
export type { infer, ZodType } from 'zod';
