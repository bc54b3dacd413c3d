/**
 * Vendor (merchant) and receiver names. Signals, strongest first: a seller heading ("Verkäufer",
 * "Sold by", "Vendeur") with the name beside or below it; a company name with a legal-form
 * suffix (GmbH, Ltd, B.V., SARL …) outside the buyer's block; the bank-account holder; the most
 * prominent name-like line at the top of page 1.
 */
import {
  BUYER_HEADINGS,
  COLUMN_HEADINGS,
  DOCUMENT_TITLE_WORD,
  LABELS,
  LEGAL_FORM_LONG_RE,
  LEGAL_FORM_SHORT_RE,
  SELLER_HEADINGS,
  TITLE_RE,
} from './labels.ts';
import { fold, oneLetterApart, xOverlap } from './layout.ts';
import type { Line, Segment, Word } from './types.ts';

export interface NameCandidate {
  type: 'VENDOR_NAME' | 'RECEIVER_NAME';
  label: Word[];
  value: Word[];
  valueText: string;
  score: number;
  page: number;
  line: number;
}

const ACCOUNT_HOLDER =
  /(?<![\p{L}])(?:titulaire du compte|kontoinhaber(?:in)?|account holder|account name|rekeninghouder|ten name van|intestatario|beneficiary|beneficiaire)\s*:\s*/u;
const NAME_PREFIX =
  /^(?:name|nom|firma|company|raison sociale|naam|bedrijf|nazwa|nombre|ragione sociale|regd\.? office|registered office|sold by|service provider)\s*:?\s*/iu;
const NOT_NAME =
  /@|%|https?:|www\.|\.(?:com|de|fr|nl|pl|es|it)\b|^\+?\d[\d\s()/-]{5,}$|(?:tel|fax|phone|fon|e-?mail|iban|bic|swift|ust|vat|tva|btw|steuer)[.:\s]/iu;
const DOMAIN_END = /\.(?:com|de|fr|nl|pl|es|it)\b/giu;

/** Contact details, not a name; but a domain before a legal form is a company's name ("eCosway.com Sdn Bhd"). */
function contactLine(t: string): boolean {
  if (!NOT_NAME.test(t)) return false;
  return !LEGAL_FORM_LONG_RE.test(fold(t)) || NOT_NAME.test(t.replace(DOMAIN_END, ''));
}

/**
 * A legal form on a line of its own ("SINNATHAMBY HOLDINGS" / "SDN. BHD."): the company's name is
 * the line above it, when that line is a name. Else nothing is added.
 */
function nameAbove(lines: Line[], li: number, legal: Word[]): Word[] {
  const bare = legal.map((w) => w.text).join(' ');
  if (!LEGAL_FORM_LONG_RE.test(bare) || bare.replace(LEGAL_FORM_LONG_RE, '').replace(/[\s.,]/g, '') !== '') return [];
  const line = lines[li]!;
  const above = lines[li - 1];
  if (!above || above.page !== line.page || above.segments.length !== 1) return [];
  const text = above.text.trim();
  return nameLike(text) && !segmentLabelLike(text) && !/\d/.test(text) ? above.words : [];
}

/**
 * The first words of a letterhead name that a lost letter's gap split off into a segment of their
 * own ("GARDENIA  AKERIES (KL) SDN BHD" for "GARDENIA BAKERIES"): the line's only segment before
 * the name's, name-like, close and in the same type size.
 */
function nameBefore(line: Line, seg: Segment): Word[] {
  const i = line.segments.indexOf(seg);
  if (i !== 1) return [];
  const prev = line.segments[0]!;
  const text = prev.text.trim();
  const last = prev.words[prev.words.length - 1]!;
  const gap = seg.words[0]!.left - (last.left + last.width);
  const size = seg.words[0]!.fontSize;
  if (gap >= MAX_NAME_GAP || Math.abs(last.fontSize - size) > 0.2 * size) return [];
  return letterheadName(text) && !segmentLabelLike(text) ? prev.words : [];
}

