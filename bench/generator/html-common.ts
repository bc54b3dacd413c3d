/** Bits shared by the HTML templates. */
import type { Rng } from './prng.ts';

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const FONTS = [
  'DejaVu Sans',
  'DejaVu Serif',
  'Liberation Sans',
  'Liberation Serif',
  'DejaVu Sans Condensed',
  'Liberation Sans Narrow',
];
export const MONO_FONTS = ['DejaVu Sans Mono', 'Liberation Mono'];

/** "Label: value", "Label value" or "LABEL value": separators vary between documents. */
export function labelStyle(rng: Rng): (label: string) => string {
  const sep = rng.pick([':', ':', '', ' :']);
  const upper = rng.chance(0.15);
  return (label) => `${esc(upper ? label.toUpperCase() : label)}${sep}`;
}

export function page(css: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>@media screen{body{padding:14mm}}${css}</style></head><body>${body}</body></html>`;
}
