/**
 * Line items: find a header row by its column words (several languages), derive column ranges
 * from the header words' positions, then read rows below. A row is anchored by an amount in the
 * price/amount column; text lines between anchors are split at the largest vertical gap so
 * multi-line descriptions land on the right row. A totals label ends the table.
 */
import {
  compareAmounts,
  divideAmount,
  multiplyAmount,
  parseAmount,
  withLostDecimalPoint,
} from '../core/parse/amount.ts';
import { classifyAmountLabel } from './amount-labels.ts';
import { isNumberWord, numberClusters, type NumberCluster } from './body-columns.ts';
import { COLUMN_HEADINGS, LABELS, type ColumnKind } from './labels.ts';

export type { ColumnKind } from './labels.ts';
import { fold } from './layout.ts';
import type { Line, Word } from './types.ts';

/** `named`: an OTHER column whose heading the vocabulary knows (an item number), never the description. */
interface Column {
  kind: ColumnKind;
  left: number;
  right: number;
  from: number;
  to: number;
  header: Word[];
  named?: boolean;
}

export interface ItemCell {
  words: Word[];
  text: string;
}
export interface ItemRow {
  page: number;
  cells: Partial<Record<Exclude<ColumnKind, 'OTHER'>, ItemCell>>;
  productCode?: ItemCell;
  rowWords: Word[];
}
export interface ItemTable {
  headerLine: number;
  rows: ItemRow[];
}

const VOCAB_SORTED = [...COLUMN_HEADINGS].sort(
  (a, b) => b[1].split(' ').length - a[1].split(' ').length || b[1].length - a[1].length,
);
const VOCAB_N = VOCAB_SORTED.map(([k, p]) => [k, p, p.split(' ').length] as const).filter(([, , n]) => n <= 4);
// Lines that cannot be a header (no vocabulary word at all) are rejected before the phrase scan.
const VOCAB_FIRST = new Set(VOCAB_SORTED.map(([, p]) => p.split(' ')[0]!));

const HEADER_CACHE = new WeakMap<Line, Column[] | null>();
const HEADING_QUALIFIER =
  /^(?:incl\.?|excl\.?|inkl\.?|exkl\.?|ht|ttc|btw|vat|net|netto|brutto|eur|usd|per|stuk|%|€|\$)$/;

function headerColumns(line: Line, loose = false): Column[] | null {
  if (!loose) {
    const c = HEADER_CACHE.get(line);
    if (c !== undefined) return c ? c.map((x) => ({ ...x, header: [...x.header] })) : null;
    const r = headerColumnsUncached(line, false);
    HEADER_CACHE.set(line, r);
    return r ? r.map((x) => ({ ...x, header: [...x.header] })) : null;
  }
  return headerColumnsUncached(line, true);
}

