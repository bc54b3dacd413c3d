/**
 * Money parsing and exact decimal-string arithmetic, shared by the Textract normaliser and the
 * offline extractor. Amounts travel as strings ("1234.50"); arithmetic goes through BigInt so
 * nothing drifts the way binary floats do.
 */
import { CURRENCY_AFFIX_SOURCE, detectCurrency, isCurrencyCode, minorUnits } from './currency.ts';

export interface ParsedAmount {
  /** Plain decimal string: `.` separator, no grouping, leading `-` if negative, decimals as printed. */
  value: string;
  /** ISO 4217 code named in the text itself, or null. */
  currency: string | null;
}

const LEAD_CURRENCY = new RegExp(`^(${CURRENCY_AFFIX_SOURCE})\\s*`, 'iu');
const TRAIL_CURRENCY = new RegExp(`\\s*(${CURRENCY_AFFIX_SOURCE})$`, 'iu');
// A lone tax/VAT category letter printed after the amount on receipts ("899.99 S", "12.00 A", "5.00 T*").
const TRAIL_FLAG_SPACED = /\s+[A-Za-z]\*?$|\s*\*+$/;
// Glued flags ("659.00Y"); K/M/B excluded because "12K" means thousands, not a flag.
const TRAIL_FLAG_GLUED = /(?<=\d)[A-JL-Za-z]$/;
const TRAIL_CRDR = /\s*\b(CR|DR|Cr|Dr|cr|dr)\.?$/;
// "12,-" / "12.--" (DE/CH "no cents") and "1,234/-" (IN "no paise") mark a whole amount.
const WHOLE_MARK = /(?:[.,]-{1,2}|\/-|[.,]—)$/;