/** One-word item-table column headings ("qty", "price", "amount"). */
const HEADING_WORDS = new Set(COLUMN_HEADINGS.map(([, p]) => p).filter((p) => !p.includes(' ')));

/**
 * Words that are all column headings: an item table's heading row whose last word reads as a
 * legal form ("Qty UOM Price Amt Amt Inc") is no company.
 */
function columnHeadings(words: readonly Word[]): boolean {
  const folded = words.map((w) => fold(w.text).replace(/[:.]$/, ''));
  return folded.length > 0 && folded.every((f) => HEADING_WORDS.has(f) || HEADING_WORDS.has(`${f}.`));
}

/** "Owned by: Sanyu Supply Sdn Bhd", "formerly known as …": the company behind the shop whose name heads the slip. */
const OWNER_HEADING =
  /(?<![\p{L}])(?:(?:o?wned|vned|operated|managed|franchised|run)\s+by|formerly\s+known\s+as|licensee\s+of|(?:member|subsidiary|division)\s+of|betrieben\s+von|exploit[ée]e?\s+par|gestionad[oa]\s+por|gestito\s+da|uitgebaat\s+door)(?![\p{L}])/u;
/** Below the letterhead's own name (≤ 0.55) and a legal name anywhere else: the shop's owner is the merchant only when nothing else names it. */
const OWNER_SCORE = 0.3;

/** The name on line `li` follows an owner heading, on its line or on the line above. */
function ownerOfTheShop(lines: Line[], li: number): boolean {
  const line = lines[li]!;
  const above = lines[li - 1];
  return (
    OWNER_HEADING.test(fold(line.text)) ||
    (above !== undefined && above.page === line.page && OWNER_HEADING.test(fold(above.text)))
  );
}

function segmentLabelLike(text: string): boolean {
  const f = fold(text);
  return LABELS.some((d) => {
    // "vom", "van", "du" are labels only before a date; before a name they are part of it ("Van Dijk BVBA").
    if (d.type === '_DATE_CONNECTOR') return false;
    d.re.lastIndex = 0;
    const m = d.re.exec(f);
    return m !== null && m.index === 0;
  });
}