function headerColumnsUncached(line: Line, loose: boolean): Column[] | null {
  const words = line.words;
  // "Precio/ud.", "Prix/u", "Qty(h)": the heading word before a slash or bracket names the column.
  const folded = words.map((w) => {
    const f = fold(w.text).replace(/[:]$/, '');
    const head = f.split(/[/(]/)[0]!;
    return VOCAB_FIRST.has(f) || !VOCAB_FIRST.has(head) ? f : head;
  });
  if (!folded.some((f) => VOCAB_FIRST.has(f))) return loose ? [] : null;
  // "Payment Terms: Net 30 days": a label and its value, not a row of column headings.
  if (!loose && words.some((w) => /\p{L}:$/u.test(w.text)) && words.some((w) => /^\d+$/.test(w.text))) return null;
  const cols: Column[] = [];
  let i = 0;
  let other: Word[] = [];
  const flushOther = (): void => {
    if (other.length) cols.push(col('OTHER', other));
    other = [];
  };
  while (i < words.length) {
    let matched = false;
    const joined = [
      folded[i],
      `${folded[i]} ${folded[i + 1]}`,
      `${folded[i]} ${folded[i + 1]} ${folded[i + 2]}`,
      `${folded[i]} ${folded[i + 1]} ${folded[i + 2]} ${folded[i + 3]}`,
    ];
    for (const [kind, phrase, n] of VOCAB_N) {
      if (i + n > words.length) continue;
      if (joined[n - 1] !== phrase) continue;
      flushOther();
      const c = col(kind, words.slice(i, i + n));
      if (kind === 'OTHER') c.named = true;
      // "Prijs incl. BTW", "Unit Price Excl. VAT", "Amount (net)", "Importe neto": qualifiers, and
      // words no heading starts with, printed right after a heading in its segment belong to it.
      let j = i + n;
      while (
        j < words.length &&
        (HEADING_QUALIFIER.test(folded[j] ?? '') ||
          /^\([^()]{1,12}\)$/.test(folded[j] ?? '') ||
          (/^\p{L}{2,}\.?$/u.test(folded[j] ?? '') && !VOCAB_FIRST.has(folded[j]!))) &&
        sameSegment(line, words[j - 1]!, words[j]!)
      ) {
        c.header.push(words[j]!);
        c.right = Math.max(c.right, words[j]!.left + words[j]!.width);
        j++;
      }
      cols.push(c);
      i = j;
      matched = true;
      break;
    }
    if (!matched) {
      const w = words[i]!;
      const prev = other[other.length - 1];
      if (prev && !sameSegment(line, prev, w)) flushOther();
      other.push(w);
      i++;
    }
  }
  flushOther();
  if (loose) return cols;
  return finishColumns(cols);
}

function finishColumns(cols: Column[]): Column[] | null {
  // No description heading the dictionary knows ("Dienst", "Leistungsart"): with a quantity and a
  // price heading beside it, the leftmost unnamed column holds the item names.
  if (
    !cols.some((c) => c.kind === 'ITEM') &&
    cols.some((c) => c.kind === 'QUANTITY') &&
    cols.some((c) => c.kind === 'PRICE' || c.kind === 'UNIT_PRICE')
  ) {
    const first = [...cols]
      .sort((a, b) => a.left - b.left)
      .find((c) => c.kind === 'OTHER' && !c.named && c.header.some((w) => /\p{L}{3,}/u.test(w.text)));
    if (first && cols.every((c) => c === first || c.kind === 'OTHER' || c.left > first.left)) first.kind = 'ITEM';
  }
  const kinds = new Set(cols.map((c) => c.kind));
  const known = cols.filter((c) => c.kind !== 'OTHER').length;
  const ok = (kinds.has('ITEM') && (kinds.has('PRICE') || kinds.has('UNIT_PRICE'))) || known >= 3;
  if (!ok) return null;
  // A price-like header with no amount column is the amount column ("Price" alone).
  if (!kinds.has('PRICE')) {
    const up = [...cols].reverse().find((c) => c.kind === 'UNIT_PRICE');
    if (up) up.kind = 'PRICE';
  }
  // Two amount columns: the rightmost is the line total, the other the unit price.
  const priceCols = cols.filter((c) => c.kind === 'PRICE');
  if (priceCols.length > 1 && !kinds.has('UNIT_PRICE'))
    priceCols.slice(0, -1).forEach((c) => {
      c.kind = 'UNIT_PRICE';
    });
  else if (priceCols.length > 1)
    priceCols.slice(0, -1).forEach((c) => {
      c.kind = 'OTHER';
    });
  return withBounds(cols);
}

/** Each column reaches halfway to its neighbours. */
function withBounds(cols: Column[]): Column[] {
  cols.sort((a, b) => a.left - b.left);
  cols.forEach((c, k) => {
    const prev = cols[k - 1];
    const next = cols[k + 1];
    c.from = prev ? (prev.right + c.left) / 2 : -1;
    c.to = next ? (c.right + next.left) / 2 : 2;
  });
  return cols;
}

function col(kind: ColumnKind, header: Word[]): Column {
  const left = Math.min(...header.map((w) => w.left));
  const right = Math.max(...header.map((w) => w.left + w.width));
  return { kind, left, right, from: left, to: right, header: [...header] };
}

function sameSegment(line: Line, a: Word, b: Word): boolean {
  return line.segments.some((s) => s.words.includes(a) && s.words.includes(b));
}

function columnOf(cols: Column[], w: Word): Column | undefined {
  const numeric = /\d/.test(w.text) && !/\p{L}{2,}/u.test(w.text);
  const at = (x: number): Column | undefined => cols.find((c) => x >= c.from && x < c.to);
  if (!numeric) return at(w.left + Math.min(w.width, 0.02) / 2);
  // Numbers may be left-, centre- or right-aligned under their header: any edge in a numeric
  // column counts, before falling back to the column under the centre.
  const hits = [w.left + 0.002, w.left + w.width / 2, w.left + w.width - 0.002].map(at);
  return hits.find((c) => c && c.kind !== 'OTHER' && c.kind !== 'ITEM') ?? hits[1];
}

function isSummaryLine(line: Line): boolean {
  return summaryLabelOf(line) !== null;
}

/**
 * The totals label leading a line that carries an amount ("Total EUR 34,73" → TOTAL, "19% VAT
 * 108,87" → TAX), or null. The label must lead the line: an item row that mentions VAT in a tax
 * column ("1 Zitronensäure 1,00 … VAT (S) 100,00") is not a summary.
 */
export function summaryLabelOf(line: Line, minWeight = 0.75): { type: string; weight: number } | null {
  const leadWords: Word[] = [];
  for (const w of line.words) {
    if (/%$/.test(w.text)) continue;
    if (parseAmount(w.text) !== null) break;
    leadWords.push(w);
  }
  const lead = leadWords
    .filter((w) => !/\d/.test(w.text))
    .slice(0, 6)
    .map((w) => w.text)
    .join(' ');
  const cls = lead ? classifyAmountLabel(lead) : null;
  return cls !== null && cls.weight >= minWeight && line.words.some((w) => parseAmount(w.text) !== null) ? cls : null;
}

export function findLineItems(lines: Line[]): ItemTable[] {
  const tables: ItemTable[] = [];
  let li = 0;
  while (li < lines.length) {
    let cols = headerColumns(lines[li]!);
    if (!cols) {
      li++;
      continue;
    }
    // Multi-line headers ("Menge  Nettopreis  Nettowert" over "Artikelbezeichnung", "TOTAL HT"
    // above "P.U. HT  Qté"): a header line right above or below that names a column kind the
    // main line lacks adds that column.
    let bodyFrom = li;
    const head = lines[li]!;
    const lh = Math.max(0.008, head.bottom - head.top);
    const near = (l: Line | undefined, above: boolean): boolean =>
      !!l &&
      l.page === head.page &&
      !/\d{2}/.test(l.text) &&
      (above ? head.top - l.bottom : l.top - head.bottom) < 0.8 * lh &&
      !tables.some((t) => t.headerLine === l.index);
    const base = headerColumns(head, true) ?? [];
    let extras: Column[] = [];
    let usedBelow = false;
    for (const [l, above] of [
      [lines[li - 1], true],
      [lines[li + 1], false],
    ] as const) {
      if (!near(l, above)) continue;
      const extra = (headerColumns(l!, true) ?? []).filter(
        (c) => c.kind !== 'OTHER' && !base.some((k) => k.kind === c.kind) && !extras.some((k) => k.kind === c.kind),
      );
      if (extra.length) {
        extras = [...extras, ...extra];
        if (!above) usedBelow = true;
      }
    }
    if (extras.length) {
      const overlaps = (c: Column, e: Column): boolean =>
        Math.max(c.left, e.left) < Math.min(c.right, e.right) - 0.5 * Math.min(c.right - c.left, e.right - e.left);
      const kept = base.filter((c) => !extras.some((e) => overlaps(c, e) && (c.kind === 'OTHER' || c.kind === e.kind)));
      const merged = finishColumns([...kept, ...extras].sort((a, b) => a.left - b.left));
      if (merged) {
        cols = merged;
        if (usedBelow) bodyFrom = li + 1;
      }
    }
    cols = rolesWithBodyColumns(lines, bodyFrom, cols);
    const { rows, end } = readRows(lines, bodyFrom, cols);
    if (rows.length) tables.push({ headerLine: li, rows });
    li = Math.max(end, li + 1);
  }
  return tables;
}

/** A row's number in a column: the first amount-like word of the row placed in that column. */
function numberIn(row: ItemRow, cols: Column[], c: Column): string | null {
  for (const w of row.rowWords) {
    if (columnOf(cols, w) !== c) continue;
    const v = parseAmount(w.text)?.value;
    if (v !== undefined) return v;
  }
  return null;
}

function timesIs(a: string | null, b: string | null, total: string | null): boolean {
  if (a === null || b === null || total === null) return false;
  const product = multiplyAmount(a, b);
  const diff = Number(product) - Number(total);
  return Math.abs(diff) < 0.011;
}

/**
 * Column roles checked against the numbers: the quantity times the unit price gives the line
 * amount. When the headings' roles do not add up on most rows, every assignment of quantity,
 * unit price and amount to the numeric columns is tried, and the one the arithmetic confirms wins
 * (agreeing with the headings where it can): unknown headings ("Aant.", "Kontingent"), or a
 * "Price" heading over what is really the line amount's neighbour.
 */
function inferColumnRoles(lines: Line[], bodyFrom: number, cols: Column[]): { cols: Column[]; holds: boolean } {
  const numeric = cols.filter((c) => c.kind !== 'ITEM');
  const unchecked = { cols, holds: false };
  if (numeric.length < 2 || !cols.some((c) => c.kind === 'PRICE')) return unchecked;
  const rows = readRows(lines, bodyFrom, cols).rows;
  if (!rows.length) return unchecked;
  const need = Math.max(1, Math.ceil(0.6 * rows.length));
  const values = new Map(numeric.map((c) => [c, rows.map((r) => numberIn(r, cols, c))]));
  const holding = (q: Column | null, u: Column, p: Column): number =>
    rows.filter((_, i) => timesIs(q ? values.get(q)![i]! : '1', values.get(u)![i]!, values.get(p)![i]!)).length;
  const current = {
    q: cols.find((c) => c.kind === 'QUANTITY') ?? null,
    u: cols.find((c) => c.kind === 'UNIT_PRICE'),
    p: cols.find((c) => c.kind === 'PRICE')!,
  };
  if (current.u && holding(current.q, current.u, current.p) >= need) return { cols, holds: true };
  const whole = (c: Column): number => values.get(c)!.filter((v) => v !== null && /^-?\d+$/.test(v)).length;
  let best: { q: Column; u: Column; p: Column; score: number } | null = null;
  for (const p of numeric) {
    for (const u of numeric) {
      for (const q of numeric) {
        if (p === u || q === u || q === p || p.left < u.left) continue;
        const n = holding(q, u, p);
        if (n < need) continue;
        const agree = Number(q.kind === 'QUANTITY') + Number(u.kind === 'UNIT_PRICE') + Number(p.kind === 'PRICE');
        const score = n * 10 + agree * 2 + (whole(q) >= whole(u) ? 1 : 0);
        if (!best || score > best.score) best = { q, u, p, score };
      }
    }
  }
  if (!best) return unchecked;
  const role = new Map<Column, ColumnKind>([
    [best.q, 'QUANTITY'],
    [best.u, 'UNIT_PRICE'],
    [best.p, 'PRICE'],
  ]);
  return {
    cols: cols.map((c) => ({
      ...c,
      kind:
        role.get(c) ??
        (c.kind === 'ITEM'
          ? 'ITEM'
          : c.kind === 'QUANTITY' || c.kind === 'UNIT_PRICE' || c.kind === 'PRICE'
            ? 'OTHER'
            : c.kind),
    })),
    holds: true,
  };
}

/**
 * Column roles from the headings and the arithmetic; when they do not add up, number columns
 * whose headings OCR lost are looked for in the body and the arithmetic tried again with them.
 */
function rolesWithBodyColumns(lines: Line[], bodyFrom: number, cols: Column[]): Column[] {
  const first = inferColumnRoles(lines, bodyFrom, cols);
  if (first.holds) return first.cols;
  const wider = withBodyColumns(lines, bodyFrom, first.cols);
  const again = wider && inferColumnRoles(lines, bodyFrom, wider);
  return again?.holds ? again.cols : first.cols;
}

/**
 * The columns plus unheaded number columns of the body: aligned numbers inside the description
 * column (a count printed before the text), or a second aligned run inside one number column.
 */
function withBodyColumns(lines: Line[], bodyFrom: number, cols: Column[]): Column[] | null {
  const body = bodyOf(lines, bodyFrom);
  const rowsWithNumbers = body.filter((l) => l.words.filter(isNumberWord).length >= 2).length;
  const clusters = numberClusters(body, Math.max(2, Math.ceil(0.5 * rowsWithNumbers)));
  const added: Column[] = [];
  for (const c of cols) {
    const inside = clusters.filter((k) => (k.left + k.right) / 2 >= c.from && (k.left + k.right) / 2 < c.to);
    if (c.kind === 'ITEM') added.push(...inside.map(clusterColumn));
    else if (c.kind !== 'OTHER' && inside.length > 1) {
      // The run nearest the heading is the heading's; the others had theirs lost.
      const centre = (c.left + c.right) / 2;
      const own = inside.reduce((a, b) =>
        Math.abs((b.left + b.right) / 2 - centre) < Math.abs((a.left + a.right) / 2 - centre) ? b : a,
      );
      added.push(...inside.filter((k) => k !== own).map(clusterColumn));
    }
  }
  return added.length ? withBounds([...cols.map((c) => ({ ...c })), ...added]) : null;
}

function clusterColumn(k: NumberCluster): Column {
  return { kind: 'OTHER', left: k.left, right: k.right, from: k.left, to: k.right, header: [] };
}

/** The lines under a header up to its totals: same page, at most 40. */
function bodyOf(lines: Line[], bodyFrom: number): Line[] {
  const head = lines[bodyFrom]!;
  const out: Line[] = [];
  for (let j = bodyFrom + 1; j < lines.length && out.length < 40; j++) {
    const l = lines[j]!;
    if (l.page !== head.page || isSummaryLine(l) || headerColumns(l)) break;
    out.push(l);
  }
  return out;
}

function readRows(lines: Line[], headerIdx: number, cols: Column[]): { rows: ItemRow[]; end: number } {
  const header = lines[headerIdx]!;
  const body: BodyLine[] = [];
  let lastBottom = header.bottom;
  const lh = Math.max(0.008, header.bottom - header.top);
  const amountCol = cols.find((c) => c.kind === 'PRICE') ?? cols.find((c) => c.kind === 'UNIT_PRICE');
  let end = headerIdx + 1;
  // Header continuation lines ("Ohne MwSt.", "excl. VAT", "(EUR)"): right under the header, no
  // digits, few words. They belong to the header, not to the first item's description.
  let first = headerIdx + 1;
  let prevBottom = header.bottom;
  while (first < lines.length) {
    const l = lines[first]!;
    if (l.page !== header.page || l.top - prevBottom > 0.8 * lh || /\d/.test(l.text) || l.words.length > 4) break;
    if (
      !l.words.every(
        (w) =>
          columnOf(cols, w)?.kind !== 'ITEM' ||
          /^\(?(?:incl|excl|inkl|exkl|ohne|mit|net|netto|brutto|gross|ht|ttc|mwst|ust|vat|tax|btw|tva|eur|usd|%)\.?\)?$/i.test(
            w.text,
          ),
      )
    )
      break;
    prevBottom = l.bottom;
    first++;
  }
  end = first;
  lastBottom = prevBottom;
  let page = header.page;
  for (let j = first; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.page !== page) {
      // A table that runs onto the next page without repeating its header: continue when item
      // rows in the same columns follow soon on that page (a repeated header starts a new table).
      if (l.page !== page + 1 || !body.some((b) => b.anchor)) break;
      const ahead = lines.slice(j, j + 12).filter((x) => x.page === l.page);
      const firstHeader = ahead.findIndex((x) => headerColumns(x) !== null);
      const firstAnchor = ahead.findIndex((x) => !isSummaryLine(x) && isAnchor(x, cols, amountCol));
      if (firstAnchor < 0 || (firstHeader >= 0 && firstHeader < firstAnchor)) break;
      page = l.page;
      lastBottom = l.top;
    }
    if (l.top - lastBottom > 6 * lh) break;
    // Payment terms, due date or tax-id blocks follow the table; they are never inside it.
    if (body.some((b) => b.anchor) && endsTable(l)) break;
    if (headerColumns(l)) break;
    const label = summaryLabelOf(l);
    const summary = label !== null;
    if (label) {
      // The document's total or amount due ends the table: what follows is payment, not items.
      if (label.type === 'AMOUNT_DUE' || (label.type === 'TOTAL' && label.weight >= 1)) {
        end = j;
        break;
      }
      // Section subtotals sit between items; the table ends when no item row follows soon (its
      // amount written as money: a phone number in the payment notes below is no row).
      const ahead = lines.slice(j + 1, j + 7).filter((x) => x.page === l.page);
      if (!ahead.some((x) => !isSummaryLine(x) && isAnchor(x, cols, amountCol, true))) {
        end = j;
        break;
      }
    }
    body.push({
      line: l,
      anchor:
        !summary && (isAnchor(l, cols, amountCol) || continuesRowAbove(l, body[body.length - 1], cols, amountCol, lh)),
      summary,
    });
    lastBottom = l.bottom;
    end = j + 1;
  }
  // Drop trailing non-anchor lines far from the last anchor (notes, footers).
  const lastAnchor = body.map((b) => b.anchor).lastIndexOf(true);
  if (lastAnchor < 0) return { rows: [], end };
  const kept = body.slice(0, Math.min(body.length, lastAnchor + 4));

  // Tables whose first item row comes right under the header print continuation lines BELOW
  // each row (codes, second description line, notes): everything up to the next row is the
  // previous row's. Otherwise descriptions may start above their amount line.
  const belowStyle = body.findIndex((b) => b.anchor) === 0;
  const anchors = kept.map((b, k) => (b.anchor ? k : -1)).filter((k) => k >= 0);
  const owner = ownersOf(kept, anchors, lh, belowStyle);
  reattachOutdented(
    kept.map((b) => b.line),
    owner,
    anchors,
    cols,
  );
  const groups = anchors.map((a) => kept.filter((_, k) => owner[k] === a).map((b) => b.line));
  const rows = groups.map((g, gi) => buildRow(g, kept[anchors[gi]!]!.line, cols));
  return { rows, end };
}

