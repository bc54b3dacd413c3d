/** Value helpers shared by the CII and UBL readers. */
import type { LineItem } from '../events.ts';
import { formatAmount, formatUnitAmount, isAmount, divideAmount, multiplyAmount } from '../parse/amount.ts';
import { isCurrencyCode } from '../parse/currency.ts';
import { parseDate } from '../parse/date.ts';

/** A decimal as e-invoices write it ("1021.91", "-233.47", "100"); null when not one. */
export function dec(v: string | null | undefined): string | null {
  if (v == null) return null;
  const t = v.trim().replace(/^\+/, '');
  return isAmount(t) ? t : null;
}

export function money(v: string | null | undefined, currency: string | null): string | null {
  const d = dec(v);
  return d === null ? null : formatAmount(d, currency);
}

export function unitMoney(v: string | null | undefined, currency: string | null): string | null {
  const d = dec(v);
  return d === null ? null : formatUnitAmount(d, currency);
}

export function quantity(v: string | null | undefined): number | null {
  const d = dec(v);
  if (d === null) return null;
  const n = Number(d);
  return Number.isFinite(n) ? n : null;
}

/** Unit price per one unit of quantity: price ÷ base quantity when the base is not 1. */
export function perUnit(price: string | null, baseQty: string | null, currency: string | null): string | null {
  if (price === null) return null;
  const b = dec(baseQty);
  if (b === null || Number(b) === 0 || Number(b) === 1) return price;
  const v = divideAmount(price, b, 4);
  return v === null ? null : formatUnitAmount(v, currency);
}

export function lineTotal(total: string | null, unit: string | null, qty: number | null): string | null {
  if (total !== null) return total;
  return unit !== null && qty !== null ? multiplyAmount(unit, qty) : null;
}

/** CII udt:DateTimeString: format 102 = YYYYMMDD (the only one EN 16931 allows), 610 = YYYYMM. */
export function ciiDate(value: string | null, format: string | null): string | null {
  if (!value) return null;
  const v = value.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m && (!format || format === '102')) return valid(m[1]!, m[2]!, m[3]!);
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return valid(m[1]!, m[2]!, m[3]!);
  return parseDate(v)?.iso ?? null;
}

/** UBL dates are xsd:date ("2024-11-15", possibly with a zone suffix). */
export function ublDate(value: string | null): string | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  return m ? valid(m[1]!, m[2]!, m[3]!) : null;
}

function valid(y: string, mo: string, d: string): string | null {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() + 1 !== Number(mo) || date.getUTCDate() !== Number(d))
    return null;
  return `${y}-${mo}-${d}`;
}

export function currencyCode(v: string | null): string | null {
  const c = v?.trim().toUpperCase() ?? null;
  return c && isCurrencyCode(c) ? c : null;
}

/** Collapse white space; null for empty. */
export function clean(v: string | null | undefined): string | null {
  if (v == null) return null;
  const t = v.replace(/\s+/g, ' ').trim();
  return t || null;
}

/** UNTDID 4461 payment means → the names the normaliser uses for printed invoices. */
export function paymentMeansName(code: string | null): string | null {
  switch (code?.trim()) {
    case '10':
      return 'Cash';
    case '20':
      return 'Cheque';
    case '30':
    case '31':
    case '42':
    case '58':
    case '62':
      return 'Bank transfer';
    case '48':
    case '54':
      return 'Credit card';
    case '55':
      return 'Debit card';
    case '49':
    case '59':
      return 'Direct debit';
    case '68':
      return 'Online payment';
    default:
      return null;
  }
}

export type Item = LineItem;

/** Note-only lines (a free text in a line of its own, no product, no amounts) are not items. */
export function hasContent(li: LineItem): boolean {
  return li.description !== null || li.quantity !== null || li.unit_price !== null || li.total !== null;
}
