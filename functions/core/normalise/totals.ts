/**
 * Money summary: subtotal, tax, total, amount due, discount. Textract's field type is trusted
 * (label "Total" typed SUBTOTAL stays the subtotal); labels, confidence, page and arithmetic
 * consistency only rank several candidates of the same type.
 */
import {
  addAmounts,
  amountsClose,
  compareAmounts,
  negateAmount,
  subtractAmounts,
  sumAmounts,
} from '../parse/amount.ts';
import { labelOf, type FieldView } from './fields.ts';
import { amountOfField } from './values.ts';

export interface MoneyPick {
  value: string;
  confidence: number;
  page: number;
}

export interface Totals {
  subtotal: MoneyPick | null;
  tax: MoneyPick | null;
  total: MoneyPick | null;
  amountDue: MoneyPick | null;
  discount: MoneyPick | null;
}

interface Candidate {
  f: FieldView;
  value: string;
}

const STRONG_TOTAL =
  /grand\s*total|total\s*(?:amount\s*)?(?:due|payable|to\s*pay|ttc|incl|brutto|gross)|amount\s*(?:due|payable)|balance\s*due|invoice\s*total|total\s*invoice|gesamtbetrag|rechnungsbetrag|endbetrag|zu\s*zahlen|total\s*[àa]\s*payer|net\s*[àa]\s*payer|montant\s*total|te\s*betalen|totaalbedrag|importe\s*total|totale\s*(?:fattura|documento|da\s*pagare)|do\s*zap[łl]aty/i;
const TOTAL_WORD = /\b(?:total|totaal|totale|gesamt|summe|betrag|montant|importe|razem|amount|suma)\b/i;
const WEAK_TOTAL =
  /charges?|\bfees?\b|paid|\btend|payment|balance(?!\s*due)|\bsub|\bnet\b(?!\s*[àa])|credit|adjust|saving|discount|deposit|previous|prior|\btip\b|gratuity|change|insurance|refund/i;
const DUE_LABEL =
  /(?:amount|balance|total)\s*due|amount\s*(?:you\s*)?owe|to\s*pay|zu\s*zahlen|[àa]\s*payer|te\s*betalen|do\s*zap[łl]aty|payable|^balance$|remaining|restbetrag|offener\s*betrag/i;

function candidates(summary: readonly FieldView[], types: string[], hint: ',' | '.' | undefined): Candidate[] {
  const out: Candidate[] = [];
  for (const f of summary) {
    if (!types.includes(f.type) || !f.value) continue;
    const a = amountOfField(f.value, hint ? { decimalSeparator: hint } : undefined);
    if (a) out.push({ f, value: a.value });
  }
  return out;
}

function labelScore(label: string): number {
  if (!label) return 0;
  let s = 0;
  if (STRONG_TOTAL.test(label)) s += 3;
  else if (TOTAL_WORD.test(label)) s += 2;
  if (WEAK_TOTAL.test(label)) s -= 2;
  return s;
}

function pick(c: Candidate, confidenceScale = 1): MoneyPick {
  return { value: c.value, confidence: c.f.confidence * confidenceScale, page: c.f.page };
}

function maxBy<T>(items: readonly T[], score: (t: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const it of items) {
    const s = score(it);
    if (s > bestScore) {
      best = it;
      bestScore = s;
    }
  }
  return best;
}

/** Distinct tax values per page, summed: several VAT rates each print their own TAX line. */
function taxSums(taxes: readonly Candidate[]): string[] {
  const byPage = new Map<number, Set<string>>();
  for (const t of taxes) {
    const set = byPage.get(t.f.page) ?? new Set<string>();
    // "19.00" and "19.0" are one value printed twice, not two rates.
    if (![...set].some((v) => compareAmounts(v, t.value) === 0)) set.add(t.value);
    byPage.set(t.f.page, set);
  }
  return [...byPage.values()].filter((s) => s.size > 1).map((s) => sumAmounts([...s]));
}

const CENT = '0.01';

