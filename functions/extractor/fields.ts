/**
 * Summary fields from positioned lines: find labels from the multilingual dictionary, then take
 * the value to the right on the same line, or directly below (key rows / column headers), and
 * finally choose one value per field type by score, cross-checking subtotal + tax = total.
 */
import {
  compareAmounts,
  negateAmount,
  parseAmount,
  subtractAmounts,
  sumAmounts,
  type ParsedAmount,
  withLostDecimalPoint,
} from '../core/parse/amount.ts';
import { detectCurrency, isCurrencyCode } from '../core/parse/currency.ts';
import { parseDate } from '../core/parse/date.ts';
import { classifyAmountLabel } from './amount-labels.ts';
import { LABELS, PAYMENT_METHOD_WORDS, TITLE_RE, type LabelDef, type LabelKind } from './labels.ts';
import { fold, xOverlap } from './layout.ts';
import { summedTotal } from './summed-total.ts';
import type { Line, Word } from './types.ts';

export interface FieldCandidate {
  type: string;
  label: Word[];
  value: Word[];
  valueText: string;
  /** 0..1: label strength × position × value quality. */
  score: number;
  page: number;
  line: number;
  amount?: ParsedAmount;
  currency?: string | null;
  /** A second reading of its label that counts only where subtotal + tax = total confirms it. */
  ifConsistent?: boolean;
  /** Tax amounts: the rate printed on their line ("GST @6% included in total"), in per cent. */
  rate?: number;
}

type WordKind = 'amount' | 'currency' | 'percent' | 'sign' | 'text';

interface Tok {
  word: Word;
  kind: WordKind;
  folded: string;
  seg: number;
}

const AMOUNT_TYPES = new Set(['SUBTOTAL', 'TAX', 'TOTAL', 'AMOUNT_DUE']);
/** A colon or bar standing alone between a label and its value (OCR splits them off). */
const STRAY_MARK = /^[:|;]$/;

const KINDS = new Map<string, WordKind>();
function kindOf(text: string): WordKind {
  let k = KINDS.get(text);
  if (k === undefined) {
    k = kindUncached(text);
    if (KINDS.size > 20000) KINDS.clear();
    KINDS.set(text, k);
  }
  return k;
}

