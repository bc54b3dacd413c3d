/**
 * Line items from tables without a header row (service statements, usage breakdowns): a run of
 * lines whose right-most word is an amount ending at one common right edge, with a description to
 * its left. Without header words nothing says these lines are items, so the rows have to prove
 * it: their amounts must add up to a total printed on the document. Rows indented under another
 * row (its charges, its tax) break that row down, so the least-indented rows are tried as the
 * items first, then every row. A totals line ("Total", "Subtotal", "Amount due") closes a run.
 */
import {
  compareAmounts,
  divideAmount,
  multiplyAmount,
  parseAmount,
  roundAmount,
  subtractAmounts,
  sumAmounts,
} from '../core/parse/amount.ts';
import { ITEM_CODE, summaryLabelOf, type ItemRow } from './tables.ts';
import { isNumberWord } from './body-columns.ts';
import type { Line, Word } from './types.ts';

/** A line ending in an amount, split into the description part and the amount part. */
interface AmountLine {
  line: Line;
  amount: string;
  amountWords: Word[];
  textWords: Word[];
  right: number;
  indent: number;
  summaryType: string | null;
}

interface Run {
  rows: AmountLine[];
  closer: AmountLine | null;
}

/** Amount right edges within this share of the page width are one column (OCR jitters by ~0.3 %). */
const ALIGN_TOLERANCE = 0.01;
/** Text starts within this share of the page width are one indent level. */
const INDENT_TOLERANCE = 0.006;
/** A vertical gap above this many line heights ends a run. */
const MAX_GAP_LINES = 2.5;
/** Lines without an amount tolerated inside a run (a wrapped description, an OCR split). */
const MAX_PLAIN_LINES = 2;
/** Lines a page break may put between two rows of one table (footer, next page's letterhead). */
const MAX_CARRIED_LINES = 12;
const CLOSING_TYPES = new Set(['TOTAL', 'SUBTOTAL', 'AMOUNT_DUE']);
const CURRENCY_TOKEN = /^[^\d\p{L}]{1,3}$|^[A-Z]{3}$|^[A-Z]{1,3}\$$|^Rs\.?$/u;

/**
 * The rows of the best header-less table, or [] when no run of aligned amounts adds up to one of
 * `printedTotals` (decimal strings: the document's subtotal, total, amount due, total − tax).
 */
export function findHeaderlessItems(lines: readonly Line[], printedTotals: readonly string[]): ItemRow[] {
  let best: AmountLine[] = [];
  for (const run of amountRuns(lines)) {
    const totals = run.closer ? [...printedTotals, run.closer.amount] : printedTotals;
    const items = itemRowsOf(run, totals);
    // One header-less table per document: the most detailed breakdown of the total wins over a
    // summary of it ("Service charges 4.11" above the per-service detail).
    if (items.length > best.length) best = items;
  }
  return best.map(toItemRow);
}

function itemRowsOf(run: Run, totals: readonly string[]): AmountLine[] {
  const described = run.rows.filter(
    (r) => r.summaryType === null && r.textWords.some((w) => /\p{L}{2,}/u.test(w.text)),
  );
  if (described.length < 2) return [];
  const minIndent = Math.min(...described.map((r) => r.indent));
  const outermost = described.filter((r) => r.indent <= minIndent + INDENT_TOLERANCE);
  for (const rows of [outermost, described]) {
    if (rows.length < 2) continue;
    const sum = sumAmounts(rows.map((r) => r.amount));
    if (totals.some((t) => compareAmounts(sum, t) === 0)) return rows;
  }
  // No total matches (OCR misread one figure of many, or no total printed): rows whose own
  // quantity × unit price gives their amount prove they are items, when most of them do.
  const proven = described.filter((r) => quantityPriceOf(r) !== null).length;
  return proven >= MIN_PROVEN_ROWS && proven >= PROVEN_SHARE * described.length ? described : [];
}

/** Rows that must prove their own arithmetic before a table without a matching total is taken. */
const MIN_PROVEN_ROWS = 3;
const PROVEN_SHARE = 0.75;

function quantityPriceOf(r: AmountLine): ReturnType<typeof inlineQuantityPrice> {
  return inlineQuantityPrice(r.textWords, r.amount) ?? columnQuantityPrice(r.line, r.textWords, r.amount);
}