function normaliseText(text: string): string {
  return text
    .replace(/[\u00a0\u202f\u2009\u2007\u2008\u200a\u205f\u3000\t\r\n]+/g, ' ')
    .replace(/[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g, '-')
    .replace(/[\u2019\u2018\u02bc\u00b4\u2032`]/g, "'")
    .replace(/\uff0c/g, ',')
    .replace(/\uff0e/g, '.')
    .trim();
}

/** A peeled currency token, or undefined when the match is not really a currency. */
function currencyOf(token: string): string | null | undefined {
  if (/^[A-Za-z]{3}$/.test(token)) {
    // A bare three-letter token must be an ISO code written in one case ("EUR"/"eur"), and a
    // word like "Euro" (matched by the word alternatives) must not be mistaken for one.
    const up = token.toUpperCase();
    if ((token === up || token === token.toLowerCase()) && isCurrencyCode(up)) return up;
    const det = detectCurrency(token);
    return det ?? undefined;
  }
  // Peeled from an amount, so a number stands beside it (signs like "RM" count only there).
  return detectCurrency(`${token} 0`) ?? undefined;
}

/**
 * Split the numeric core into integer digits and decimal digits, or null when the core is not a
 * well-formed number. `hintSep` only settles the "1,234" / "1.234" ambiguity.
 */
function splitNumber(
  core: string,
  hintSep: ',' | '.' | undefined,
  threeDecimalCurrency: boolean,
): { int: string; dec: string | null } | null {
  if (!/^[\d.,' ]+$/.test(core) || !/\d/.test(core)) return null;
  if (/^[.,]\d+$/.test(core)) return { int: '0', dec: core.slice(1) };
  if (!/^\d/.test(core) || !/\d$/.test(core)) return null;
  if (/[.,' ]{2,}/.test(core)) return null;

  const dots = (core.match(/\./g) ?? []).length;
  const commas = (core.match(/,/g) ?? []).length;
  let decimalSep: ',' | '.' | null = null;

  if (dots > 0 && commas > 0) {
    decimalSep = core.lastIndexOf('.') > core.lastIndexOf(',') ? '.' : ',';
    const groupSep = decimalSep === '.' ? ',' : '.';
    if ((core.match(new RegExp(`\\${decimalSep}`, 'g')) ?? []).length > 1) return null;
    if (core.lastIndexOf(groupSep) > core.lastIndexOf(decimalSep)) return null;
  } else if (dots + commas === 1) {
    const sep = dots ? '.' : ',';
    const [intPart = '', decPart = ''] = core.split(sep);
    if (decPart.length !== 3) decimalSep = sep;
    else if (/^0$/.test(intPart) || /^\d{4,}$/.test(intPart) || /['\s]/.test(intPart)) decimalSep = sep;
    else if (hintSep) decimalSep = hintSep === sep ? sep : null;
    else decimalSep = sep === '.' && threeDecimalCurrency ? sep : null;
  } else if (dots + commas > 1) {
    decimalSep = null; // "1.234.567" / "1,234,567": one separator kind repeated is grouping
  }

  let intPart = core;
  let dec: string | null = null;
  if (decimalSep) {
    const at = core.lastIndexOf(decimalSep);
    intPart = core.slice(0, at);
    dec = core.slice(at + 1);
    if (!/^\d+$/.test(dec)) return null;
  }
  if (!validGrouping(intPart)) return null;
  const int = intPart.replace(/[.,' ]/g, '');
  // "0171 234" or "01.234" are phone/ID fragments, not amounts.
  if (/^0\d/.test(int) && int !== intPart) return null;
  return { int: int.replace(/^0+(?=\d)/, ''), dec };
}

/** Integer part with at most one grouping character, in Western (3) or Indian (2..2,3) groups. */
function validGrouping(intPart: string): boolean {
  if (/^\d+$/.test(intPart)) return true;
  const seps = new Set(intPart.replace(/\d/g, ''));
  if (seps.size !== 1) return false;
  const g = [...seps][0] === ' ' ? ' ' : `\\${[...seps][0]}`;
  if (new RegExp(`^\\d{1,3}(?:${g}\\d{3})+$`).test(intPart)) return true;
  return g === '\\,' && /^\d{1,2}(?:,\d{2})+,\d{3}$/.test(intPart);
}

/**
 * Parse a money text ("$899.99 S", "1.234,56 €", "(12.00)", "CHF 1'234.50", "Rs. 1,234/-").
 * Returns null for anything that is not an amount (dates, phone numbers, ids, percentages).
 */
export function parseAmount(text: string, hint?: { decimalSeparator?: ',' | '.' }): ParsedAmount | null {
  if (typeof text !== 'string') return null;
  let s = normaliseText(text);
  if (!s || !/\d/.test(s) || s.includes('%') || s.length > 64) return null;

  let negative = false;
  let currency: string | null = null;
  let flagSeen = false;
  for (let guard = 0; guard < 12; guard++) {
    const before = s;
    s = s.trim();
    if (s.startsWith('(') && s.endsWith(')')) {
      negative = true;
      s = s.slice(1, -1);
      continue;
    }
    if (/^[-+]/.test(s)) {
      if (s[0] === '-') negative = true;
      s = s.slice(1);
      continue;
    }
    const lead = LEAD_CURRENCY.exec(s);
    if (lead?.[1] && /^\D/.test(s)) {
      const c = currencyOf(lead[1]);
      if (c !== undefined) {
        currency ??= c;
        s = s.slice(lead[0].length);
        continue;
      }
    }
    if (WHOLE_MARK.test(s)) {
      s = s.replace(WHOLE_MARK, '');
      continue;
    }
    if (/-$/.test(s)) {
      negative = true;
      s = s.slice(0, -1);
      continue;
    }
    const crdr = TRAIL_CRDR.exec(s);
    if (crdr?.[1]) {
      if (crdr[1].toUpperCase() === 'CR') negative = true;
      s = s.slice(0, crdr.index);
      continue;
    }
    const trail = TRAIL_CURRENCY.exec(s);
    if (trail?.[1] && /\D$/.test(s)) {
      const c = currencyOf(trail[1]);
      if (c !== undefined) {
        currency ??= c;
        s = s.slice(0, trail.index);
        continue;
      }
    }
    if (!flagSeen && (TRAIL_FLAG_SPACED.test(s) || TRAIL_FLAG_GLUED.test(s))) {
      flagSeen = true;
      s = s.replace(TRAIL_FLAG_SPACED, '').replace(TRAIL_FLAG_GLUED, '');
      continue;
    }
    if (s === before) break;
  }
  s = s.trim();
  // "12." (a trailing full stop) is a whole amount; "12.." is not.
  if (/^\d[\d.,' ]*\d[.,]$|^\d[.,]$/.test(s) && !/[.,]{2}$/.test(s)) s = s.slice(0, -1);

  const threeDec = currency !== null && minorUnits(currency) === 3;
  const parts = splitNumber(s, hint?.decimalSeparator, threeDec);
  if (!parts) return null;
  let value = parts.dec !== null ? `${parts.int}.${parts.dec}` : parts.int;
  if (negative && /[1-9]/.test(value)) value = `-${value}`;
  return { value, currency };
}

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic on amount strings.

interface Dec {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([-+]?)(\d+)(?:\.(\d*))?$/;

function toDec(value: string): Dec {
  const m = DECIMAL_RE.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

function rescale(d: Dec, scale: number): Dec {
  if (scale >= d.scale) return { units: d.units * 10n ** BigInt(scale - d.scale), scale };
  return { units: roundDiv(d.units, 10n ** BigInt(d.scale - scale)), scale };
}

/** Integer division rounding half away from zero. */
function roundDiv(n: bigint, d: bigint): bigint {
  if (d < 0n) return roundDiv(-n, -d);
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d); // floor(a/d + 1/2): exact halves go away from zero
  return neg ? -q : q;
}

function fromDec(d: Dec): string {
  const neg = d.units < 0n;
  let digits = (neg ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    digits = `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  }
  return neg && d.units !== 0n ? `-${digits}` : digits;
}

function align(a: Dec, b: Dec): [Dec, Dec] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale), rescale(b, scale)];
}

