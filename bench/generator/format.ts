/** Printing amounts and dates the way a region does: the varied forms the extractor must read. */
import type { Language } from './lang/index.ts';
import type { DateOrder, NumberStyle } from './regions.ts';

export interface AmountStyle {
  number: NumberStyle;
  /** Printed currency mark ('' for none), its side and whether a space separates it. */
  mark: string;
  markAfter: boolean;
  space: boolean;
  /** How a negative amount is printed. */
  negative: 'minus' | 'parens' | 'trailing';
}

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export type DateStyle =
  | { kind: 'numeric'; order: DateOrder; sep: string; pad: boolean; shortYear: boolean }
  | { kind: 'long'; index: number };

/** 1234567 cents → "12,345.67" in the given grouping and decimal mark. */
export function formatNumber(cents: number, style: NumberStyle): string {
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  const grouped = style.group ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.group) : whole;
  return `${grouped}${style.decimal}${frac}`;
}

export function formatAmount(cents: number, style: AmountStyle, withMark = true): string {
  let body = formatNumber(cents, style.number);
  const mark = withMark ? style.mark : '';
  if (mark)
    body = style.markAfter ? `${body}${style.space ? ' ' : ''}${mark}` : `${mark}${style.space ? ' ' : ''}${body}`;
  if (cents >= 0) return body;
  if (style.negative === 'parens') return `(${body})`;
  if (style.negative === 'trailing') return `${body}-`;
  return `-${body}`;
}

export function formatQuantity(qty: number, decimals: number, style: NumberStyle): string {
  const fixed = qty.toFixed(decimals);
  return style.decimal === ',' ? fixed.replace('.', ',') : fixed;
}

export function formatDate(date: Ymd, style: DateStyle, lang: Language): string {
  if (style.kind === 'long') return lang.longDates[style.index % lang.longDates.length]!(date.d, date.m - 1, date.y);
  const p = (n: number): string => (style.pad ? String(n).padStart(2, '0') : String(n));
  const y = style.shortYear ? String(date.y % 100).padStart(2, '0') : String(date.y);
  if (style.order === 'ymd')
    return [date.y, String(date.m).padStart(2, '0'), String(date.d).padStart(2, '0')].join(style.sep);
  if (style.order === 'mdy') return [p(date.m), p(date.d), y].join(style.sep);
  return [p(date.d), p(date.m), y].join(style.sep);
}

export const isoDate = (d: Ymd): string => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;

/** Cents as the payload's plain decimal string. */
export const decimal = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${formatNumber(Math.abs(cents), { decimal: '.', group: '' })}`;

export function addDays(d: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
