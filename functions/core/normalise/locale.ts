/**
 * Document-wide conventions: the currency, the decimal separator and the day/month order.
 * Each is decided once from all the evidence in the response, then used by every field.
 */
import { detectCurrencyDetail } from '../parse/currency.ts';
import type { FieldView, ResponseView } from './fields.ts';

export const AMOUNT_TYPES = new Set([
  'TOTAL',
  'SUBTOTAL',
  'TAX',
  'AMOUNT_DUE',
  'AMOUNT_PAID',
  'DISCOUNT',
  'PRIOR_BALANCE',
  'SERVICE_CHARGE',
  'SHIPPING_HANDLING_CHARGE',
  'GRATUITY',
  'PRICE',
  'UNIT_PRICE',
]);

export interface CurrencyDecision {
  code: string | null;
  /** Guessed from an ambiguous sign ("$") or from text far from the amounts. */
  assumed: boolean;
  confidence: number;
}

/**
 * Currency: Textract's Currency.Code on amount fields, else a sign or code inside the amount
 * texts, else any explicit mention elsewhere (field values, labels, OCR lines).
 */
export function decideCurrency(view: ResponseView): CurrencyDecision {
  const all = [...view.summary, ...view.rows.flatMap((r) => r.fields)];
  const votes = new Map<string, number>();
  for (const f of all) {
    if (f.currencyCode)
      votes.set(f.currencyCode, (votes.get(f.currencyCode) ?? 0) + (f.currencyConfidence ?? f.confidence));
  }
  const voted = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (voted) {
    const withCode = all.filter((f) => f.currencyCode === voted[0]);
    const conf = Math.max(...withCode.map((f) => f.currencyConfidence ?? f.confidence));
    return { code: voted[0], assumed: false, confidence: round3(conf) };
  }

  const amountTexts = all.filter((f) => AMOUNT_TYPES.has(f.type)).map((f) => f.value);
  const fromAmounts = bestDetection(amountTexts);
  if (fromAmounts && !fromAmounts.assumed) return { ...fromAmounts, confidence: 0.9 };

  const otherTexts = [
    ...all.filter((f) => !AMOUNT_TYPES.has(f.type)).flatMap((f) => [f.value, f.label ?? '']),
    ...view.lines.map((l) => l.text),
  ];
  const fromOther = bestDetection(otherTexts);
  if (fromOther && !fromOther.assumed) return { code: fromOther.code, assumed: true, confidence: 0.6 };
  if (fromAmounts) return { code: fromAmounts.code, assumed: true, confidence: 0.7 };
  if (fromOther) return { code: fromOther.code, assumed: true, confidence: 0.4 };
  return { code: null, assumed: false, confidence: 0 };
}

/** Most frequent detection over the texts; explicit ones outrank guesses. */
function bestDetection(texts: readonly string[]): { code: string; assumed: boolean } | null {
  const tally = new Map<string, { code: string; assumed: boolean; n: number }>();
  for (const t of texts) {
    const d = t ? detectCurrencyDetail(t) : null;
    if (!d) continue;
    const key = `${d.assumed ? 1 : 0}:${d.code}`;
    const cur = tally.get(key) ?? { ...d, n: 0 };
    cur.n++;
    tally.set(key, cur);
  }
  const best = [...tally.values()].sort((a, b) => Number(a.assumed) - Number(b.assumed) || b.n - a.n)[0];
  return best ? { code: best.code, assumed: best.assumed } : null;
}

/**
 * The decimal separator amounts use, from texts that settle it ("12,50", "1.234,56" → ",";
 * "12.50", "1,234.56" → "."); undefined when nothing does.
 */
export function decideDecimalSeparator(fields: readonly FieldView[]): ',' | '.' | undefined {
  let comma = 0;
  let dot = 0;
  for (const f of fields) {
    if (!AMOUNT_TYPES.has(f.type)) continue;
    const m = /\d([.,])\d{1,2}(?!\d)(?:\D*)$/.exec(f.value);
    if (m?.[1] === ',') comma++;
    else if (m?.[1] === '.') dot++;
  }
  if (comma === dot) return undefined;
  return comma > dot ? ',' : '.';
}

// Currencies whose countries write numeric dates month first.
const MONTH_FIRST = new Set(['USD', 'PHP']);
// Currencies whose countries write numeric dates day first (the large majority).
const DAY_FIRST = new Set([
  'EUR',
  'GBP',
  'INR',
  'AUD',
  'NZD',
  'CHF',
  'PLN',
  'BRL',
  'MXN',
  'ARS',
  'CLP',
  'COP',
  'PEN',
  'ZAR',
  'SEK',
  'NOK',
  'DKK',
  'CZK',
  'HUF',
  'RON',
  'BGN',
  'TRY',
  'RUB',
  'UAH',
  'ILS',
  'AED',
  'SAR',
  'EGP',
  'NGN',
  'KES',
  'MYR',
  'SGD',
  'IDR',
  'THB',
  'VND',
  'PKR',
  'BDT',
  'LKR',
  'HKD',
]);

export interface DayFirstDecision {
  dayFirst: boolean | undefined;
  /** True when the order came from the document's own unambiguous dates or an explicit currency. */
  trusted: boolean;
}

/**
 * Day/month order for ambiguous numeric dates: other dates of the same document that can only be
 * read one way ("01/31/2021") decide; else the currency's country convention.
 */
// Page signals of where a document comes from, for documents whose dates and currency leave the
// order open. Month-first is a US (and Philippine) habit; nearly every other country writes day first.
const MONTH_FIRST_SIGNS = /\bsales tax\b|,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\(\d{3}\)\s?\d{3}-\d{4}\b|\bEIN\b/g;
const DAY_FIRST_SIGNS =
  /\b(?:GST|VAT|MwSt|USt|TVA|IVA|BTW|Sdn\.?\s?Bhd|Bhd|GmbH|Ltd|Pty|ABN|SIRET|TTC|HT|Rechnung|Facture|Factura|Fattura|Factuur|Fatura|Datum|Fecha|Data|Jalan|Taman|Selangor|Kuala Lumpur|Johor|Malaysia|Singapore|Postcode)\b/gi;

function countMatches(texts: readonly string[], re: RegExp): number {
  let n = 0;
  for (const t of texts) n += (t.match(re) ?? []).length;
  return n;
}

export function decideDayFirst(
  dateTexts: readonly string[],
  currency: CurrencyDecision,
  pageTexts: readonly string[] = [],
): DayFirstDecision {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const t of dateTexts) {
    for (const m of t.matchAll(/(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?!\d)/g)) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      // Only real dates count: "3.43.01" is a time, not the 43rd of March.
      if (a > 31 || b > 31 || a === 0 || b === 0) continue;
      if (a > 12 && b <= 12) dayFirst++;
      else if (b > 12 && a <= 12) monthFirst++;
    }
  }
  if (dayFirst !== monthFirst) return { dayFirst: dayFirst > monthFirst, trusted: true };
  if (currency.code && MONTH_FIRST.has(currency.code)) return { dayFirst: false, trusted: !currency.assumed };
  if (currency.code && DAY_FIRST.has(currency.code)) return { dayFirst: true, trusted: !currency.assumed };
  const monthFirstSigns = countMatches(pageTexts, MONTH_FIRST_SIGNS);
  const dayFirstSigns = countMatches(pageTexts, DAY_FIRST_SIGNS);
  if (dayFirstSigns > monthFirstSigns) return { dayFirst: true, trusted: false };
  if (monthFirstSigns > dayFirstSigns) return { dayFirst: false, trusted: false };
  return { dayFirst: undefined, trusted: false };
}

export function round3(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
}