function amountRuns(lines: readonly Line[]): Run[] {
  const runs: Run[] = [];
  let cur: Run | null = null;
  let lastBottom = 0;
  let lineHeight = 0;
  let plain = 0;
  const close = (): void => {
    if (cur?.rows.length) runs.push(cur);
    cur = null;
  };
  let lastPage = 0;
  let carried = 0;
  for (const line of lines) {
    const a = amountLineOf(line);
    // A table continued on the next page: its rows resume after that page's letterhead lines.
    const nextPage = cur !== null && line.page === lastPage + 1 && carried <= MAX_CARRIED_LINES;
    const near =
      cur !== null && ((line.page === lastPage && line.top - lastBottom <= MAX_GAP_LINES * lineHeight) || nextPage);
    if (!a) {
      // Text lines inside the table (wrapped descriptions) are counted; lines far below it (a page
      // footer) are not: the next row's own distance decides whether the table goes on.
      if (cur && nextPage) carried++;
      else if (cur && line.page === lastPage && line.top - lastBottom <= MAX_GAP_LINES * lineHeight) {
        if (++plain > MAX_PLAIN_LINES) close();
        // The table goes on below a line it holds (a row OCR could not read as one).
        else lastBottom = line.bottom;
      } else if (cur && line.page > lastPage + 1) close();
      continue;
    }
    const closes = a.summaryType !== null && CLOSING_TYPES.has(a.summaryType);
    if (cur && near && Math.abs(a.right - cur.rows[0]!.right) <= ALIGN_TOLERANCE) {
      if (closes) {
        cur.closer = a;
        close();
        continue;
      }
      cur.rows.push(a);
    } else {
      close();
      if (closes) continue;
      cur = { rows: [a], closer: null };
      lineHeight = Math.max(0.006, line.bottom - line.top);
    }
    lastBottom = line.bottom;
    lastPage = line.page;
    plain = 0;
    carried = 0;
  }
  close();
  return runs;
}

function amountLineOf(line: Line): AmountLine | null {
  const amountWords = trailingAmount(line.words);
  if (!amountWords) return null;
  const parsed = parseAmount(amountWords.map((w) => w.text).join(' '));
  const number = amountWords.find((w) => /\d/.test(w.text))!;
  // Money, not a year, an id or a count: decimals or a currency sign.
  if (!parsed || !(/\d[.,]\d{2}\)?$/.test(number.text) || parsed.currency !== null)) return null;
  const textWords = line.words.slice(0, line.words.length - amountWords.length);
  const last = amountWords[amountWords.length - 1]!;
  return {
    line,
    amount: parsed.value,
    amountWords,
    textWords,
    right: last.left + last.width,
    indent: (textWords[0] ?? amountWords[0]!).left,
    // Weak totals labels too ("Warenwert", "Bruttobetrag"): without a header row they are what ends the items.
    summaryType: summaryLabelOf(line, 0.5)?.type ?? null,
  };
}

/** The amount ending a line with the currency sign printed before or after it ("$ 4.11", "12,90 €"). */
function trailingAmount(words: readonly Word[]): Word[] | null {
  const n = words.length;
  const last = words[n - 1];
  const prev = words[n - 2];
  if (!last) return null;
  const withSign = (a: Word, b: Word): boolean =>
    CURRENCY_TOKEN.test(a.text) !== CURRENCY_TOKEN.test(b.text) && !!parseAmount(`${a.text} ${b.text}`)?.currency;
  if (prev && withSign(prev, last)) return [prev, last];
  return parseAmount(last.text) ? [last] : null;
}

function toItemRow(r: AmountLine): ItemRow {
  const inline = quantityPriceOf(r) ?? impliedQuantity(r);
  const used = new Set(inline ? [...inline.quantity, ...inline.unitPrice, ...inline.connectors] : []);
  const desc = trimSymbols(descriptionWords(r.line, r.textWords).filter((w) => !used.has(w)));
  const cell = (ws: Word[]): { words: Word[]; text: string } => ({ words: ws, text: ws.map((w) => w.text).join(' ') });
  const cells: ItemRow['cells'] = { PRICE: cell(r.amountWords) };
  if (desc.length) cells.ITEM = cell(desc);
  if (inline) {
    cells.QUANTITY = cell(inline.quantity);
    cells.UNIT_PRICE = cell(inline.unitPrice);
  } else if (!r.textWords.some((w) => isNumberColumn(r.line, w))) {
    // One amount and nothing else printed: the row is one unit of what it names, at that price.
    // (With net or tax columns beside it, what the unit price is stays unknown.)
    cells.UNIT_PRICE = cell(r.amountWords);
  }
  return { page: r.line.page, cells, rowWords: r.line.words };
}