interface BodyLine {
  line: Line;
  anchor: boolean;
  summary: boolean;
}

/**
 * Which row (anchor index) each body line belongs to, -1 for none: lines before the first row go
 * to it, lines after the last row follow it while they stay close, and lines between two rows are
 * split at the largest vertical gap (ties go up; a subtotal line belongs to neither).
 */
function ownersOf(kept: BodyLine[], anchors: number[], lh: number, belowStyle: boolean): number[] {
  const owner = new Array<number>(kept.length).fill(-1);
  anchors.forEach((a) => {
    owner[a] = a;
  });
  let prevAnchor = -1;
  for (let ai = 0; ai <= anchors.length; ai++) {
    const nextAnchor = anchors[ai] ?? -1;
    const between: number[] = [];
    for (let k = prevAnchor + 1; k < (nextAnchor >= 0 ? nextAnchor : kept.length); k++) between.push(k);
    if (prevAnchor < 0) {
      between.forEach((k) => {
        if (!kept[k]!.summary && nextAnchor >= 0) owner[k] = nextAnchor;
      });
    } else if (nextAnchor < 0) {
      for (const k of between) {
        if (kept[k]!.summary || isTotalsHeading(kept[k]!.line)) break;
        if (kept[k]!.line.top - kept[k - 1]!.line.bottom > 1.5 * lh) break;
        owner[k] = prevAnchor;
      }
    } else {
      const split = splitBetween(kept, prevAnchor, between, nextAnchor, belowStyle);
      between.forEach((k, bi) => {
        if (!kept[k]!.summary) owner[k] = bi < split ? prevAnchor : nextAnchor;
      });
    }
    prevAnchor = nextAnchor;
  }
  return owner;
}

