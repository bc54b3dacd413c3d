/**
 * Line items: find a header row by its column words (several languages), derive column ranges
 * from the header words' positions, then read rows below. A row is anchored by an amount in the
 * price/amount column; text lines between anchors are split at the largest vertical gap so
 * multi-line descriptions land on the right row. A totals label ends the table.
 */
import { parseAmount } from '../core/parse/amount.ts';
import { classifyAmountLabel } from './fields.ts';
import { fold } from './layout.ts';
import type { Line, Word } from './types.ts';

export type ColumnKind = 'ITEM' | 'QUANTITY' | 'UNIT_PRICE' | 'PRICE' | 'OTHER';

interface Column { kind: ColumnKind; left: number; right: number; from: number; to: number; header: Word[] }

export interface ItemCell { words: Word[]; text: string }
export interface ItemRow {
  page: number;
  cells: Partial<Record<Exclude<ColumnKind, 'OTHER'>, ItemCell>>;
  productCode?: ItemCell;
  rowWords: Word[];
}
export interface ItemTable { headerLine: number; rows: ItemRow[] }

// Phrases per column kind (folded). Longest phrases are tried first.
const HEADER_VOCAB: [ColumnKind, string][] = [
  ...[
    'unit price', 'price per unit', 'unit cost', 'einzelpreis', 'nettopreis', 'vk-preis', 'stuckpreis', 'prix unitaire', 'p.u. ht', 'p.u.', 'p.u', 'pu ht',
    'prijs per stuk', 'stukprijs', 'cena jedn.', 'cena jednostkowa', 'cena netto', 'precio unitario', 'prezzo unitario', 'rate', 'price', 'preis', 'prijs', 'cena', 'precio', 'prezzo', 'tarif',
  ].map((p): [ColumnKind, string] => ['UNIT_PRICE', p]),
  ...['qty', 'quantity', 'menge', 'anzahl', 'aantal', 'qte', 'quantite', 'ilosc', 'cantidad', 'quantita', 'nombre', 'hoeveelheid', 'pcs', 'units']
    .map((p): [ColumnKind, string] => ['QUANTITY', p]),
  ...[
    'line amount', 'line total', 'amount', 'total', 'betrag', 'gesamtbetrag', 'gesamtpreis', 'gesamt', 'nettobetrag', 'nettowert', 'zeilenbetrag', 'montant ht', 'montant',
    'total ht', 'bedrag', 'importe', 'importo', 'wartosc netto', 'wartosc', 'prix total', 'summe', 'entgelt', 'subtotal',
  ].map((p): [ColumnKind, string] => ['PRICE', p]),
  ...[
    'description', 'beschreibung', 'artikelbeschreibung', 'bezeichnung', 'artikelbezeichnung', 'artikel', 'produkt', 'product title', 'product', 'item', 'items',
    'designation', 'nom & designation', 'omschrijving', 'libelle', 'leistung', 'opis', 'nazwa', 'descripcion', 'descrizione', 'articolo', 'service', 'article', 'particulars',
  ].map((p): [ColumnKind, string] => ['ITEM', p]),
];
const VOCAB_SORTED = [...HEADER_VOCAB].sort((a, b) => b[1].split(' ').length - a[1].split(' ').length || b[1].length - a[1].length);