/**
 * "2 x 10.00", "10.00 × 2", "Rs 1939 x 1 Night": a count and a price printed in the description
 * whose product is the row's amount.
 */
function inlineQuantityPrice(
  words: readonly Word[],
  amount: string,
): { quantity: Word[]; unitPrice: Word[]; connectors: Word[] } | null {
  const numbers = words
    .map((w, i) => ({ w, i, a: /%/.test(w.text) ? null : parseAmount(w.text) }))
    .filter((n) => n.a !== null);
  for (const q of numbers) {
    if (!/^\d{1,4}$/.test(q.w.text) || Number(q.w.text) === 0) continue;
    for (const p of numbers) {
      if (p === q || Math.abs(p.i - q.i) > 3) continue;
      if (compareAmounts(multiplyAmount(p.a!.value, q.w.text), amount) !== 0) continue;
      // Only a connector ("x", "×", "@", "*") or a currency sign may sit between the two.
      const between = words.slice(Math.min(p.i, q.i) + 1, Math.max(p.i, q.i));
      if (!between.every((w) => /^(?:x|×|@|\*|à)$/i.test(w.text) || CURRENCY_TOKEN.test(w.text))) continue;
      if (!between.some((w) => /^(?:x|×|@|\*|à)$/i.test(w.text))) continue;
      const cur = words[p.i - 1];
      const unitPrice = cur && CURRENCY_TOKEN.test(cur.text) && !between.includes(cur) ? [cur, p.w] : [p.w];
      return { quantity: [q.w], unitPrice, connectors: between };
    }
  }
  return null;
}

const isWhole = (x: string): boolean => /^-?\d+$/.test(x);

/** a × b rounds to the amount (line amounts are rounded to the cent). */
function productIs(a: string, b: string, amount: string): boolean {
  const decimals = (amount.split('.')[1] ?? '').length;
  return compareAmounts(roundAmount(multiplyAmount(a, b), decimals), amount) === 0;
}

/**
 * Quantity and unit price printed as columns of their own between the description and the amount
 * ("Montage vor Ort | 919 | 19,43 | 7% | 17856,17"): the two numbers whose product is the amount.
 * The quantity is the left one, unless only the right one is a whole number.
 */
function columnQuantityPrice(
  line: Line,
  words: readonly Word[],
  amount: string,
): { quantity: Word[]; unitPrice: Word[]; connectors: Word[] } | null {
  // The description's own numbers are no columns, except a leading count ("2 Heizkörperventil");
  const descWords = descriptionWords(line, words);
  const desc = new Set(descWords.slice(/^\d+(?:[.,]\d{1,2})?$/.test(descWords[0]?.text ?? '') ? 1 : 0));
  const numbers = words
    .filter((w) => !desc.has(w) && isNumberWord(w))
    .map((w) => ({ w, a: parseAmount(w.text) }))
    .filter(
      (n): n is { w: Word; a: NonNullable<ReturnType<typeof parseAmount>> } =>
        n.a !== null && compareAmounts(n.a.value, '0') !== 0,
    );
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i + 1; j < numbers.length; j++) {
      const [a, b] = [numbers[i]!, numbers[j]!];
      if (!productIs(a.a.value, b.a.value, amount)) continue;
      const swap = !isWhole(a.a.value) && isWhole(b.a.value);
      const [q, p] = swap ? [b, a] : [a, b];
      return { quantity: [q.w], unitPrice: [p.w], connectors: [] };
    }
  }
  return null;
}

/**
 * A unit price printed as its own column but no readable quantity (OCR drops lone digits): the
 * amount divided by that price is the quantity when it is a plain count or measure above one.
 */