/** Name-ish text: letters, not too long, not a label/title/contact line. */
function nameLike(text: string): boolean {
  const t = text.trim();
  if (t.length < 2 || t.length > 70 || !/\p{L}{2,}/u.test(t) || /^[([{<*]/.test(t) || /:$/.test(t)) return false;
  // A sentence ("Not to be used for payment remittance") is not a name: mostly lower-case words.
  const ws = t.split(/\s+/);
  if (ws.length >= 4 && ws.filter((w) => /^\p{Ll}/u.test(w)).length > ws.length / 2) return false;
  if (contactLine(t)) return false;
  if (TITLE_RE.test(fold(t)) && t.split(/\s+/).length <= 2) return false;
  const digits = (t.match(/\d/g) ?? []).length;
  if (digits > 4 || digits >= (t.match(/\p{L}/gu) ?? []).length) return false;
  // A bracket closed but never opened is the tail of a phrase cut by a column gap ("… cortesia)").
  if (/\)$/.test(t) && !t.includes('(')) return false;
  // A one-word document title in any language ("Verkoopfactuur", "Schlussrechnung").
  if (ws.length === 1 && /factu|rechnung|invoice|fattura|fatura|recibo|receipt/i.test(t)) return false;
  return true;
}

/** Strip a "Name:" prefix and trailing punctuation; cut after a legal-form suffix when present. */
function cleanName(words: Word[]): Word[] {
  let ws = [...words];
  const joined = (): string => ws.map((w) => w.text).join(' ');
  while (ws.length && NAME_PREFIX.test(joined()) && NAME_PREFIX.exec(joined())![0].length > 0) {
    const n = NAME_PREFIX.exec(joined())![0].trim().split(/\s+/).length;
    ws = ws.slice(n);
  }
  while (ws.length && /^[:\-–·●|,]+$/.test(ws[0]!.text)) ws.shift();
  // A document title OCR set on the name's line ("Honorarrechnung  Hansen Beratung GmbH") is no part of it.
  while (ws.length > 2 && DOCUMENT_TITLE_WORD.test(fold(ws[0]!.text))) ws.shift();
  // Sender lines like "Company AG - Street 1 - City": keep the part before the first separator.
  const sep = ws.findIndex((w, i) => i > 0 && /^[-–·●|]$/.test(w.text));
  if (sep > 0) ws = ws.slice(0, sep);
  return ws;
}

/** What makes a partnership of a company ("GmbH & Co. KG", "AG & Co. KGaA"): part of the legal form. */
const PARTNERSHIP_TAIL = /^(?:&|und|\+)\s*co\.?\s*(?:kgaa|kg|ohg)\.?$/iu;

/** `end`, moved past a partnership tail that follows the legal form there. */
function withPartnershipTail(words: Word[], end: number): number {
  for (const n of [3, 2, 1]) {
    const tail = words
      .slice(end, end + n)
      .map((w) => w.text)
      .join(' ');
    if (end + n <= words.length && PARTNERSHIP_TAIL.test(tail)) return end + n;
  }
  return end;
}

function legalFormEnd(words: Word[]): number {
  const end = firstLegalFormEnd(words);
  return end < 0 ? end : withPartnershipTail(words, end);
}

function firstLegalFormEnd(words: Word[]): number {
  // Index (exclusive) of the word that ends the first legal-form suffix, or -1.
  for (let i = 0; i < words.length; i++) {
    const upTo = words
      .slice(0, i + 1)
      .map((w) => w.text)
      .join(' ');
    const last = words[i]!.text.replace(/[,;]$/, '');
    const tail = words
      .slice(Math.max(0, i - 4), i + 1)
      .map((w) => w.text)
      .join(' ')
      .replace(/[,;]$/, '');
    if (i === 0) continue; // a suffix needs a name before it
    // After a number it is a unit ("Coffee beans 1 KG", "Cable 5 AS"), not a legal form.
    const unit = /^\d+(?:[.,]\d+)?$/.test(words[i - 1]!.text);
    if (!unit && LEGAL_FORM_SHORT_RE.test(last) && new RegExp(`${escapeRe(last)}$`).test(upTo.replace(/[,;]$/, ''))) {
      if (LEGAL_FORM_SHORT_RE.exec(last)?.[0] === last) return i + 1;
    }
    const m = LEGAL_FORM_LONG_RE.exec(tail);
    if (m && tail.endsWith(m[0].replace(/\s+$/, ''))) return i + 1;
  }
  return -1;
}

/**
 * A segment's words, with the next segment's when that one starts with the legal form the name
 * lacks: wide letter-spacing in bold letterheads splits "PACIFIC BOOKS SDN  BHD" in two.
 */
function withLegalFormAfter(line: Line, seg: Segment): Word[] {
  const next = line.segments[line.segments.indexOf(seg) + 1];
  if (!next || legalFormEnd(seg.words) > 0) return seg.words;
  const joined = [...seg.words, ...next.words];
  const end = legalFormEnd(joined);
  return end > seg.words.length && end <= seg.words.length + 3 ? joined.slice(0, end) : seg.words;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface Block {
  page: number;
  left: number;
  right: number;
  fromLine: number;
  toLine: number;
}

export function findParties(lines: Line[]): NameCandidate[] {
  const out: NameCandidate[] = [];
  const buyerBlocks: Block[] = [];

  // Buyer blocks first, so their names are not taken for the vendor.
  lines.forEach((line, li) => {
    for (const seg of line.segments) {
      const f = fold(seg.text);
      if (!BUYER_HEADINGS.test(f)) continue;
      const block: Block = {
        page: line.page,
        left: seg.left - 0.02,
        right: Math.max(seg.right, seg.left + 0.25),
        fromLine: li,
        toLine: li + 5,
      };
      buyerBlocks.push(block);
      const below = firstBelow(lines, li, block.left, block.right, 3, true);
      const rest = seg.words.slice(f.match(BUYER_HEADINGS)![0].trim().split(/\s+/).length);
      const restText = rest
        .map((w) => w.text)
        .join(' ')
        .replace(/^[:\s]+/, '');
      const src = restText && nameLike(restText) && !segmentLabelLike(restText) ? { words: rest, line } : below;
      if (src) {
        const ws = cleanName(src.words);
        if (ws.length && nameLike(ws.map((w) => w.text).join(' '))) {
          out.push({
            type: 'RECEIVER_NAME',
            label: seg.words,
            value: ws,
            valueText: ws
              .map((w) => w.text)
              .join(' ')
              .replace(/[,;]$/, ''),
            score: 0.6,
            page: src.line.page,
            line: src.line.index,
          });
        }
      }
    }
  });
  const inBuyerBlock = (line: Line, seg: Segment): boolean =>
    buyerBlocks.some(
      (b) =>
        b.page === line.page &&
        line.index > b.fromLine &&
        line.index <= b.toLine &&
        xOverlap(b.left, b.right, seg.left, seg.right) > 0.3,
    );

  lines.forEach((line, li) => {
    for (const seg of line.segments) {
      const f = fold(seg.text);
      // 1. Seller heading.
      let h = SELLER_HEADINGS.exec(f);
      let headingStart = 0;
      if (!h) {
        // The bank-account holder is the payee, i.e. the seller; often mid-line in payment blocks.
        const m = ACCOUNT_HOLDER.exec(f);
        if (m) {
          headingStart = f.slice(0, m.index).trim().split(/\s+/).filter(Boolean).length;
          h = m;
        }
      }
      if (h) {
        const weak = /titulaire|kontoinhaber|account|rekeninghouder|intestatario|beneficiar|payee|from/.test(h[0]);
        const headingWords = headingStart + h[0].trim().split(/\s+/).length;
        const rest = cleanName(seg.words.slice(headingWords));
        const restText = rest.map((w) => w.text).join(' ');
        let src: { words: Word[]; line: Line } | null = null;
        if (rest.length && nameLike(restText) && !segmentLabelLike(restText)) src = { words: rest, line };
        else if (!rest.length)
          src = firstBelow(lines, li, seg.left - 0.02, Math.max(seg.right, seg.left + 0.3), 4, true);
        if (src) {
          const name = cleanName(src.words);
          const text = name
            .map((w) => w.text)
            .join(' ')
            .replace(/[,;]$/, '');
          if (name.length && nameLike(text)) {
            out.push({
              type: 'VENDOR_NAME',
              label: seg.words.slice(headingStart, headingWords),
              value: name,
              valueText: text,
              score: weak ? 0.62 : 0.85,
              page: src.line.page,
              line: src.line.index,
            });
          }
        }
      }
      // 2. Legal-form suffix.
      if (!inBuyerBlock(line, seg)) {
        const ws = cleanName(withLegalFormAfter(line, seg));
        const end = legalFormEnd(ws);
        if (end > 0 && end <= 8) {
          const before = ws[0] === seg.words[0] ? nameBefore(line, seg) : [];
          const name = [...(before.length ? before : nameAbove(lines, li, ws.slice(0, end))), ...ws.slice(0, end)];
          const text = name
            .map((w) => w.text)
            .join(' ')
            .replace(/[,;]$/, '');
          if (nameLike(text) && !segmentLabelLike(text) && !columnHeadings(name.slice(0, -1))) {
            const pos = ownerOfTheShop(lines, li)
              ? OWNER_SCORE
              : line.page === 1 && line.top < 0.3
                ? 0.75
                : line.top > 0.85
                  ? 0.5
                  : 0.6;
            out.push({
              type: 'VENDOR_NAME',
              label: [],
              value: name,
              valueText: text,
              score: pos,
              page: line.page,
              line: line.index,
            });
          }
        }
      }
    }
  });

  // 3. Prominent name-like line at the top of page 1 (logo text, letterhead).
  addTopCandidates(lines, out, inBuyerBlock);

  // 4. The issuer's own web/e-mail domain names its company: a vendor candidate that matches it
  //    is much more likely the seller than a name in the recipient's window.
  const domains = contactDomains(lines);
  if (domains.size) {
    for (const c of out) {
      if (c.type !== 'VENDOR_NAME') continue;
      const tokens = fold(c.valueText)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((t) => t.length >= 3);
      const squashed = tokens.join('');
      if ([...domains].some((d) => tokens.includes(d) || (d.length >= 5 && squashed.includes(d)) || squashed === d))
        c.score += 0.3;
    }
  }
  return out;
}

/** Second-level labels of the domains in web addresses and e-mail addresses ("cronus", "amazon"). */
function contactDomains(lines: Line[]): Set<string> {
  const out = new Set<string>();
  const generic =
    /^(?:gmail|googlemail|yahoo|hotmail|outlook|live|icloud|gmx|web|aol|mail|example|fake|email|t-online|orange|free|wanadoo)$/;
  for (const l of lines) {
    for (const m of l.text
      .toLowerCase()
      .matchAll(/(?:@|www\.|https?:\/\/(?:www\.)?)([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.([a-z]{2,})\b/g)) {
      const parts = m[1]!.split('.');
      const label = parts[parts.length - 1]!;
      if (label.length >= 3 && !generic.test(label)) out.add(label.replace(/-/g, ''));
    }
  }
  return out;
}

function addTopCandidates(
  lines: Line[],
  out: NameCandidate[],
  inBuyerBlock: (line: Line, seg: Segment) => boolean,
): void {
  const top = lines.filter((l) => l.page === 1 && l.top < 0.2);
  const maxFont = Math.max(0, ...top.map((l) => l.fontSize));
  const fontBonus = (seg: Segment): number => (maxFont > 0 ? Math.min(1, seg.words[0]!.fontSize / maxFont) : 0.5);
  for (const line of top) {
    // A line that prints a price is an item or a total, not a letterhead.
    if (line.words.some((w) => /\d[.,]\d{2}$/.test(w.text))) continue;
    const named: NameCandidate[] = [];
    for (const seg of line.segments) {
      const text = seg.text.trim();
      // A brand written as its domain ("Amazon.com") as the letterhead's only word.
      const brandDomain =
        seg.words.length === 1 && /^[A-Z][\p{L}\d-]{2,}\.(?:com|net|org|co|io|de|fr|nl|in|co\.uk)$/u.test(text);
      if (brandDomain) {
        out.push(topCandidate(seg.words, text, line, Math.min(0.55, 0.3 + 0.15 * fontBonus(seg) - 0.3 * line.top)));
        continue;
      }
      if (!letterheadName(text) || inBuyerBlock(line, seg)) continue;
      const next = firstBelow(lines, line.index, seg.left - 0.01, seg.right, 1);
      const addressBelow = next ? ADDRESS_START.test(next.words.map((w) => w.text).join(' ')) : false;
      // Letterheads sit at the very top; the recipient's window address further down.
      const score = 0.25 + 0.15 * fontBonus(seg) + (addressBelow ? 0.15 : 0) - 0.3 * line.top;
      named.push(topCandidate(seg.words, text, line, Math.min(0.55, score)));
    }
    out.push(...named);
    // A bold letterhead's words set far apart fall into segments of their own ("SANYU STATIONERY  SHOP"):
    // a line of nothing but name-like segments is also one name.
    const words = named.flatMap((c) => c.value);
    if (named.length >= 2 && named.length === line.segments.length && words.length <= 6 && oneName(named))
      out.push(
        topCandidate(
          words,
          named.map((c) => c.valueText).join(' '),
          line,
          Math.max(...named.map((c) => c.score)) + 0.01,
        ),
      );
  }
}

/** Segments close together in one type size: a spaced-out name, not two parties side by side. */
function oneName(parts: readonly NameCandidate[]): boolean {
  const size = (c: NameCandidate): number => c.value[0]!.fontSize;
  return parts.every((c, i) => {
    const prev = parts[i - 1];
    if (!prev) return true;
    const last = prev.value[prev.value.length - 1]!;
    const gap = c.value[0]!.left - (last.left + last.width);
    return gap < MAX_NAME_GAP && Math.abs(size(c) - size(prev)) <= 0.2 * size(prev);
  });
}

/** The widest gap (share of the page width) inside one spaced-out letterhead name. */
const MAX_NAME_GAP = 0.15;

const ADDRESS_START =
  /^\d+\s|\d{4,5}\s+\p{L}|\p{L}+(?:str\.?|straße|strasse|street|st\.?|weg|allee|avenue|ave|road|rd|rue|laan|plein)\s*\d*/iu;

/** A segment at the top of page 1 that can be the letterhead's name: no label, title, heading or figure. */
function letterheadName(text: string): boolean {
  if (!nameLike(text) || segmentLabelLike(text) || text.split(/\s+/).length > 6) return false;
  // A line that ends in a comma goes on below: an address ("Wangsa Link, Wangsa Maju,"), not a name.
  if (/,$/.test(text.trim())) return false;
  if (BUYER_HEADINGS.test(fold(text)) || SELLER_HEADINGS.test(fold(text))) return false;
  return !/\d/.test(text) && !TITLE_RE.test(fold(text));
}

function topCandidate(value: Word[], valueText: string, line: Line, score: number): NameCandidate {
  return { type: 'VENDOR_NAME', label: [], value, valueText, score, page: 1, line: line.index };
}

/** First segment below a line that overlaps [left, right]; optionally skipping id/number lines. */
function firstBelow(
  lines: Line[],
  li: number,
  left: number,
  right: number,
  maxLines: number,
  skipNumbers = false,
): { words: Word[]; line: Line } | null {
  const line = lines[li]!;
  let seen = 0;
  for (let j = li + 1; j < lines.length && seen < maxLines; j++) {
    const l = lines[j]!;
    if (l.page !== line.page) break;
    const si = l.segments.findIndex((s) => xOverlap(left, right, s.left, s.right) > 0);
    if (si < 0) continue;
    let seg = l.segments[si]!;
    // "Name:" and the name are often printed as two columns of a key/value block.
    const nextSeg = l.segments[si + 1];
    if (/:$/.test(seg.text.trim()) && nextSeg)
      seg = {
        ...seg,
        words: [...seg.words, ...nextSeg.words],
        text: `${seg.text} ${nextSeg.text}`,
        right: nextSeg.right,
      };
    seen++;
    if (
      skipNumbers &&
      /^(?:nummer|number|no\.?|nr\.?|id|globale nummer|gln|kundennummer|customer no|\d)/iu.test(fold(seg.text))
    )
      continue;
    if (
      skipNumbers &&
      !nameLike(
        cleanName(seg.words)
          .map((w) => w.text)
          .join(' '),
      )
    )
      continue;
    return { words: seg.words, line: l };
  }
  return null;
}

/**
 * OCR misreads a letter of a bold letterhead ("SANYO" for "SANYU") that the page prints again in
 * smaller type ("SANYU SUPPLY SDN BHD", "Sanyu.Stationery"): a word of the name read once, whose
 * one-letter variant the page reads at least twice, takes the page's spelling. Text layers are
 * left as printed (their words carry no OCR doubt).
 */
export function withPageSpelling(name: NameCandidate, lines: readonly Line[]): NameCandidate {
  const counts = new Map<string, number>();
  for (const l of lines)
    for (const w of l.words)
      for (const t of w.text.toUpperCase().split(/[^\p{L}]+/u))
        if (t.length >= 4) counts.set(t, (counts.get(t) ?? 0) + 1);
  let text = name.valueText;
  const value = name.value.map((w) => {
    const upper = w.text.toUpperCase();
    if (w.confidence >= OCR_CERTAIN || !/^\p{L}{4,}$/u.test(upper) || counts.get(upper) !== 1) return w;
    const variant = [...counts].find(([t, n]) => n >= 2 && oneLetterApart(t, upper))?.[0];
    if (!variant) return w;
    const spelled = w.text === upper ? variant : w.text[0] + variant.slice(1).toLowerCase();
    text = text.replace(w.text, spelled);
    return { ...w, text: spelled };
  });
  return { ...name, value, valueText: text };
}

/** Word confidence of a text layer: nothing to repair there. */
const OCR_CERTAIN = 99;
