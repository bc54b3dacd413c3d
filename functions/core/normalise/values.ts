/**
 * Value readers for fields Textract already typed (a PRICE is known to be money, a QUANTITY a
 * number), so they may repair common OCR slips that the strict parsers must reject.
 */
import { parseAmount, type ParsedAmount } from '../parse/amount.ts';

export interface FieldAmount extends ParsedAmount {
  /** A receipt tax/VAT category letter followed the number ("899.99 S"). */
  taxFlag: boolean;
}

// "/Unit", "per unit", "ea", "each", "@" around unit prices.
const UNIT_SUFFIX =
  /\s*(?:\/\s*(?:unit|u|ea|each|pc|pcs|st|stk|item|kg|h|hr|hour|std)\.?|per\s+\p{L}+|each|ea\.?)\s*$/iu;

/** Parse a money value of an amount-typed field, with OCR repairs; null when hopeless. */
export function amountOfField(text: string, hint?: { decimalSeparator?: ',' | '.' }): FieldAmount | null {
  const t = text.replace(/[\r\n]+/g, ' ').trim();
  if (!t) return null;
  const taxFlag = /\d\s*[A-Za-z]\*?$/.test(t) && !/\d\s*(?:CR|DR)$/i.test(t);
  const strict = parseAmount(t, hint);
  if (strict) return { ...strict, taxFlag };

  let s = t.replace(/^@\s*/, '').replace(UNIT_SUFFIX, '');
  // A single letter glued before the digits is a misread currency sign ("P21.50" for ₱21.50).
  s = s.replace(/^[A-Z](?=\d)/, '');
  // "14. 50" (a space after the decimal separator) and "300-00" (a dash read for the point).
  s = s.replace(/(\d)([.,])\s+(\d{1,2})(\s+\S+)?$/, '$1$2$3$4').replace(/^(\d{1,9})-(\d{2})(\s+\S+)?$/, '$1.$2$3');
  const repaired = s !== t ? parseAmount(s, hint) : null;
  return repaired ? { ...repaired, taxFlag } : null;
}

/** Quantity as a number: "2", "4.5", "1,5", "3 x", "2 pcs", "1.000" (grouping → 1000). */
export function quantityOf(text: string, hint?: { decimalSeparator?: ',' | '.' }): number | null {
  const t = text.replace(/[\r\n]+/g, ' ').trim();
  const m =
    /^(?:x\s*)?([-+]?\d[\d.,' ]*)\s*(?:x|×|pcs?\.?|pieces?|ea\.?|each|units?|stk\.?|st\.?|szt\.?|pce?\.?|h|hrs?|hours?|std\.?|kg|g|l|m|days?|tage?)?\.?$/iu.exec(
      t,
    );
  if (!m?.[1]) return null;
  const parsed = parseAmount(m[1].trim(), hint);
  if (!parsed) return null;
  const n = Number(parsed.value);
  return Number.isFinite(n) ? n : null;
}