function impliedQuantity(r: AmountLine): { quantity: Word[]; unitPrice: Word[]; connectors: Word[] } | null {
  const prices = r.textWords.filter((w) => isNumberColumn(r.line, w));
  if (prices.length !== 1) return null;
  const unit = parseAmount(prices[0]!.text)?.value;
  if (!unit || compareAmounts(unit, '0') <= 0) return null;
  const q = divideAmount(r.amount, unit, 2);
  if (!q || compareAmounts(q, '1') <= 0 || compareAmounts(q, '100000') > 0 || !productIs(q, unit, r.amount))
    return null;
  // A count is printed but does not multiply out (OCR lost a digit of it, or of the amount): only
  // a whole count may stand in for it ("1" for 11 × 5.09 = 55.99; not 10.24 for 12.80 ÷ 1.25).
  const desc = descriptionWords(r.line, r.textWords);
  const descEnd = Math.max(...desc.map((w) => w.left));
  const printedCount = r.textWords.some((w) => /^\d+$/.test(w.text) && !desc.includes(w) && w.left > descEnd);
  if (printedCount && !isWhole(q.replace(/\.0+$/, ''))) return null;
  const cur = r.textWords[r.textWords.indexOf(prices[0]!) - 1];
  const unitPrice = cur && CURRENCY_TOKEN.test(cur.text) ? [cur, prices[0]!] : [prices[0]!];
  // The count is not printed: it is carried by the price cell's geometry, and its text is computed.
  return { quantity: [{ ...prices[0]!, text: String(Number(q)) }], unitPrice, connectors: [] };
}

/**
 * The description: the text from the first segment with words up to the first segment that
 * starts with a number (quantity, price and percentage columns: "Nougat 250g | 5 Unit(s) | 4,55 €").
 */
function descriptionWords(line: Line, textWords: readonly Word[]): Word[] {
  const segments = line.segments.map((s) => s.words.filter((w) => textWords.includes(w))).filter((ws) => ws.length);
  let first = segments.findIndex((ws) => ws.some((w) => /\p{L}{2,}/u.test(w.text)));
  if (first < 0) return [];
  // An item-number column before the description ("SKU-78351 | Reinigung"): a code, not the text.
  const code = segments[first]!;
  if (
    code.length === 1 &&
    /\d/.test(code[0]!.text) &&
    segments[first + 1] &&
    /^\p{L}/u.test(segments[first + 1]![0]!.text)
  )
    first++;
  else if (code.length > 1 && ITEM_CODE.test(code[0]!.text) && /\p{L}{2,}/u.test(code[1]!.text))
    segments[first] = code.slice(1);
  const out: Word[] = [...segments[first]!];
  for (const ws of segments.slice(first + 1)) {
    if (!/^\p{L}/u.test(ws[0]!.text)) break;
    out.push(...ws);
  }
  // OCR may merge the price cells into the description's segment ("Consulting services USS 981.67"):
  // the description ends before the first money figure, with the currency mark printed before it.
  const money = out.findIndex((w, i) => i > 0 && /\d[.,]\d{2}$/.test(w.text) && parseAmount(w.text) !== null);
  if (money < 0) return out;
  const cut = money > 1 && /^(?:[A-Z]{2,3}[$S]?|[^\p{L}\d]{1,3})$/u.test(out[money - 1]!.text) ? money - 1 : money;
  return out.slice(0, cut);
}

/** An amount standing in a column of its own (net, tax), not a number inside the description. */
function isNumberColumn(line: Line, w: Word): boolean {
  if (!/\d[.,]\d{2}$/.test(w.text) || !parseAmount(w.text)) return false;
  const seg = line.segments.find((s) => s.words.includes(w));
  // A currency code beside the number ("MYR 556.45") does not make the cell a description.
  return !seg?.words.some((x) => /\p{L}{2,}/u.test(x.text) && !CURRENCY_TOKEN.test(x.text));
}

/** Footnote marks and bullets at either end of a description ("VAT **", "† Usage"). */
function trimSymbols(words: Word[]): Word[] {
  let from = 0;
  let to = words.length;
  while (from < to && /^[^\p{L}\p{N}]+$/u.test(words[from]!.text)) from++;
  while (to > from && /^[^\p{L}\p{N}]+$/u.test(words[to - 1]!.text)) to--;
  return words.slice(from, to);
}

/** Totals a header-less table may add up to: subtotal, total, amount due, and total less tax. */
export function printedTotals(amounts: {
  subtotal?: string;
  tax?: string;
  total?: string;
  amountDue?: string;
}): string[] {
  const out = [amounts.subtotal, amounts.total, amounts.amountDue].filter((v): v is string => v !== undefined);
  if (amounts.total !== undefined && amounts.tax !== undefined) out.push(subtractAmounts(amounts.total, amounts.tax));
  return out;
}