function kindUncached(text: string): WordKind {
  if (/%$/.test(text)) return 'percent';
  if (/^[-–−]$/.test(text)) return 'sign';
  if (/\d/.test(text)) {
    if (parseDate(text)) return 'text';
    // Registration and account numbers ("001125220352"): ids, never money.
    if (/^0\d{5,}$|^\d{10,}$/.test(text)) return 'text';
    return parseAmount(text) ? 'amount' : 'text';
  }
  const bare = text.replace(/[()'"]/g, '');
  if (
    bare.length <= 4 &&
    bare.length > 0 &&
    (isCurrencyCode(bare) || (!/^[A-Za-z]+$/.test(bare) && detectCurrency(bare)) || /^(?:Rs\.?|INR|zł)$/.test(bare))
  )
    return 'currency';
  return 'text';
}

function tokensOf(line: Line): Tok[] {
  const toks: Tok[] = [];
  line.segments.forEach((s, seg) => {
    for (const w of s.words) toks.push({ word: w, kind: kindOf(w.text), folded: fold(w.text), seg });
  });
  toks.forEach((t, i) => {
    // Signs that are money only in front of a number ("RM 9.00"): a currency when one follows.
    if (
      t.kind === 'text' &&
      toks[i + 1]?.kind === 'amount' &&
      t.word.text.length <= 4 &&
      detectCurrency(`${t.word.text} 1`)
    )
      t.kind = 'currency';
    // A rate with its percent sign apart ("Tax 6.25 %:", "IVA 23 % :") is no amount.
    if (t.kind === 'amount' && /^%/.test(toks[i + 1]?.word.text ?? '')) t.kind = 'percent';
  });
  return toks;
}

/** Folded text of some tokens with the start offset of each token. */
function joinTokens(toks: Tok[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let text = '';
  for (const t of toks) {
    if (text) text += ' ';
    starts.push(text.length);
    text += t.folded;
  }
  return { text, starts };
}

interface LabelHit {
  def: LabelDef;
  start: number;
  end: number;
}

/** Dictionary matches in a run of tokens, longest first, non-overlapping. */
function findLabels(toks: Tok[]): LabelHit[] {
  const { text, starts } = joinTokens(toks);
  const hits: { def: LabelDef; s: number; e: number }[] = [];
  for (const d of LABELS) {
    d.re.lastIndex = 0;
    for (const m of text.matchAll(d.re)) {
      const s = m.index;
      // Labels must start at a token start.
      if (!starts.includes(s)) continue;
      hits.push({ def: d, s, e: s + m[0].length });
    }
  }
  hits.sort((a, b) => b.e - b.s - (a.e - a.s) || b.def.weight - a.def.weight);
  const taken: { def: LabelDef; s: number; e: number }[] = [];
  for (const h of hits) if (!taken.some((t) => h.s < t.e && t.s < h.e)) taken.push(h);
  taken.sort((a, b) => a.s - b.s);
  return taken.map((h) => {
    const start = starts.indexOf(h.s);
    let end = start;
    while (end < starts.length && (starts[end] ?? Infinity) < h.e) end++;
    return { def: h.def, start, end };
  });
}

export interface FieldsResult {
  candidates: FieldCandidate[];
  /** Line indexes (per document) that hold a label of any summary field. */
  labelLines: Set<number>;
  documentCurrency: string | null;
}

/**
 * How much a candidate's position and the way its value was found count, as factors on the label's
 * own weight (labels.ts). One table, so that the scoring can be read and tuned in one place.
 */
export const SCORE = {
  /** A line in the page's bottom tenth: footers repeat bank and company details. */
  footer: 0.4,
  /** Fields on later pages: the header block is on page 1. */
  laterPage: 0.9,
  /** An id right after a bare document title ("Invoice 2026-118"). */
  idAfterTitle: 0.55,
  /** An id below a bare document title. */
  idBelowTitle: 0.4,
  /** An invoice date after "vom"/"du"/"of" right behind the invoice number. */
  dateAfterNumber: 0.85,
  /** "<place>, den <date>". */
  dateAfterPlace: 0.5,
  /** A value printed below its label rather than beside it. */
  valueBelow: 0.85,
  /** A date printed left of its label (right-aligned layouts). */
  dateLeftOfLabel: 0.5,
  /** An amount under a header word of a totals row ("Netto  MwSt  Brutto" over the figures). */
  amountUnderHeaderWord: 0.75,
  /** An amount below its label. */
  amountBelow: 0.8,
  /** A label followed by three or more amounts (a table row, not a totals line). */
  amountInRow: 0.7,
  /** An unlabelled date near the top of page 1, and further down. */
  unlabelledDateTop: 0.3,
  unlabelledDateLower: 0.2,
  /** "# A-1001" near the top of page 1 with no labelled number. */
  hashId: 0.35,
  /** A money figure on a line with no amount label. */
  unlabelledFigure: 0.2,
  /** A currency sign or code on a totals line counts this many times a sign elsewhere. */
  summaryCurrencyVote: 2,
} as const;

/** What the steps below share while reading one document. */
interface Scan {
  lines: Line[];
  out: FieldCandidate[];
  labelLines: Set<number>;
  vote(code: string | null | undefined, n: number): void;
}

/** One line being read: its tokens, its position factor, and where an invoice number ended on it. */
interface LineScan {
  line: Line;
  li: number;
  toks: Tok[];
  position: number;
  idHitEnd: number;
}

export function findFieldCandidates(lines: Line[], tableHeaders: ReadonlySet<number> = new Set()): FieldsResult {
  const currencyVotes = new Map<string, number>();
  const scan: Scan = {
    lines,
    out: [],
    labelLines: new Set<number>(),
    vote: (code, n) => {
      if (code) currencyVotes.set(code, (currencyVotes.get(code) ?? 0) + n);
    },
  };
  const figures: FieldCandidate[] = [];
  lines.forEach((line, li) => {
    const toks = tokensOf(line);
    const position = (line.top > 0.9 ? SCORE.footer : 1) * (line.page === 1 ? 1 : SCORE.laterPage);
    const ls: LineScan = { line, li, toks, position, idHitEnd: -1 };
    for (let si = 0; si < line.segments.length; si++) labelledSegment(scan, ls, si);
    amountLabels(scan, ls, tableHeaders.has(li));
    // The currency the totals are stated in outweighs a sign among the items.
    const weight = scan.labelLines.has(li) ? SCORE.summaryCurrencyVote : 1;
    toks.forEach((t, i) => {
      if (t.kind === 'amount') scan.vote(detectCurrency(t.word.text), weight);
      // A sign counts beside a number ("RM 5.90", "5,90 €"); alone on a line of OCR noise it is no evidence.
      else if (t.kind === 'currency' && (toks[i + 1]?.kind === 'amount' || toks[i - 1]?.kind === 'amount'))
        scan.vote(detectCurrency(`${t.word.text} 1`), weight);
    });
    const figure = scan.labelLines.has(li) ? null : unlabelledFigure(ls);
    if (figure) figures.push(figure);
  });
  unlabelledFallbacks(scan);
  scan.out.push(...figures);
  const documentCurrency = [...currencyVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { candidates: scan.out, labelLines: scan.labelLines, documentCurrency };
}

/** Non-amount labels of one segment (dates, ids, terms, tax ids), and a bare title's number. */
function labelledSegment(scan: Scan, ls: LineScan, si: number): void {
  const segToks = ls.toks.filter((t) => t.seg === si);
  const hits = findLabels(segToks);
  if (hits.every((h) => h.def.type !== 'INVOICE_RECEIPT_ID')) titleNumber(scan, ls, segToks);
  for (const [hi, h] of hits.entries()) labelValue(scan, ls, si, segToks, h, hits[hi + 1]);
}

/** A title segment ("Invoice", "Rechnung") followed by an id-like token, or with the id below it. */
function titleNumber(scan: Scan, ls: LineScan, segToks: Tok[]): void {
  const title = TITLE_RE.exec(segToks.map((t) => t.folded).join(' '));
  if (!title) return;
  const titleWords = title[0].trim().split(/\s+/).length;
  const labelToks = segToks.slice(0, titleWords);
  const rest = segToks.slice(titleWords);
  const v = rest.length ? takeId(rest, true) : null;
  if (v) {
    scan.out.push(cand('INVOICE_RECEIPT_ID', labelToks, v, SCORE.idAfterTitle * ls.position, ls.line));
    ls.idHitEnd = ls.toks.indexOf(v[v.length - 1]!);
  } else if (!rest.length) {
    const below = valueBelow(
      scan.lines,
      ls.li,
      labelToks.map((t) => t.word),
      'id',
    );
    if (below)
      scan.out.push(
        cand('INVOICE_RECEIPT_ID', labelToks, below, SCORE.idBelowTitle * ls.position, scan.lines[below[0]!.line]!),
      );
  }
}

/** The value of one label: beside it, in the next segment, below it, or (dates) left of it. */
function labelValue(
  scan: Scan,
  ls: LineScan,
  si: number,
  segToks: Tok[],
  h: LabelHit,
  next: LabelHit | undefined,
): void {
  if (h.def.leading && h.start !== 0) return;
  const { line, toks } = ls;
  scan.labelLines.add(ls.li);
  const labelToks = segToks.slice(h.start, h.end);
  // Stray separators OCR reads between a label and its value ("Invoice no: :", "No. : |") are neither.
  let valueToks = segToks.slice(h.end, next ? next.start : undefined).filter((t) => !STRAY_MARK.test(t.word.text));
  const weight = labelWeight(ls, h, labelToks);
  // Value may continue in the next segment of the line when this one ends at the label.
  let borrowed = false;
  if (valueToks.length === 0 && !next && si + 1 < line.segments.length) {
    const nt = toks.filter((t) => t.seg === si + 1);
    if (!findLabels(nt).some((x) => x.start === 0) && !TITLE_RE.test(nt.map((t) => t.folded).join(' ')))
      [valueToks, borrowed] = [nt, true];
  }
  const kind = h.def.kind;
  const val = valueToks.length ? takeValue(kind, valueToks) : null;
  // A borrowed neighbour that holds no such value is another column ("Pay by   +42 958 4790"): look below.
  if (!val && borrowed) valueToks = [];
  // "Due Date:  Reference:" — the next thing on the line is another label (unknown to the
  // dictionary, but printed as one); and a row of column headings ("Beschreibung  Fälligkeit
  // Teilzahlung") holds no values at all: either way the value is below, bounded by the next label.
  let otherLabelLeft: number | undefined;
  const headingRow =
    !line.segments.slice(si, si + 2).some((sg) => /\d/.test(sg.text)) && valueToks.every((t) => t.kind === 'text');
  if (
    !val &&
    valueToks.length &&
    (headingRow || (looksLikeLabel(valueToks[0]!.word.text) && !/\d/.test(valueToks[0]!.word.text)))
  ) {
    otherLabelLeft = valueToks[0]!.word.left;
    valueToks = [];
  }
  if (val) {
    const c = cand(h.def.type, labelToks, val, weight * ls.position, line);
    if (kind === 'currency') {
      c.currency =
        detectCurrency(c.valueText) ??
        (isCurrencyCode(c.valueText.trim().toUpperCase()) ? c.valueText.trim().toUpperCase() : null);
      if (c.currency) scan.vote(c.currency, 50);
    }
    scan.out.push(c);
    if (h.def.type === 'INVOICE_RECEIPT_ID') ls.idHitEnd = toks.indexOf(val[val.length - 1]!);
    return;
  }
  if (valueToks.length) return;
  const nextLabel = next ? segToks[next.start]?.word : undefined;
  const nextLeft = otherLabelLeft ?? (nextLabel ? nextLabel.left : (line.segments[si + 1]?.left ?? 2));
  const below = valueBelow(
    scan.lines,
    ls.li,
    labelToks.map((t) => t.word),
    kind,
    nextLeft,
  );
  if (below) {
    scan.out.push(
      cand(h.def.type, labelToks, below, weight * SCORE.valueBelow * ls.position, scan.lines[below[0]!.line]!),
    );
    return;
  }
  // Right-aligned layouts sometimes print the value left of its label ("31/12/2018 Date :").
  if (kind === 'date' && si > 0) {
    const v = takeValue(
      kind,
      toks.filter((t) => t.seg === si - 1),
    );
    if (v) scan.out.push(cand(h.def.type, labelToks, v, weight * SCORE.dateLeftOfLabel * ls.position, line));
  }
}

/** A label's weight; date connectors ("vom", "du") count only right behind an invoice number or a place. */
function labelWeight(ls: LineScan, h: LabelHit, labelToks: Tok[]): number {
  if (h.def.type !== '_DATE_CONNECTOR') return h.def.weight;
  const absIdx = ls.toks.indexOf(labelToks[0]!);
  const prev = ls.toks[absIdx - 1];
  if (ls.idHitEnd >= 0 && absIdx > ls.idHitEnd && absIdx - ls.idHitEnd <= 2) return SCORE.dateAfterNumber;
  if (labelToks[0]?.folded === 'den' && prev && /,$/.test(prev.word.text)) return SCORE.dateAfterPlace;
  return h.def.weight;
}

/** Amount labels: a text run, then the amounts that follow it up to the next text run. */
function amountLabels(scan: Scan, ls: LineScan, tableHeader: boolean): void {
  const { toks } = ls;
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.kind !== 'text') {
      i++;
      continue;
    }
    let j = i;
    let seg = t.seg;
    let open = 0;
    while (j < toks.length && (toks[j]!.kind === 'text' || toks[j]!.kind === 'percent')) {
      // A bracketed qualifier in the next segment still belongs to the label ("Netto   (zzgl. 19% MwSt.)"),
      // and so does the rest of one a column gap cut ("Total Sales (inclusive   of GST)").
      if (toks[j]!.seg !== seg) {
        if (!/^\(/.test(toks[j]!.word.text) && open <= 0) break;
        seg = toks[j]!.seg;
      }
      const text = toks[j]!.word.text;
      open += (text.match(/\(/g)?.length ?? 0) - (text.match(/[)}\]]/g)?.length ?? 0);
      j++;
    }
    // Trailing currency tokens belong to the value ("Total EUR 34,73"), and a colon a column gap
    // set apart does not end it ("Net Total (MYR) : 21.20", "Sub-Total   :   25.60").
    let k = misreadUnitAt(toks, j) ? j + 1 : j;
    const amountToks: Tok[] = [];
    while (k < toks.length && (toks[k]!.kind !== 'text' || STRAY_MARK.test(toks[k]!.word.text) || speckAt(toks, k))) {
      // A bracketed unit ("Total (MYR) : 21.20") names the currency of the column, not a part of the figure.
      const unit = toks[k]!.kind === 'currency' && /^\(.*\)$/.test(toks[k]!.word.text);
      if (!unit && (toks[k]!.kind === 'amount' || toks[k]!.kind === 'currency' || toks[k]!.kind === 'sign'))
        amountToks.push(toks[k]!);
      k++;
    }
    amountLabel(scan, ls, toks.slice(i, j), amountToks, tableHeader);
    i = Math.max(k, j, i + 1);
  }
}

/**
 * A speck OCR read as a letter ("Sub Total   g   RM 68.87", the colon of a dotted leader): one
 * character alone in a column of its own, between a label and the amount after it. No value is
 * one letter, so it is passed over like a stray colon.
 */
function speckAt(toks: Tok[], k: number): boolean {
  const t = toks[k]!;
  const next = toks[k + 1];
  return (
    k > 0 &&
    t.word.text.length === 1 &&
    t.seg !== toks[k - 1]!.seg &&
    (next?.kind === 'amount' || next?.kind === 'currency')
  );
}

/**
 * A currency OCR misread ("RN 8.60", "RK 20.00" for "RM"): at the start of the value's column,
 * between a label and an amount, two or three capitals that are no word of the label.
 */
function misreadUnitAt(toks: Tok[], k: number): boolean {
  const t = toks[k];
  return (
    t !== undefined &&
    k > 0 &&
    t.kind === 'text' &&
    t.seg !== toks[k - 1]!.seg &&
    /^[A-Z]{2,3}$/.test(t.word.text) &&
    !classifyAmountLabel(t.word.text) &&
    toks[k + 1]?.kind === 'amount' &&
    toks[k + 1]!.seg === t.seg
  );
}

/** One label run and the amounts after it (or below it, or under each of its words). */
function amountLabel(scan: Scan, ls: LineScan, run: Tok[], amountToks: Tok[], tableHeader: boolean): void {
  const labelToks = run.filter((x) => x.kind === 'text');
  // Labels of other fields ("VAT/TIN:", "Payment Terms: Net 30") are not amount labels.
  const otherLabel = findLabels(run).some((h) => h.start === 0 && !h.def.type.startsWith('_'));
  const rated = run.some((x) => x.kind === 'percent');
  const cls = otherLabel ? null : classifyAmountLabel(labelToks.map((x) => x.word.text).join(' '), rated);
  const noAmounts = !amountToks.some((x) => x.kind === 'amount');
  // Column headers of item tables ("Ohne MwSt.", "Total") are not summary labels.
  if (tableHeader) return;
  if (noAmounts && labelToks.length > 1 && (!cls || labelToks.length > 3)) {
    headerRowAmounts(scan, ls, labelToks);
    return;
  }
  if (!cls) return;
  scan.labelLines.add(ls.li);
  const groups = amountGroups(amountToks);
  const footer = ls.line.top > 0.9 ? SCORE.footer : 1;
  if (!groups.length) {
    amountBelowLabel(scan, ls, cls.type, labelToks, cls.weight * SCORE.amountBelow * footer);
    return;
  }
  const last = groups[groups.length - 1]!;
  const amt = parseAmount(last.map((x) => x.word.text).join(' '));
  if (!amt) return;
  const rowPenalty = groups.length > 2 ? SCORE.amountInRow : 1;
  for (const reading of [cls, ...(cls.alt ? [cls.alt] : [])]) {
    const c = amountCand(
      reading.type,
      labelToks,
      { words: last.map((x) => x.word), amount: amt },
      reading.weight * rowPenalty * footer,
      ls.line,
    );
    if (reading.ifConsistent) c.ifConsistent = true;
    scan.out.push(c);
  }
}

/** A header row whose columns are only a space apart ("Netto MwSt Brutto"): one label per keyword word, its amount below. */
function headerRowAmounts(scan: Scan, ls: LineScan, labelToks: Tok[]): void {
  const footer = ls.line.top > 0.9 ? SCORE.footer : 1;
  for (const sub of splitHeader(labelToks)) {
    if (findLabels(sub).some((h) => h.start === 0 && !h.def.type.startsWith('_'))) continue;
    const c2 = classifyAmountLabel(sub.map((x) => x.word.text).join(' '));
    if (!c2) continue;
    scan.labelLines.add(ls.li);
    amountBelowLabel(scan, ls, c2.type, sub, c2.weight * SCORE.amountUnderHeaderWord * footer);
  }
}

/** The amount printed below a label (key rows, column headings), weighted by how well it sits there. */
function amountBelowLabel(scan: Scan, ls: LineScan, type: string, labelToks: Tok[], weight: number): void {
  const below = amountBelow(
    scan.lines,
    ls.li,
    labelToks.map((x) => x.word),
  );
  if (below) scan.out.push(amountCand(type, labelToks, below, weight * below.quality, scan.lines[below.line]!));
}

function amountCand(
  type: string,
  labelToks: Tok[],
  found: { words: Word[]; amount: ParsedAmount },
  score: number,
  line: Line,
): FieldCandidate {
  const c = cand(type, labelToks, found.words, score, line);
  c.amount = found.amount;
  c.currency = found.amount.currency;
  if (type === 'TAX') c.rate = rateOn(line);
  return c;
}

/** The one tax rate a line prints ("GST @6%", "MwSt. 19 %"), when it prints exactly one. */
function rateOn(line: Line): number | undefined {
  const rates = [...line.text.matchAll(/(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%/g)].map((m) =>
    Number(m[1]!.replace(',', '.')),
  );
  return rates.length === 1 && rates[0]! > 0 ? rates[0] : undefined;
}

const TIME_OF_DAY = /(?:^|\s)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[AP]M)?(?=$|\s)/i;

/** Fields printed without a label: the first date, a "#" number near the top, a payment method's name. */
function unlabelledFallbacks(scan: Scan): void {
  const { out, lines } = scan;
  if (!out.some((c) => c.type === 'INVOICE_RECEIPT_DATE')) {
    const claimed = new Set(out.flatMap((c) => c.value));
    for (const line of lines) {
      // Receipts print the date anywhere from the header to below the totals; in a page's footer
      // only a till's stamp (date and time of day) is the document's date, not a printout's.
      if (line.page !== 1) continue;
      const free = line.words.filter((w) => !claimed.has(w));
      const txt = free.map((w) => w.text).join(' ');
      if ((line.top <= 0.8 || TIME_OF_DAY.test(txt)) && parseDate(txt)) {
        out.push({
          type: 'INVOICE_RECEIPT_DATE',
          label: [],
          value: free,
          valueText: txt,
          score: line.top <= 0.4 ? SCORE.unlabelledDateTop : SCORE.unlabelledDateLower,
          page: line.page,
          line: line.index,
        });
        break;
      }
    }
  }
  if (!out.some((c) => c.type === 'INVOICE_RECEIPT_ID')) {
    const hash = hashNumber(lines);
    if (hash) out.push(hash);
  }
  if (!out.some((c) => c.type === 'PAYMENT_METHOD')) {
    const m = findPaymentMethodWord(lines);
    if (m) out.push(m);
  }
}

/**
 * The figure ending a line without an amount label ("TORY, RM 73.00"), money with cents: what a
 * total whose label OCR garbled can only be found among (see summedTotal).
 */
function unlabelledFigure({ line, toks }: LineScan): FieldCandidate | null {
  // The last amount, a currency after it allowed ("47.54 MXN").
  let k = toks.length - 1;
  while (k >= 0 && toks[k]!.kind === 'currency') k--;
  const last = toks[k];
  if (last?.kind !== 'amount' || !/\d[.,]\d{2}$/.test(last.word.text)) return null;
  const amount = parseAmount(
    toks
      .slice(k)
      .map((t) => t.word.text)
      .join(' '),
  );
  return amount ? { ...cand(FIGURE, [], [last.word], SCORE.unlabelledFigure, line), amount } : null;
}

/** "# A-1001" near the top of page 1 with no labelled invoice number: "#" is the number sign. */
function hashNumber(lines: Line[]): FieldCandidate | null {
  for (const line of lines) {
    if (line.page !== 1 || line.top > 0.35) continue;
    for (const seg of line.segments) {
      const ws = seg.words;
      const hash = ws[0]?.text === '#' ? 1 : 0;
      const tok = ws[hash];
      if (!tok || ws.length > hash + 1) continue;
      const m = hash
        ? /^[\p{L}\p{N}][\p{L}\p{N}_/.-]*\d[\p{L}\p{N}_/.-]*$/u.exec(tok.text)
        : /^#([\p{L}\p{N}][\p{L}\p{N}_/.-]*\d[\p{L}\p{N}_/.-]*)$/u.exec(tok.text);
      if (!m) continue;
      return {
        type: 'INVOICE_RECEIPT_ID',
        label: [],
        value: hash ? [ws[0]!, tok] : [tok],
        valueText: hash ? `# ${tok.text}` : tok.text,
        score: SCORE.hashId,
        page: 1,
        line: line.index,
      };
    }
  }
  return null;
}

/** Split a run of header words at each word that is itself an amount keyword. */
function splitHeader(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  for (const t of toks) {
    const starts =
      classifyAmountLabel(t.word.text) !== null &&
      !/^(?:ht|ttc|net|netto|brutto|incl\.?|excl\.?|eur|usd)$/i.test(t.word.text);
    if (starts || !out.length) out.push([t]);
    else out[out.length - 1]!.push(t);
  }
  return out;
}

function cand(type: string, labelToks: Tok[], value: Tok[] | Word[], score: number, line: Line): FieldCandidate {
  const words = value.map((v) => ('word' in v ? v.word : v));
  return {
    type,
    label: labelToks.map((t) => t.word),
    value: words,
    valueText: cleanValue(words.map((w) => w.text).join(' ')),
    score,
    page: line.page,
    line: line.index,
  };
}

/** Two letters, then a final colon: `/\p{L}{2,}.*:$/u` for a word (no line breaks), without its cubic backtracking. */
function looksLikeLabel(text: string): boolean {
  return text.endsWith(':') && /\p{L}{2}/u.test(text);
}

function cleanValue(s: string): string {
  // Strip label punctuation, but keep a minus sign glued to a number.
  return s
    .replace(/\s+,/g, ',')
    .replace(/^(?:[:\s]|[-–](?!\d))+/, '')
    .replace(/["“”']{2,}/g, '')
    .trim();
}

/** Consecutive amount/currency tokens forming one printed amount ("€ 2.321,00", "$ 16.94"). */
function amountGroups(toks: Tok[]): Tok[][] {
  const groups: Tok[][] = [];
  let cur: Tok[] = [];
  for (const t of toks) {
    if (t.kind === 'sign') {
      if (cur.some((x) => x.kind === 'amount')) {
        groups.push(cur);
        cur = [];
      }
      cur.push(t);
    } else if (t.kind === 'currency') {
      // A currency after an amount closes it ("46,68 €"); before one it opens the next.
      if (cur.some((x) => x.kind === 'amount')) {
        cur.push(t);
        groups.push(cur);
        cur = [];
      } else cur.push(t);
    } else {
      if (cur.some((x) => x.kind === 'amount')) {
        groups.push(cur);
        cur = [];
      }
      cur.push(t);
    }
  }
  if (cur.some((x) => x.kind === 'amount')) groups.push(cur);
  return groups;
}

function takeValue(kind: LabelKind, toks: Tok[]): Tok[] | null {
  switch (kind) {
    case 'id':
      return takeId(toks);
    case 'taxid':
      return takeTaxId(toks);
    case 'date': {
      const words = toks.filter((t) => !/^[:\-–]$/.test(t.word.text));
      // Shortest prefix that parses: keeps trailing amounts out of the value.
      const connector = /^(?:le|du|am|on|the|den|vom|von|of|dated|del|van|el|il)$/i;
      while (words.length && connector.test(words[0]!.word.text)) words.shift();
      // Shortest prefix that parses: keeps trailing amounts out of the value.
      for (let n = 1; n <= Math.min(words.length, 6); n++) {
        const txt = words
          .slice(0, n)
          .map((t) => t.word.text)
          .join(' ');
        if (parseDate(txt.replace(/\s+,/g, ','))) return words.slice(0, n);
      }
      return null;
    }
    case 'currency': {
      const w =
        toks.find(
          (t) =>
            isCurrencyCode(t.word.text.replace(/[().:]/g, '').toUpperCase()) &&
            t.word.text.replace(/[().:]/g, '').length === 3,
        ) ?? toks.find((t) => detectCurrency(t.word.text));
      if (w) return [w];
      return detectCurrency(toks.map((t) => t.word.text).join(' ')) ? toks : null;
    }
    case 'text': {
      const words = toks.filter((t) => !/^[:\-–]$/.test(t.word.text));
      return words.length && /\p{L}/u.test(words.map((t) => t.word.text).join('')) ? words : null;
    }
  }
}

/** An invoice/order number: the first token with a digit, with a short alphabetic prefix kept. */
function takeId(toks: Tok[], afterTitle = false): Tok[] | null {
  let words = toks.filter((t) => !/^[:\-–]$/.test(t.word.text));
  // After a bare title, "#" / "No." are the number sign, not part of the number.
  if (afterTitle) words = words.filter((t, i) => !(i === 0 && /^(?:#|n°|nº|no\.?|nr\.?)$/i.test(t.word.text)));
  words = words.map((t) => {
    const m = /^(?:n°|nº|#)(\S*\d\S*)$/i.exec(t.word.text);
    return m ? { ...t, word: { ...t.word, text: m[1]! } } : t;
  });
  const idx = words.findIndex((t) => /\d/.test(t.word.text) || /^[A-Za-z0-9_]+[_-][A-Za-z0-9_-]+$/.test(t.word.text));
  if (idx < 0 || idx > 2) return null;
  const tok = words[idx]!;
  const text = tok.word.text.replace(/[.,;:]$/, '');
  if (text.length < 2 && !/^\d$/.test(text)) return null;
  if (parseDate(text) && !/[A-Za-z]/.test(text)) return null;
  if (/^\d{1,3}([.,]\d{2})$/.test(text) || /%$/.test(text)) return null;
  const before = words.slice(0, idx);
  // "# BLR_123", "F 1234K20/1234/12": a symbol or short code printed apart from the number.
  if (before.length === 1 && /^(?:#|[A-Z]{1,3})$/.test(before[0]!.word.text)) return [before[0]!, tok];
  if (before.length > 0) return null;
  return [tok];
}

function takeTaxId(toks: Tok[]): Tok[] | null {
  const words = toks.filter((t) => !/^[:\-–]$/.test(t.word.text));
  const out: Tok[] = [];
  for (const t of words) {
    if (!/^[A-Z0-9./-]+$/i.test(t.word.text)) break;
    out.push(t);
    if (out.map((x) => x.word.text).join('').length >= 11) break;
  }
  return out.length && /\d/.test(out.map((x) => x.word.text).join('')) ? out : null;
}

/** The nearest segment below a label that overlaps it horizontally (key rows, column headers). */
function valueBelow(
  lines: Line[],
  li: number,
  label: Word[],
  kind: LabelKind,
  rightLimit = 2,
): (Word & { line: number })[] | null {
  const line = lines[li]!;
  const left = Math.min(...label.map((w) => w.left));
  const right = Math.max(...label.map((w) => w.left + w.width));
  const maxGap = 4 * (line.bottom - line.top);
  for (let j = li + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.page !== line.page || l.top - line.bottom > maxGap) break;
    const segs = l.segments.filter((s) => xOverlap(left, right, s.left, s.right) > 0);
    if (!segs.length) continue;
    const seg = segs.sort(
      (a, b) => xOverlap(left, right, b.left, b.right) - xOverlap(left, right, a.left, a.right),
    )[0]!;
    // A row of labels over a row of values ("Invoice Date:  Due Date:" / "03/20  04/04"): only
    // the words under this label, up to where the next label starts.
    const pad = 0.01;
    const words =
      rightLimit < 2
        ? seg.words.filter((w) => w.left + w.width > left - pad && w.left < rightLimit - pad / 2)
        : seg.words;
    if (!words.length) continue;
    const toks: Tok[] = words.map((w) => ({ word: w, kind: kindOf(w.text), folded: fold(w.text), seg: 0 }));
    if (findLabels(toks).some((h) => h.start === 0)) return null;
    const v = takeValue(kind, toks);
    // Narrow cells wrap their value ("INV-2023-" over "73815", "17 de septiembre de" over "2023").
    const open = !v || (kind === 'id' && /[-/.]$/.test(v[v.length - 1]!.word.text));
    const more = open && (kind === 'id' || kind === 'date') ? continuationBelow(lines, j, words) : [];
    if (v && more[0] && kind === 'id')
      return mergeWrapped([v[v.length - 1]!.word, more[0]], kind).map((w) => ({ ...w, line: j }));
    if (more.length) {
      const joined = takeValue(kind, [
        ...toks,
        ...more.map((w) => ({ word: w, kind: kindOf(w.text), folded: fold(w.text), seg: 0 })),
      ]);
      if (joined)
        return mergeWrapped(
          joined.map((t) => t.word),
          kind,
        ).map((w) => ({ ...w, line: j }));
    }
    return v ? v.map((t) => ({ ...t.word, line: j })) : null;
  }
  return null;
}

/** Words on the line right below `words` and under them: the wrapped rest of a cell. */
function continuationBelow(lines: Line[], j: number, words: Word[]): Word[] {
  const l = lines[j]!;
  const left = Math.min(...words.map((w) => w.left));
  const right = Math.max(...words.map((w) => w.left + w.width));
  // Lines of other columns may sit in between (their baselines interleave with this cell's).
  for (let k = j + 1; k < lines.length; k++) {
    const next = lines[k]!;
    if (next.page !== l.page || next.top - l.bottom > 0.8 * (l.bottom - l.top)) break;
    const under = next.words.filter((w) => xOverlap(left - 0.005, right + 0.005, w.left, w.left + w.width) > 0);
    if (under.length) return under;
  }
  return [];
}

/** An id wrapped at a hyphen or slash is one token again ("INV-2023-" + "73815"). */
function mergeWrapped(words: Word[], kind: LabelKind): Word[] {
  if (kind !== 'id' || words.length < 2 || !/[-/.]$/.test(words[0]!.text)) return words;
  const [a, b] = [words[0]!, words[1]!];
  return [{ ...a, text: a.text + b.text, width: Math.max(a.width, b.left + b.width - a.left) }, ...words.slice(2)];
}

/**
 * Amount under a column header. Several stacked amounts whose last equals the sum of the others
 * is a column with its total row: take the total.
 */
function amountBelow(
  lines: Line[],
  li: number,
  label: Word[],
): { words: Word[]; amount: ParsedAmount; line: number; quality: number } | null {
  const line = lines[li]!;
  const left = Math.min(...label.map((w) => w.left));
  const right = Math.max(...label.map((w) => w.left + w.width));
  const lh = line.bottom - line.top;
  const found: { words: Word[]; amount: ParsedAmount; line: number }[] = [];
  let lastBottom = line.bottom;
  for (let j = li + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.page !== line.page || l.top - lastBottom > 4 * lh) break;
    // Words under the column (not whole segments: a row label may share the segment).
    const pad = 0.01;
    const under = l.words.filter((w) => xOverlap(left - pad, right + pad, w.left, w.left + w.width) > 0);
    if (!under.length) continue;
    const toks: Tok[] = under.map((w) => ({ word: w, kind: kindOf(w.text), folded: fold(w.text), seg: 0 }));
    if (!toks.some((t) => t.kind === 'amount')) {
      if (toks.some((t) => /\p{L}{3,}/u.test(t.word.text))) {
        if (found.length) break;
        if (findLabels(toks).length || classifyAmountLabel(under.map((w) => w.text).join(' '))) return null;
      }
      continue;
    }
    const groups = amountGroups(toks);
    const g = groups[groups.length - 1];
    const amount = g ? parseAmount(g.map((t) => t.word.text).join(' ')) : null;
    if (!g || !amount) {
      if (found.length) break;
      continue;
    }
    found.push({ words: g.map((t) => t.word), amount, line: j });
    lastBottom = l.bottom;
  }
  if (!found.length) return null;
  if (found.length >= 2) {
    const lastF = found[found.length - 1]!;
    const sum = found.slice(0, -1).reduce((s, f) => s + Number(f.amount.value), 0);
    if (Math.abs(sum - Number(lastF.amount.value)) < 0.005) return { ...lastF, quality: 1 };
    return { ...found[0]!, quality: 0.6 };
  }
  return { ...found[0]!, quality: 1 };
}

const PAYMENT_METHOD_RES = PAYMENT_METHOD_WORDS.map(
  (m) => [m, new RegExp(`(?<![\\p{L}])${fold(m).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'u')] as const,
);

function findPaymentMethodWord(lines: Line[]): FieldCandidate | null {
  for (const line of lines) {
    const folded = fold(line.text);
    for (const [m, re] of PAYMENT_METHOD_RES) {
      const hit = re.exec(folded);
      if (!hit) continue;
      // Map the match back to words by character offsets of the folded line text.
      const words: Word[] = [];
      let pos = 0;
      for (const w of line.words) {
        const s = pos;
        const e = pos + fold(w.text).length;
        if (e > hit.index && s < hit.index + hit[0].length) words.push(w);
        pos = e + 1;
      }
      return {
        type: 'PAYMENT_METHOD',
        label: [],
        value: words,
        valueText: m,
        score: 0.4,
        page: line.page,
        line: line.index,
      };
    }
  }
  return null;
}

/** One candidate per printed line (a line's first candidate), in reading order. */
function uniqueByLine(cands: FieldCandidate[]): FieldCandidate[] {
  const seen = new Set<number>();
  return [...cands].sort((a, b) => a.line - b.line).filter((c) => c.amount && !seen.has(c.line) && seen.add(c.line));
}

/** The sum of several amount candidates as one (its score their weakest). */
function sumCandidate(cands: FieldCandidate[]): FieldCandidate {
  const value = sumAmounts(cands.map((c) => c.amount!.value));
  const first = cands[0]!;
  return {
    ...first,
    value: cands.flatMap((c) => c.value),
    label: cands.flatMap((c) => c.label),
    valueText: value,
    score: Math.min(...cands.map((c) => c.score)),
    amount: { value, currency: first.amount!.currency },
  };
}

/**
 * Cash sales round the total to 5 or 10 cents and print the rounded figure below the exact one
 * ("Total 181.98 · Rounding +0.02 · Total rounded 182.00"): that later figure is what was paid.
 * With only the adjustment line readable, the total plus that adjustment is; when OCR garbled the
 * adjustment too, the exact total rounded to the nearest 5 cents.
 */
function roundedTotal(total: FieldCandidate, others: FieldCandidate[], rounding: FieldCandidate[]): FieldCandidate {
  const t = Number(total.amount!.value);
  const fiveCents = (v: number): boolean => Math.round(v * 100) % 5 === 0;
  const near = (v: number): boolean => Math.abs(v - t) > 0.001 && Math.abs(v - t) < 0.05;
  const later = [...others, ...rounding].filter((c) => c.line > total.line && c.amount && near(Number(c.amount.value)));
  const rounded = later.find((c) => fiveCents(Number(c.amount!.value)));
  if (rounded) return { ...rounded, type: 'TOTAL' };
  if (!rounding.some((c) => c.line > total.line) || fiveCents(t) || total.amount!.value.split('.')[1]?.length !== 2)
    return total;
  const adjusted =
    rounding.map((c) => t + Number(c.amount?.value)).find((v) => near(v) && fiveCents(v)) ?? Math.round(t * 20) / 20;
  const value = adjusted.toFixed(2);
  return { ...total, valueText: value, amount: { ...total.amount!, value }, score: total.score * 0.9 };
}

/**
 * "Total 9.00 · Rounding adjustment 0.00 · Rounded total 9.60" on three lines in a row: the last
 * must be the first plus the adjustment, and cash rounding never moves a total by more than a few
 * cents. A rounded total that is neither was misread, and the exact total above it stands.
 */
function misreadRoundedTotals(totals: FieldCandidate[], rounding: FieldCandidate[]): Set<FieldCandidate> {
  const out = new Set<FieldCandidate>();
  const value = (c: FieldCandidate): number => Number(c.amount?.value);
  for (const exact of totals)
    for (const r of rounding.filter((x) => x.line === exact.line + 1 && Number.isFinite(value(x))))
      for (const t of totals.filter((x) => x.line === r.line + 1)) {
        const off = Math.abs(value(t) - value(exact));
        if (Math.abs(value(exact) + value(r) - value(t)) > 0.011 && off > MAX_CASH_ROUNDING) out.add(t);
      }
  return out;
}

/** The most a cash rounding moves a total (to the nearest 5 or 10 cents, or a whole unit of some currencies). */
const MAX_CASH_ROUNDING = 0.1;

/**
 * OCR drops the decimal point of a faint amount ("228338" for "2,283.38"): on a page that prints
 * money with cents, a bare figure of three or more digits also stands for itself ÷ 100 — a reading
 * that counts only where subtotal + tax = total confirms it.
 */
function withLostPoints(list: FieldCandidate[], all: FieldCandidate[]): FieldCandidate[] {
  if (all.filter((c) => c.amount && /[.,]\d{2}\b/.test(c.valueText)).length < 2) return list;
  // A value another line prints as it is needs no second reading (and must not shadow that line).
  const printed = new Set(all.filter((c) => c.amount).map((c) => Number(c.amount!.value).toFixed(2)));
  const readings = list
    .filter((c) => c.amount && /^\D*\d{3,}\D*$/.test(c.valueText))
    .map((c) => ({ c, value: withLostDecimalPoint(c.amount!.value) }))
    .filter(
      (r): r is { c: FieldCandidate; value: string } => r.value !== null && !printed.has(Number(r.value).toFixed(2)),
    )
    .map(({ c, value }) => ({
      ...c,
      amount: { ...c.amount!, value },
      valueText: value,
      score: c.score * 0.95,
      ifConsistent: true,
    }));
  return [...list, ...readings];
}

/**
 * "Rounded Total (RM): (13.50)": some tills bracket every figure. A bracketed total reads as a
 * negative one (a credit), but where the page prints the same amount unbracketed as another
 * summary figure, the brackets are only the till's style and the total is that amount.
 */
function withoutStyleBrackets(totals: FieldCandidate[], all: FieldCandidate[]): FieldCandidate[] {
  const positive = new Set(
    all.filter((c) => c.amount && Number(c.amount.value) > 0).map((c) => Number(c.amount!.value).toFixed(2)),
  );
  return totals.map((c) => {
    const v = Number(c.amount?.value);
    if (!(v < 0) || !/^\(.*\)$/.test(c.valueText.trim()) || !positive.has((-v).toFixed(2))) return c;
    const value = negateAmount(c.amount!.value);
    return { ...c, valueText: value, amount: { ...c.amount!, value } };
  });
}

/** A money figure printed without an amount label (internal type). */
const FIGURE = '_FIGURE';
const KEPT_INTERNAL = new Set(['_DATE_CONNECTOR', '_CURRENCY', '_TENDERED', '_CHANGE', '_ROUNDING']);

/** Best candidate per type; subtotal/tax/total chosen jointly so that they add up when they can. */
export function selectFields(all: FieldCandidate[]): Map<string, FieldCandidate> {
  // Unlabelled figures serve one rule (summedTotal) and count as no field's printed value.
  const figures = all.filter((c) => c.type === FIGURE);
  const cands = all.filter((c) => c.type !== FIGURE);
  const best = new Map<string, FieldCandidate>();
  const byType = new Map<string, FieldCandidate[]>();
  for (const c of cands) {
    if (c.type.startsWith('_') && !KEPT_INTERNAL.has(c.type)) continue;
    const type = c.type === '_DATE_CONNECTOR' ? 'INVOICE_RECEIPT_DATE' : c.type;
    const list = byType.get(type) ?? [];
    list.push({ ...c, type });
    byType.set(type, list);
  }
  for (const [type, list] of byType) {
    if (
      (AMOUNT_TYPES.has(type) && type !== 'AMOUNT_DUE') ||
      type === '_TENDERED' ||
      type === '_CHANGE' ||
      type === '_ROUNDING'
    )
      continue;
    // Stable: on equal scores the earlier line wins (headers before footers).
    const top = [...list].sort((a, b) => b.score - a.score || a.line - b.line)[0];
    if (top) best.set(type, top);
  }
  for (const type of ['SUBTOTAL', 'TAX', 'TOTAL']) byType.set(type, withLostPoints(byType.get(type) ?? [], cands));
  byType.set('TOTAL', withoutStyleBrackets(byType.get('TOTAL') ?? [], cands));
  // Several tax rates print one tax line each: their sum is the document's tax.
  const taxLines = uniqueByLine(byType.get('TAX') ?? []);
  if (taxLines.length >= 2 && taxLines.length <= 4)
    byType.set('TAX', [...(byType.get('TAX') ?? []), sumCandidate(taxLines)]);
  // What is due is the total on most receipts: a total candidate too, a little weaker.
  const dueAsTotal = (byType.get('AMOUNT_DUE') ?? []).map((c) => ({ ...c, type: 'TOTAL', score: c.score * 0.8 }));
  const pick = (type: string): (FieldCandidate | null)[] => {
    const list = [...(byType.get(type) ?? []), ...(type === 'TOTAL' ? dueAsTotal : [])].sort(
      (a, b) => b.score - a.score || b.line - a.line,
    );
    const seen = new Set<string>();
    const uniq: FieldCandidate[] = [];
    for (const c of list) {
      const v = c.amount?.value;
      if (v === undefined || seen.has(Number(v).toFixed(4))) continue;
      seen.add(Number(v).toFixed(4));
      uniq.push(c);
      if (uniq.length >= 5) break;
    }
    return [...uniq, null];
  };
  const centsPrinted = cands.filter((c) => c.amount && /[.,]\d{2}\b/.test(c.valueText)).length >= 2;
  // On receipts, cash handed over minus change given is what the sale came to.
  const amounts = (type: string): number[] =>
    (byType.get(type) ?? []).map((c) => Number(c.amount?.value)).filter(Number.isFinite);
  const paidMinusChange = amounts('_TENDERED').flatMap((p) => amounts('_CHANGE').map((c) => p - c));
  // Cash less change as a total of its own, weakly held: it wins only where the tax confirms it.
  const paidTotal = paidLessChange(byType.get('_TENDERED') ?? [], byType.get('_CHANGE') ?? []);
  if (paidTotal) byType.set('TOTAL', [...(byType.get('TOTAL') ?? []), { ...paidTotal, score: paidTotal.score * 0.6 }]);
  const roundings = amounts('_ROUNDING').filter((r) => r !== 0 && Math.abs(r) <= MAX_CASH_ROUNDING);
  const summed = summedTotal(
    byType.get('SUBTOTAL') ?? [],
    byType.get('TAX') ?? [],
    byType.get('TOTAL') ?? [],
    figures,
    roundings,
  );
  if (summed) byType.set('TOTAL', [...(byType.get('TOTAL') ?? []), summed]);
  const misread = misreadRoundedTotals(byType.get('TOTAL') ?? [], byType.get('_ROUNDING') ?? []);
  const totalLines = new Set([...(byType.get('TOTAL') ?? []), ...dueAsTotal].map((c) => c.line));
  let bestCombo: {
    s: FieldCandidate | null;
    t: FieldCandidate | null;
    T: FieldCandidate | null;
    score: number;
  } | null = null;
  for (const s of pick('SUBTOTAL'))
    for (const t of pick('TAX'))
      for (const T of pick('TOTAL')) {
        if (s && T && s.line === T.line && s.value[0] === T.value[0]) continue; // one printed amount, one role
        let score = (s?.score ?? 0) + (t?.score ?? 0) + (T?.score ?? 0);
        // A whole number among money printed with cents is a count ("Total items 3"), or OCR lost its point.
        if (T && centsPrinted && !/[.,]\d{2}\b/.test(T.valueText)) score -= 0.4;
        const gap = s && t && T ? totalsGap(s, t, T, figures, totalLines) : Infinity;
        if ((s?.ifConsistent || T?.ifConsistent) && !(gap < 0.051)) continue;
        if (s && t && T) {
          // Cash totals rounded to 5 or 10 cents ("Rounding adj -0.02") still add up.
          if (gap < 0.011) score += 1.2;
          else if (gap < 0.051 && s !== T) score += 0.8;
          else if (Math.abs(Number(s.amount!.value)) > Math.abs(Number(T.amount!.value)) + 0.01) score -= 0.5;
        } else if (
          s &&
          T &&
          roundings.some((r) => Math.abs(Number(s.amount!.value) + r - Number(T.amount!.value)) < 0.011)
        )
          // "Sub total 76.57 · Round adj -0.02 · Amount 76.55": the subtotal, rounded, is the total.
          score += 0.8;
        else if (s && T && Math.abs(Number(s.amount!.value)) > Math.abs(Number(T.amount!.value)) + 0.01) score -= 0.5;
        if (T && T.type !== PAID && paidMinusChange.some((v) => Math.abs(v - Number(T.amount!.value)) < 0.011))
          score += 0.8;
        if (T && t && taxAtItsRate(t, T)) score += 0.8;
        if (T && misread.has(T)) score -= 0.6;
        if (!bestCombo || score > bestCombo.score + 1e-9) bestCombo = { s, t, T, score };
      }
  if (bestCombo?.s) best.set('SUBTOTAL', bestCombo.s);
  if (bestCombo?.t) best.set('TAX', bestCombo.t);
  if (bestCombo?.T)
    best.set(
      'TOTAL',
      bestCombo.T.type === PAID
        ? { ...bestCombo.T, type: 'TOTAL' }
        : roundedTotal(bestCombo.T, [...(byType.get('TOTAL') ?? []), ...dueAsTotal], byType.get('_ROUNDING') ?? []),
    );
  return best;
}

/**
 * How far subtotal + tax is from the total, or subtotal + charges + tax where the lines between
 * subtotal and total print figures under labels no vocabulary names ("Portes: 47.54", a fee).
 */
function totalsGap(
  s: FieldCandidate,
  t: FieldCandidate,
  T: FieldCandidate,
  figures: FieldCandidate[],
  totalLines: ReadonlySet<number>,
): number {
  const plain = Number(s.amount!.value) + Number(t.amount!.value) - Number(T.amount!.value);
  // Only into the first total after the subtotal: below a total, figures are deductions (paid, deposits).
  for (let l = s.line + 1; l < T.line; l++) if (totalLines.has(l)) return Math.abs(plain);
  const charges = figures
    .filter((f) => f.line > s.line && f.line < T.line && f.line !== t.line)
    .reduce((sum, f) => sum + Number(f.amount!.value), 0);
  return Math.min(Math.abs(plain), Math.abs(plain + charges));
}

/**
 * A tax printed with its rate fits a total when the total holds exactly that much tax: total ×
 * rate / (100 + rate) = tax, to the cent (the same whether the tax was added or included).
 */
function taxAtItsRate(t: FieldCandidate, T: FieldCandidate): boolean {
  if (!t.rate) return false;
  const tax = Number(t.amount!.value);
  const total = Number(T.amount!.value);
  return tax > 0 && Math.abs((total * t.rate) / (100 + t.rate) - tax) < 0.0101;
}

/** The type of the total reckoned from cash less change (not a printed total). */
const PAID = '_PAID_LESS_CHANGE';

/**
 * No total read, but cash handed over and change given are ("BAR 520,00 · Rückgeld 30,14"): the
 * sale came to their difference. Weakly held: its place is the tendered line.
 */
function paidLessChange(tendered: FieldCandidate[], change: FieldCandidate[]): FieldCandidate | null {
  const p = tendered.find((c) => c.amount);
  const c = change.find((x) => x.amount && x.line > (p?.line ?? Infinity));
  if (!p || !c) return null;
  const value = subtractAmounts(p.amount!.value, c.amount!.value);
  if (compareAmounts(value, '0') <= 0) return null;
  return { ...p, type: PAID, valueText: value, amount: { ...p.amount!, value }, score: p.score * 0.5 };
}