/** Index into `between` of the first line that belongs to the next row. */
function splitBetween(
  kept: BodyLine[],
  prevAnchor: number,
  between: number[],
  nextAnchor: number,
  belowStyle: boolean,
): number {
  const seq = [prevAnchor, ...between, nextAnchor];
  const gaps = seq.slice(1).map((k, g) => kept[k]!.line.top - kept[seq[g]!]!.line.bottom);
  let split = gaps.length - 1; // default: everything belongs to the previous row
  const maxGap = Math.max(...gaps);
  if (!belowStyle && maxGap > 1.3 * Math.min(...gaps)) split = gaps.findIndex((g) => g >= maxGap - 1e-4);
  const sumIdx = between.findIndex((k) => kept[k]!.summary);
  return sumIdx >= 0 ? Math.min(split, sumIdx) : split;
}

/**
 * Indentation is hierarchy: a line under an indented sub-row ("Incl. levy …" under a bundle's
 * component) that starts left of that sub-row's text belongs to the nearest row above whose
 * text starts at or left of it (the bundle), not to the sub-row.
 */
function reattachOutdented(lines: Line[], owner: number[], anchors: number[], cols: Column[]): void {
  const textLeft = (l: Line): number | null => l.words.find((w) => columnOf(cols, w)?.kind === 'ITEM')?.left ?? null;
  const tolerance = 0.005;
  owner.forEach((a, k) => {
    if (a < 0 || a >= k) return;
    const left = textLeft(lines[k]!);
    const rowLeft = textLeft(lines[a]!);
    if (left === null || rowLeft === null || left >= rowLeft - tolerance) return;
    const parent = anchors
      .filter((x) => x < a)
      .reverse()
      .find((x) => (textLeft(lines[x]!) ?? Infinity) <= left + tolerance);
    if (parent !== undefined) owner[k] = parent;
  });
}

