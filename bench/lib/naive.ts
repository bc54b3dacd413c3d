/**
 * Baseline: regular expressions over the document's flat text (lines top to bottom), the way
 * simple invoice parsers work. No geometry, no tables. Used only to put the layout analysis'
 * numbers in perspective.
 */
import type { Actual } from '../../test/support/score.ts';
import { parseAmount } from '../../functions/core/parse/amount.ts';
import { detectCurrency } from '../../functions/core/parse/currency.ts';
import { parseDate } from '../../functions/core/parse/date.ts';

const ID =
  /(?:invoice|rechnung|facture|factuur|faktura|receipt|bill)\s*(?:no\.?|number|nr\.?|n°|#|nummer|numéro)?\s*[:#]?\s*([A-Z0-9][A-Z0-9/_-]{2,})/i;
const DATE = /(?:date|datum|du|vom)\s*[:]?\s*(.{6,24})/i;
const DUE = /(?:due date|fällig|échéance|vervaldatum)\s*[:]?\s*(.{6,24})/i;
const AMOUNT = /(-?[\d.,' ]*\d[.,]\d{2})(?!\d)/g;

function lastAmount(line: string): string | null {
  const all = [...line.matchAll(AMOUNT)].map((m) => m[1]!.trim());
  for (let i = all.length - 1; i >= 0; i--) {
    const a = parseAmount(all[i]!);
    if (a) return Number(a.value).toFixed(2);
  }
  return null;
}

export function naiveExtract(lines: string[]): Actual {
  const text = lines.join('\n');
  const find = (re: RegExp): string | null => re.exec(text)?.[1]?.trim() ?? null;
  const labelled = (re: RegExp): string | null => {
    let hit: string | null = null;
    for (const l of lines) if (re.test(l)) hit = lastAmount(l) ?? hit;
    return hit;
  };
  const dateText = find(DATE);
  const dueText = find(DUE);
  return {
    merchant: lines.find((l) => /\p{L}{3,}/u.test(l) && !/invoice|rechnung|facture|receipt/i.test(l))?.trim() ?? null,
    invoice_id: find(ID),
    date: dateText ? (parseDate(dateText)?.iso ?? null) : null,
    due_date: dueText ? (parseDate(dueText)?.iso ?? null) : null,
    currency: detectCurrency(text),
    subtotal: labelled(/sub\s*-?total|zwischensumme|nettobetrag|total ht|net amount/i),
    tax: labelled(/\b(?:vat|tax|mwst|ust|tva|btw)\b/i),
    total: labelled(/\btotal\b|gesamtbetrag|summe|totaal|montant ttc/i),
    payment_method: null,
    line_items: [],
  };
}
