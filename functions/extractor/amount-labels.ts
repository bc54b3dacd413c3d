/**
 * Which summary amount a label names ("Zwischensumme" → SUBTOTAL, "TVA 20 %" → TAX, "Net total"
 * → SUBTOTAL or TOTAL), from the word lists in labels.ts. Shared by the field finder and the
 * table reader (a totals label ends an item table).
 */
import {
  AMOUNT_DUE_WORDS,
  AMOUNT_EXCLUDE,
  CHANGE_WORDS,
  GROSS_WORDS,
  NET_WORDS,
  ROUNDING_WORDS,
  SUBTOTAL_WORDS,
  TAX_BASE_WORDS,
  TAX_WORDS,
  TENDERED_WORDS,
  TOTAL_STRONG,
  TOTAL_WEAK,
  TOTAL_WORDS,
} from './labels.ts';
import { fold, oneLetterApart } from './layout.ts';

/** Squash spaces for long keywords: some PDFs put kerning gaps inside words ("Br uttosumme"). */
const WORD_RE = new Map<string, RegExp>();
function hasWord(label: string, squashed: string, kw: string): boolean {
  if (kw.length <= 5) {
    let re = WORD_RE.get(kw);
    if (!re) {
      re = new RegExp(`(?<![\\p{L}\\p{N}])${kw.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u');
      WORD_RE.set(kw, re);
    }
    return re.test(label);
  }
  if (squashed.includes(kw.replace(/\s+/g, ''))) return true;
  if (kw.length < FUZZY_MIN || kw.includes(' ')) return false;
  // A word (its brackets and stops aside: "(inclusiva"), or two that OCR split apart ("Rour ding").
  const words = label.split(/[^\p{L}\p{N}]+/u);
  return words.some((w, i) => oneLetterApart(w, kw) || oneLetterApart(w + (words[i + 1] ?? ''), kw));
}

/** One-word keywords this long are still recognised, as a whole word, with one letter misread ("Rourding"). */
const FUZZY_MIN = 8;
const hasAny = (label: string, squashed: string, kws: readonly string[]): boolean =>
  kws.some((k) => hasWord(label, squashed, k));

/** Which amount field a label phrase names, if any. */
const CLASSIFIED = new Map<string, AmountLabel | null>();

/**
 * An amount label's field type and strength. `alt` is a second reading the arithmetic may prefer:
 * "Net total" is the sum before tax on invoices but the amount paid on many receipts.
 */
export interface AmountReading {
  type: string;
  weight: number;
  ifConsistent?: boolean;
}
export interface AmountLabel extends AmountReading {
  alt?: AmountReading;
}

const IN_THE_TOTAL = /(?:^|\s)(?:included\s+|incl\.?\s+|contained\s+)?in\s+(?:the\s+)?total(?:\s|$)/;

/**
 * `rated`: the label's line prints a rate beside it ("IVA 16% incluido"), which the label text
 * (words only) does not show.
 */
export function classifyAmountLabel(labelText: string, rated = false): AmountLabel | null {
  const key = rated ? `%${labelText}` : labelText;
  const hit = CLASSIFIED.get(key);
  if (hit !== undefined) return hit;
  const out = classifyUncached(labelText, rated);
  if (CLASSIFIED.size > 5000) CLASSIFIED.clear();
  CLASSIFIED.set(key, out);
  return out;
}

function classifyUncached(labelText: string, rated: boolean): AmountLabel | null {
  // Receipts abbreviate: "Total Amt Payable", "Amt Due".
  const l = fold(labelText)
    .replace(/[:*]+/g, ' ')
    // A rate OCR glued to its label ("IVA23%", "BTW21%") is a word of its own.
    .replace(/(\p{L})(\d{1,2}(?:[.,]\d{1,3})?\s?%)/gu, '$1 $2')
    // "I.V.A." with its first dot lost or its I read as L ("LV.A.", "ILVA.", "L.V.A.").
    .replace(
      /(?<![\p{L}\p{N}])(?:i|l|il|1)\.?v\.a\.?(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])ilva\.?(?![\p{L}\p{N}])/gu,
      'iva',
    )
    .replace(/(?<![\p{L}])amt\.?(?![\p{L}])/gu, 'amount')
    // "Qty" as OCR reads it on receipts ("Oty(s)", "Qity", "Aty"): a count, never money.
    .replace(/(?<![\p{L}])[qoa0][il1]?ty(?![\p{L}])/gu, 'qty')
    .replace(/\s+/g, ' ')
    .trim();
  if (!l || l.length > 60) return null;
  const sq = l.replace(/\s+/g, '');
  if (hasAny(l, sq, CHANGE_WORDS) && !hasAny(l, sq, TOTAL_WORDS)) return { type: '_CHANGE', weight: 0.8 };
  if (hasAny(l, sq, TENDERED_WORDS) && !hasAny(l, sq, TOTAL_WORDS)) return { type: '_TENDERED', weight: 0.8 };
  if (hasAny(l, sq, ROUNDING_WORDS) && !hasAny(l, sq, TOTAL_WORDS)) return { type: '_ROUNDING', weight: 0.7 };
  if (hasAny(l, sq, AMOUNT_DUE_WORDS)) return { type: 'AMOUNT_DUE', weight: 0.9 };
  if (hasAny(l, sq, TAX_BASE_WORDS)) return { type: 'SUBTOTAL', weight: 0.9 };
  if (hasAny(l, sq, AMOUNT_EXCLUDE)) return null;
  const tax = hasAny(l, sq, TAX_WORDS);
  // "GST @6% included in total": what the total holds, not the total ("in total" alone when a
  // column gap cut the tax word off).
  if (IN_THE_TOTAL.test(l)) return { type: 'TAX', weight: tax ? 0.9 : 0.5 };
  const net = hasAny(l, sq, NET_WORDS);
  const gross = hasAny(l, sq, GROSS_WORDS);
  const totalStrong = hasAny(l, sq, TOTAL_STRONG);
  const total = totalStrong || hasAny(l, sq, TOTAL_WORDS);
  const sub = hasAny(l, sq, SUBTOTAL_WORDS);
  if (tax) {
    // "IVA 16% incluido", "inkl. 19% MwSt.": with its rate and no total word, a tax said to be
    // included is the tax the total holds; "Total incl. VAT", "MwSt. brutto" name the total.
    if (gross)
      return rated && !total && !hasAny(l, sq, GROSS_NOUNS)
        ? { type: 'TAX', weight: 0.9 }
        : { type: 'TOTAL', weight: 0.95 };
    if (net) return { type: 'SUBTOTAL', weight: 0.9 };
    return { type: 'TAX', weight: total ? 0.95 : 0.9 };
  }
  if (sub) return { type: 'SUBTOTAL', weight: /positions|waren|line|nettowert|goederen/.test(sq) ? 0.6 : 1 };
  if (net)
    return total
      ? { type: 'SUBTOTAL', weight: 0.95, alt: { type: 'TOTAL', weight: 0.6 } }
      : { type: 'SUBTOTAL', weight: 0.75 };
  // "Incl. …" alone is a qualifier more often than a total label.
  if (gross) return { type: 'TOTAL', weight: total ? 1 : 0.7 };
  if (totalStrong) return { type: 'TOTAL', weight: 1 };
  // A plain "Suma" / "Summe" / "Total" above a stronger total is often the sum before tax.
  if (total) return { type: 'TOTAL', weight: 0.9, alt: { type: 'SUBTOTAL', weight: 0.5, ifConsistent: true } };
  if (hasAny(l, sq, TOTAL_WEAK)) return { type: 'TOTAL', weight: 0.45 };
  return null;
}

/** Gross words that name the total itself rather than say what it includes. */
const GROSS_NOUNS = ['gross', 'brutto', 'bruttosumme', 'bruttobetrag', 'ttc', 't.t.c', 'toutes taxes'];