/**
 * The heading of the block after the table (a tax breakdown "Taxe | Base | Montant", "VAT
 * summary"): no digits, and an amount label or three or more short column labels.
 */
function isTotalsHeading(line: Line): boolean {
  if (/\d/.test(line.text)) return false;
  return (
    classifyAmountLabel(line.text) !== null ||
    (line.segments.length >= 3 && line.segments.every((s) => s.words.length <= 2))
  );
}

/**
 * A row: an amount in the amount column plus item text or a quantity. `moneyOnly` also wants the
 * amount written as money (decimals or a currency sign), not a bare number from running text.
 */
function timesQuantityIsAmount(price: Word, cells: ItemRow['cells']): boolean {
  const p = parseAmount(price.text);
  const amount = cells.PRICE && parseAmount(cells.PRICE.text);
  const qty = cells.QUANTITY ? (parseAmount(cells.QUANTITY.text)?.value ?? null) : '1';
  if (!p || !amount || qty === null) return false;
  return compareAmounts(multiplyAmount(p.value, qty), amount.value) === 0;
}

function isAnchor(line: Line, cols: Column[], amountCol: Column | undefined, moneyOnly = false): boolean {
  if (!amountCol) return false;
  const inColumn = line.words.filter((w) => columnOf(cols, w) === amountCol);
  const has = inColumn.some((w, i) => {
    if (parseAmount(w.text) === null) return false;
    if (!moneyOnly) return true;
    const [prev, next] = [inColumn[i - 1], inColumn[i + 1]];
    return (
      /\d[.,]\d{2}\)?$/.test(w.text) ||
      parseAmount(w.text)!.currency !== null ||
      (!!prev && !!parseAmount(`${prev.text} ${w.text}`)?.currency) ||
      (!!next && !!parseAmount(`${w.text} ${next.text}`)?.currency)
    );
  });
  if (!has) return false;
  // An amount alone (a carried-over total, a tax note) is not an item: it needs text or a quantity.
  return line.words.some((w) => {
    const c = columnOf(cols, w);
    return (c?.kind === 'ITEM' && /\p{L}{2,}/u.test(w.text)) || (c?.kind === 'QUANTITY' && /\d/.test(w.text));
  });
}