/** True when `value` is a plain decimal string the helpers below accept. */
export function isAmount(value: string): boolean {
  return DECIMAL_RE.test(value.trim());
}

/** Round half away from zero to `scale` decimals and pad to exactly that many. */
export function roundAmount(value: string, scale: number): string {
  return fromDec(rescale(toDec(value), scale));
}

/**
 * Format a decimal string with the currency's minor-unit digits (2 when unknown or null),
 * rounding half away from zero: ("1234.5", "EUR") → "1234.50", ("1234.5", "JPY") → "1235".
 */
export function formatAmount(value: string, currency: string | null): string {
  return roundAmount(value, currency ? minorUnits(currency) : 2);
}

/**
 * Like formatAmount, but keeps up to `maxScale` printed decimals beyond the minor unit
 * (unit prices such as "0.1234" lose meaning when rounded to cents).
 */
export function formatUnitAmount(value: string, currency: string | null, maxScale = 4): string {
  const minor = currency ? minorUnits(currency) : 2;
  const d = toDec(value);
  const trimmed = fromDec(d)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
  const decimals = (trimmed.split('.')[1] ?? '').length;
  return roundAmount(value, Math.min(Math.max(minor, decimals), Math.max(minor, maxScale)));
}

export function addAmounts(a: string, b: string): string {
  const [x, y] = align(toDec(a), toDec(b));
  return fromDec({ units: x.units + y.units, scale: x.scale });
}

export function subtractAmounts(a: string, b: string): string {
  const [x, y] = align(toDec(a), toDec(b));
  return fromDec({ units: x.units - y.units, scale: x.scale });
}

/** Sum of amounts; "0" for an empty list. */
export function sumAmounts(values: readonly string[]): string {
  return values.reduce((acc, v) => addAmounts(acc, v), '0');
}

/** -1, 0 or 1 as a <, =, > b (numerically: "1.50" equals "1.5"). */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(toDec(a), toDec(b));
  return x.units < y.units ? -1 : x.units > y.units ? 1 : 0;
}

/** |a - b| <= tolerance (tolerance itself a decimal string, default exact). */
export function amountsClose(a: string, b: string, tolerance = '0'): boolean {
  const diff = subtractAmounts(a, b);
  const abs = diff.startsWith('-') ? diff.slice(1) : diff;
  return compareAmounts(abs, tolerance) <= 0;
}

function factorToDec(factor: number | string): Dec | null {
  if (typeof factor === 'number') {
    if (!Number.isFinite(factor)) return null;
    // Numbers from quantities are short decimals; their shortest repr is the intended value.
    const repr = String(factor);
    if (/e/i.test(repr)) return toDec(factor.toFixed(10));
    return toDec(repr);
  }
  return isAmount(factor) ? toDec(factor) : null;
}

/** value × factor, exact (the scale grows; format the result afterwards). */
export function multiplyAmount(value: string, factor: number | string): string {
  const f = factorToDec(factor);
  if (!f) throw new RangeError(`not a finite factor: ${String(factor)}`);
  const v = toDec(value);
  return fromDec({ units: v.units * f.units, scale: v.scale + f.scale });
}

/** value ÷ divisor rounded half away from zero to `scale` decimals; null when dividing by zero. */
export function divideAmount(value: string, divisor: number | string, scale: number): string | null {
  const d = factorToDec(divisor);
  if (!d || d.units === 0n) return null;
  const v = toDec(value);
  // value/divisor = (v.units / 10^v.scale) / (d.units / 10^d.scale); scale the numerator so the
  // integer quotient lands on `scale` decimals.
  const exp = scale + d.scale - v.scale;
  const num = exp >= 0 ? v.units * 10n ** BigInt(exp) : v.units;
  const den = exp >= 0 ? d.units : d.units * 10n ** BigInt(-exp);
  return fromDec({ units: roundDiv(num, den), scale });
}

/** Negate an amount string. */
export function negateAmount(value: string): string {
  const d = toDec(value);
  return fromDec({ units: -d.units, scale: d.scale });
}

/**
 * The amount a bare figure stands for when OCR dropped its decimal point ("431022" for 4,310.22):
 * three or more digits and nothing else, divided by 100; null for anything else. Callers accept it
 * only where arithmetic proves it.
 */
export function withLostDecimalPoint(value: string): string | null {
  return /^\d{3,}$/.test(value) ? divideAmount(value, 100, 2) : null;
}