function headerColumns(line: Line): Column[] | null {
  const words = line.words;
  const folded = words.map((w) => fold(w.text).replace(/[:]$/, ''));
  const cols: Column[] = [];
  let i = 0;
  let other: Word[] = [];
  const flushOther = (): void => {
    if (other.length) cols.push(col('OTHER', other));
    other = [];
  };
  while (i < words.length) {
    let matched = false;
    for (const [kind, phrase] of VOCAB_SORTED) {
      const n = phrase.split(' ').length;
      if (i + n > words.length) continue;
      if (folded.slice(i, i + n).join(' ') !== phrase) continue;
      flushOther();
      const c = col(kind, words.slice(i, i + n));
      // "Prijs incl. BTW", "Unit Price Excl. VAT": qualifiers right after a header belong to it.
      let j = i + n;
      while (j < words.length && /^(?:incl\.?|excl\.?|inkl\.?|exkl\.?|ht|ttc|btw|vat|net|netto|brutto|\(eur\)|eur|usd|per|stuk|%|€|\$)$/.test(folded[j] ?? '') && sameSegment(line, words[j - 1]!, words[j]!)) {
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
  if (priceCols.length > 1 && !kinds.has('UNIT_PRICE')) priceCols.slice(0, -1).forEach((c) => { c.kind = 'UNIT_PRICE'; });
  else if (priceCols.length > 1) priceCols.slice(0, -1).forEach((c) => { c.kind = 'OTHER'; });
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
  const lead = line.words.filter((w) => !/\d/.test(w.text)).slice(0, 6).map((w) => w.text).join(' ');
  const cls = lead ? classifyAmountLabel(lead) : null;
  return cls !== null && cls.weight >= 0.75 && line.words.some((w) => parseAmount(w.text) !== null);
}

export function findLineItems(lines: Line[]): ItemTable[] {
  const tables: ItemTable[] = [];
  let li = 0;
  while (li < lines.length) {
    const cols = headerColumns(lines[li]!);
    if (!cols) { li++; continue; }
    const { rows, end } = readRows(lines, li, cols);
    if (rows.length) tables.push({ headerLine: li, rows });
    li = Math.max(end, li + 1);
  }
  return tables;
}

function readRows(lines: Line[], headerIdx: number, cols: Column[]): { rows: ItemRow[]; end: number } {
  const header = lines[headerIdx]!;
  const body: { line: Line; anchor: boolean; summary: boolean }[] = [];
  let lastBottom = header.bottom;
  const lh = Math.max(0.008, header.bottom - header.top);
  const amountCol = cols.find((c) => c.kind === 'PRICE') ?? cols.find((c) => c.kind === 'UNIT_PRICE');
  let end = headerIdx + 1;
  for (let j = headerIdx + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.page !== header.page || l.top - lastBottom > 6 * lh) break;
    if (headerColumns(l)) break;
    const summary = isSummaryLine(l);
    if (summary) {
      // Section subtotals sit between items; the table ends when no item row follows soon.
      const ahead = lines.slice(j + 1, j + 4).filter((x) => x.page === l.page);
      if (!ahead.some((x) => !isSummaryLine(x) && isAnchor(x, cols, amountCol))) { end = j; break; }
    }
    body.push({ line: l, anchor: !summary && isAnchor(l, cols, amountCol), summary });
    lastBottom = l.bottom;
    end = j + 1;
  }
  // Drop trailing non-anchor lines far from the last anchor (notes, footers).
  const lastAnchor = body.map((b) => b.anchor).lastIndexOf(true);
  if (lastAnchor < 0) return { rows: [], end };
  const kept = body.slice(0, Math.min(body.length, lastAnchor + 4));

  // Assign text lines between anchors: split at the largest vertical gap (ties go up).
  const groups: Line[][] = [];
  const anchors = kept.map((b, k) => (b.anchor ? k : -1)).filter((k) => k >= 0);
  const owner = new Array<number>(kept.length).fill(-1);
  anchors.forEach((a) => { owner[a] = a; });
  let prevAnchor = -1;
  for (let ai = 0; ai <= anchors.length; ai++) {
    const nextAnchor = anchors[ai] ?? -1;
    const from = prevAnchor + 1;
    const to = nextAnchor >= 0 ? nextAnchor : kept.length;
    const between: number[] = [];
    for (let k = from; k < to; k++) between.push(k);
    const sumIdx = between.findIndex((k) => kept[k]!.summary);
    if (prevAnchor < 0) {
      between.forEach((k) => { if (!kept[k]!.summary && nextAnchor >= 0) owner[k] = nextAnchor; });
    } else if (nextAnchor < 0) {
      for (const k of between) {
        if (kept[k]!.summary) break;
        const above = kept[k - 1]!.line;
        if (kept[k]!.line.top - above.bottom > 1.5 * lh) break;
        owner[k] = prevAnchor;
      }
    } else {
      const seq = [prevAnchor, ...between, nextAnchor];
      const gaps = seq.slice(1).map((k, g) => kept[k]!.line.top - kept[seq[g]!]!.line.bottom);
      let split = gaps.length - 1; // default: everything belongs to the previous anchor
      const maxGap = Math.max(...gaps);
      const firstMax = gaps.findIndex((g) => g >= maxGap - 1e-4);
      if (maxGap > 1.3 * Math.min(...gaps)) split = firstMax;
      if (sumIdx >= 0) split = Math.min(split, sumIdx);
      between.forEach((k, bi) => {
        if (kept[k]!.summary) return;
        owner[k] = bi < split ? prevAnchor : nextAnchor;
      });
    }
    prevAnchor = nextAnchor;
  }
  for (const a of anchors) {
    groups.push(kept.filter((_, k) => owner[k] === a).map((b) => b.line));
  }
  const rows = groups.map((g, gi) => buildRow(g, kept[anchors[gi]!]!.line, cols));
  return { rows, end };
}

function isAnchor(line: Line, cols: Column[], amountCol: Column | undefined): boolean {
  if (!amountCol) return false;
  const has = line.words.some((w) => columnOf(cols, w) === amountCol && parseAmount(w.text) !== null);
  if (!has) return false;
  // An amount alone (a carried-over total, a tax note) is not an item: it needs text or a quantity.
  return line.words.some((w) => {
    const c = columnOf(cols, w);
    return (c?.kind === 'ITEM' && /\p{L}{2,}/u.test(w.text)) || (c?.kind === 'QUANTITY' && /\d/.test(w.text));
  });
}

function buildRow(group: Line[], anchor: Line, cols: Column[]): ItemRow {
  const cells: ItemRow['cells'] = {};
  const descLines: Word[][] = [];
  let productCode: ItemCell | undefined;
  for (const l of group) {
    const itemWords = l.words.filter((w) => columnOf(cols, w)?.kind === 'ITEM');
    if (itemWords.length) descLines.push(itemWords);
  }
  // A leading "[CODE]" or "*CODE*" token is a product code, not part of the description.
  const firstLine = descLines[0];
  if (firstLine && firstLine.length > 1 && /^(?:\[[^\]]+\]|\*[^*]+\*)$/.test(firstLine[0]!.text)) {
    const code = firstLine.shift()!;
    productCode = { words: [code], text: code.text.replace(/^[[*]|[\]*]$/g, '') };
  }
  const descWords = descLines.flat();
  if (descWords.length) cells.ITEM = { words: descWords, text: descLines.map((ws) => ws.map((w) => w.text).join(' ')).join('\n') };
  for (const kind of ['QUANTITY', 'UNIT_PRICE', 'PRICE'] as const) {
    const words = anchor.words.filter((w) => columnOf(cols, w)?.kind === kind);
    const nums = words.filter((w) => parseAmount(w.text) !== null);
    if (!nums.length) continue;
    if (kind === 'QUANTITY') {
      const n = nums[0]!;
      cells.QUANTITY = { words: [n], text: n.text };
    } else {
      // Keep a currency symbol printed next to the amount ("€ 399,00", "$ 42.00").
      const last = nums[nums.length - 1]!;
      const idx = words.indexOf(last);
      const prev = words[idx - 1];
      const withCur = prev && /^[^\d\p{L}]{1,3}$|^[A-Z]{3}$/u.test(prev.text) ? [prev, last] : [last];
      cells[kind] = { words: withCur, text: withCur.map((w) => w.text).join(' ') };
    }
  }
  return { page: anchor.page, cells, productCode, rowWords: group.flatMap((l) => l.words) };
}