/**
 * Rows printed over two lines: the item text and quantity on one line, its amount on the line
 * right below with only codes beside it ("1 TB100A4 Trennblätter 9,90 20 Stk" over
 * "4012345001235 198,00"). The amount line anchors the row that starts on the line above.
 */
function continuesRowAbove(
  line: Line,
  above: BodyLine | undefined,
  cols: Column[],
  amountCol: Column | undefined,
  lh: number,
): boolean {
  if (!above || above.anchor || above.summary || !amountCol) return false;
  if (line.page !== above.line.page || line.top - above.line.bottom > 0.6 * lh) return false;
  const hasAmount = line.words.some(
    (w) => columnOf(cols, w) === amountCol && /\d[.,]\d{2}\)?$/.test(w.text) && parseAmount(w.text) !== null,
  );
  if (!hasAmount) return false;
  // The line itself names no item (only codes and numbers): it completes the row above.
  if (
    line.words.some((w) => columnOf(cols, w)?.kind === 'ITEM' && /\p{L}{3,}/u.test(w.text) && !/^\(.*\)$/.test(w.text))
  )
    return false;
  const amountAbove = above.line.words.some((w) => columnOf(cols, w) === amountCol && parseAmount(w.text) !== null);
  return (
    !amountAbove &&
    above.line.words.some((w) => {
      const c = columnOf(cols, w);
      return c?.kind === 'ITEM' && /\p{L}{2,}/u.test(w.text);
    }) &&
    above.line.words.some((w) => {
      const c = columnOf(cols, w);
      return (c?.kind === 'QUANTITY' || c?.kind === 'UNIT_PRICE') && parseAmount(w.text) !== null;
    })
  );
}