export function decideTotals(
  summary: readonly FieldView[],
  hint: ',' | '.' | undefined,
  lineSum: string | null,
): Totals {
  const totals = candidates(summary, ['TOTAL'], hint);
  const subs = candidates(summary, ['SUBTOTAL'], hint);
  const taxes = candidates(summary, ['TAX'], hint);
  const dues = candidates(summary, ['AMOUNT_DUE'], hint);
  const discounts = candidates(summary, ['DISCOUNT'], hint);
  // Credit notes often print the tax without its minus sign ("Total HT -218,48 · Taxes 14,99 ·
  // Total TTC -233,47"): with negative subtotals, the negated tax is an option too.
  const creditNote = subs.some((x) => compareAmounts(x.value, '0') < 0);
  const taxOptions = [...taxes.map((t) => t.value), ...taxSums(taxes)];
  if (creditNote) taxOptions.push(...taxOptions.filter((t) => compareAmounts(t, '0') > 0).map(negateAmount));

  const consistentWithParts = (v: string): boolean =>
    subs.some((s) => taxOptions.some((t) => amountsClose(addAmounts(s.value, t), v, CENT)));

  // --- total
  let total: MoneyPick | null = null;
  if (totals.length > 0) {
    const lastPage = Math.max(...totals.map((t) => t.f.page));
    const best = maxBy(totals, (c) => {
      let s = labelScore(labelOf(c.f)) + c.f.confidence;
      if (consistentWithParts(c.value)) s += 2;
      else if (subs.some((x) => amountsClose(x.value, c.value, CENT))) s += 0.5;
      if (lineSum && amountsClose(lineSum, c.value, CENT)) s += 1;
      if (c.f.page === lastPage) s += 0.5;
      if (compareAmounts(c.value, '0') === 0) s -= 1;
      return s;
    });
    if (best) total = pick(best);
  } else {
    // Older/partial results: an amount due, a total-like OTHER, or what the customer paid.
    const others = candidates(summary, ['OTHER'], hint).filter((c) => labelScore(labelOf(c.f)) >= 2);
    const paid = candidates(summary, ['AMOUNT_PAID'], hint);
    const best =
      maxBy(dues, (c) => c.f.confidence) ??
      maxBy(others, (c) => labelScore(labelOf(c.f)) + c.f.confidence) ??
      maxBy(paid, (c) => c.f.confidence);
    if (best) total = pick(best, 0.7);
  }

  // --- tax: the option that makes subtotal + tax = total, else the most confident one
  let tax: MoneyPick | null = null;
  if (taxes.length > 0) {
    const fitting = total
      ? taxOptions.find((t) => subs.some((s) => amountsClose(addAmounts(s.value, t), total.value, CENT)))
      : undefined;
    const bestTax = maxBy(
      taxes,
      (c) => c.f.confidence + (fitting !== undefined && compareAmounts(c.value, fitting) === 0 ? 2 : 0),
    );
    if (fitting !== undefined && bestTax && compareAmounts(bestTax.value, fitting) !== 0) {
      tax = { value: fitting, confidence: Math.min(...taxes.map((t) => t.f.confidence)), page: bestTax.f.page };
    } else if (bestTax) tax = pick(bestTax);
  }

  // --- subtotal
  let subtotal: MoneyPick | null = null;
  if (subs.length > 0) {
    const lastPage = Math.max(...subs.map((t) => t.f.page));
    const best = maxBy(subs, (c) => {
      let s = c.f.confidence + (c.f.page === lastPage ? 0.5 : 0);
      if (total && tax && amountsClose(addAmounts(c.value, tax.value), total.value, CENT)) s += 2;
      if (lineSum && amountsClose(lineSum, c.value, CENT)) s += 1;
      return s;
    });
    if (best) subtotal = pick(best);
  }

  // --- amount due: its own type, else a total/other field labelled as what is owed
  let amountDue: MoneyPick | null = null;
  const dueBest = maxBy(dues, (c) => c.f.confidence);
  if (dueBest) amountDue = pick(dueBest);
  else {
    const labelled = candidates(summary, ['TOTAL', 'OTHER'], hint).filter((c) => DUE_LABEL.test(labelOf(c.f)));
    const lastPage = Math.max(0, ...labelled.map((t) => t.f.page));
    const best = maxBy(
      labelled,
      (c) => c.f.confidence + (c.f.type === 'TOTAL' ? 0.5 : 0) + (c.f.page === lastPage ? 0.5 : 0),
    );
    if (best) amountDue = pick(best, best.f.type === 'TOTAL' ? 1 : 0.8);
  }

  // --- no printed subtotal: derive it only when the document itself settles it
  if (!subtotal && total) {
    const zeroTax = tax !== null && compareAmounts(tax.value, '0') === 0;
    if (zeroTax) {
      // "Tax $0.00 … Total $4.11": the total is the pre-tax amount.
      subtotal = {
        value: total.value,
        confidence: Math.min(total.confidence, tax!.confidence) * 0.8,
        page: total.page,
      };
    } else if (lineSum) {
      const net = tax ? subtractAmounts(total.value, tax.value) : total.value;
      // Lines that add up to total − tax (or to the total when no tax is printed) are the subtotal.
      if (amountsClose(lineSum, net, CENT) && (tax !== null || discounts.length === 0)) {
        subtotal = { value: net, confidence: total.confidence * 0.7, page: total.page };
      }
    }
  }

  const discBest = maxBy(discounts, (c) => c.f.confidence);
  return { subtotal, tax, total, amountDue, discount: discBest ? pick(discBest) : null };
}