const TABLE_END_TYPES = new Set(['PAYMENT_TERMS', 'DUE_DATE', 'VENDOR_VAT_NUMBER', '_CURRENCY']);
const TABLE_END_LABELS = LABELS.filter((d) => TABLE_END_TYPES.has(d.type));

function endsTable(line: Line): boolean {
  const f = fold(line.text);
  return TABLE_END_LABELS.some((d) => {
    d.re.lastIndex = 0;
    const m = d.re.exec(f);
    return m !== null && m.index === 0;
  });
}

const NOTE_LINE = /^[*•·-]?\s*\p{L}[\p{L}\d ./&()-]{1,40}?\s?:(?:\s|$)/u;

function buildRow(group: Line[], anchor: Line, cols: Column[]): ItemRow {
  const cells: ItemRow['cells'] = {};
  const descLines: Word[][] = [];
  let productCode: ItemCell | undefined;
  for (const l of group) {
    // Continuation lines that annotate the price rather than describe the item ("Bruttopreis :
    // 1,00", "Rabatt: -0,03 €/Stk."), and bare article numbers ("4012345001235", "(GTIN)").
    // Descriptive notes ("Parts: 1 x cap_a", "Dienst: …", service periods) stay.
    if (
      l !== anchor &&
      ((NOTE_LINE.test(l.text) && l.words.some((w) => parseAmount(w.text) !== null && /[.,]\d{2}/.test(w.text))) ||
        /^\d{8,14}$|^\([^)]*\)$/.test(l.text.trim()))
    )
      continue;
    let itemWords = l.words.filter((w) => columnOf(cols, w)?.kind === 'ITEM');
    // Descriptions run past their column's edge into the (centre- or right-aligned) number
    // columns: letter words in the same segment as the description still belong to it.
    if (itemWords.length) {
      const seg = l.segments.find((sg) => sg.words.includes(itemWords[itemWords.length - 1]!));
      if (seg) {
        const after = seg.words.filter((w) => w.left > itemWords[itemWords.length - 1]!.left && !itemWords.includes(w));
        const run: Word[] = [];
        for (const w of after) {
          if (!/\p{L}{2,}|^[+&/-]$/u.test(w.text) || parseAmount(w.text) !== null) break;
          run.push(w);
        }
        itemWords = [...itemWords, ...run];
      }
    }
    if (itemWords.length && l !== anchor) {
      // Continuation lines carry no amounts: text that runs on past the column edge in the same
      // segment ("Gelierzucker Extra | 250g") is still the description.
      const seg = l.segments.find((sg) => sg.words.includes(itemWords[itemWords.length - 1]!));
      if (seg)
        itemWords = [...new Set([...itemWords, ...seg.words.filter((w) => w.left > itemWords[0]!.left)])].sort(
          (a, b) => a.left - b.left,
        );
    }
    if (itemWords.length) descLines.push(itemWords);
  }
  // A leading "[CODE]" or "*CODE*" token is a product code, not part of the description.
  const firstLine = descLines[0];
  if (
    firstLine &&
    firstLine.length > 1 &&
    (/^(?:\[[^\]]+\]|\*[^*]+\*)$/.test(firstLine[0]!.text) ||
      (ITEM_CODE.test(firstLine[0]!.text) && /\p{L}{2,}/u.test(firstLine[1]!.text)))
  ) {
    const code = firstLine.shift()!;
    productCode = { words: [code], text: code.text.replace(/^[[*]|[\]*]$/g, '') };
  }
  const descWords = descLines.flat();
  if (descWords.length)
    cells.ITEM = { words: descWords, text: descLines.map((ws) => ws.map((w) => w.text).join(' ')).join('\n') };
  // A row over two lines keeps its quantity and unit price on the line next to the amount's.
  const byDistance = [
    anchor,
    ...group
      .filter((l) => l !== anchor)
      .sort((a, b) => Math.abs(a.top - anchor.top) - Math.abs(b.top - anchor.top))
      .slice(0, 1),
  ];
  for (const kind of ['QUANTITY', 'PRICE', 'UNIT_PRICE'] as const) {
    const source =
      kind === 'PRICE'
        ? anchor
        : (byDistance.find((l) =>
            l.words.some((w) => columnOf(cols, w)?.kind === kind && parseAmount(w.text) !== null),
          ) ?? anchor);
    const words = source.words.filter((w) => columnOf(cols, w)?.kind === kind);
    const nums = words.filter((w) => parseAmount(w.text) !== null);
    if (!nums.length) continue;
    if (kind === 'QUANTITY') {
      const n = nums[0]!;
      cells.QUANTITY = { words: [n], text: n.text };
    } else {
      // Several numbers in a price cell ("Rs 1939 x 1 Night"): the price is the one that times
      // the quantity (1 when none is printed) gives the line amount; else the last one.
      const last =
        (kind === 'UNIT_PRICE' ? nums.find((n) => timesQuantityIsAmount(n, cells)) : undefined) ??
        nums[nums.length - 1]!;
      // Keep a currency symbol printed next to the amount ("€ 399,00", "$ 42.00").
      const idx = words.indexOf(last);
      const prev = words[idx - 1];
      const withCur = prev && /^[^\d\p{L}]{1,3}$|^[A-Z]{3}$/u.test(prev.text) ? [prev, last] : [last];
      cells[kind] = { words: withCur, text: withCur.map((w) => w.text).join(' ') };
    }
  }
  restoreDecimalPoints(cells);
  recoverQuantity(cells, anchor, cols);
  return { page: anchor.page, cells, productCode, rowWords: group.flatMap((l) => l.words) };
}

/**
 * OCR drops the decimal point of a faint or blurred amount ("431022" for "4,310.22"): when the
 * row's quantity times unit price gives that figure divided by 100, the point is put back.
 */
function restoreDecimalPoints(cells: ItemRow['cells']): void {
  const q = cells.QUANTITY && parseAmount(cells.QUANTITY.text)?.value;
  const u = cells.UNIT_PRICE && parseAmount(cells.UNIT_PRICE.text)?.value;
  const p = cells.PRICE && parseAmount(cells.PRICE.text)?.value;
  if (!q || !u || !p || timesIs(q, u, p)) return;
  const price = withLostDecimalPoint(p);
  if (price && timesIs(q, u, price)) cells.PRICE = { ...cells.PRICE!, text: price };
  const unit = withLostDecimalPoint(u);
  if (unit && timesIs(q, unit, p)) cells.UNIT_PRICE = { ...cells.UNIT_PRICE!, text: unit };
}

/** An article number printed before the description: "36519", "A66652", "SKU-99167", "P-1234". */
export const ITEM_CODE = /^(?:[A-Z]{0,4}[-_]?\d{4,}[A-Z]?|[A-Z]{1,4}-[A-Z0-9]{3,})$/;

/**
 * A quantity column whose cell on this row could not be read (OCR drops or garbles lone digits):
 * the amount divided by the unit price is the quantity, when that is a plain count or measure.
 */
function recoverQuantity(cells: ItemRow['cells'], anchor: Line, cols: Column[]): void {
  if (cells.QUANTITY || !cells.UNIT_PRICE || !cells.PRICE) return;
  const quantityColumn = cols.some((c) => c.kind === 'QUANTITY');
  const unit = parseAmount(cells.UNIT_PRICE.text)?.value;
  const amount = parseAmount(cells.PRICE.text)?.value;
  if (!unit || !amount || compareAmounts(unit, '0') <= 0) return;
  const q = divideAmount(amount, unit, 2);
  if (!q || compareAmounts(q, '0') <= 0 || !timesIs(q, unit, amount)) return;
  // Without a quantity column, only a count the two printed amounts prove (not the 1 of equal amounts).
  if (
    !quantityColumn &&
    (compareAmounts(q, '1') === 0 || cells.UNIT_PRICE.words.some((w) => cells.PRICE!.words.includes(w)))
  )
    return;
  const text = String(Number(q));
  const words = anchor.words.filter((w) => columnOf(cols, w)?.kind === 'QUANTITY');
  cells.QUANTITY = { words: words.length ? words : cells.UNIT_PRICE.words, text };
}
