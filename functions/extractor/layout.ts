/**
 * Words → lines → segments. Independent of where words came from (PDF text layer or OCR):
 * everything works on page-normalised boxes plus the page size in the words' font units.
 */
import type { Line, Segment, Word } from './types.ts';

export interface TextPage {
  pageNumber: number;
  /** Page size in the unit of Word.fontSize (points for PDFs, pixels for OCR). */
  width: number;
  height: number;
  words: Word[];
}

/** A gap wider than this many font sizes starts a new segment (a column or a label/value split). */
const SEGMENT_GAP_EM = 0.8;

/**
 * Longer visual lines are cut into lines of this many words. Rules compare the words of a line
 * with each other, so their cost grows with its square; no invoice prints this many on one line.
 */
export const MAX_LINE_WORDS = 120;

export function buildLines(pages: TextPage[]): Line[] {
  const lines: Line[] = [];
  for (const page of pages) {
    const sorted = [...page.words].sort((a, b) => a.baseline - b.baseline || a.left - b.left);
    const groups: Word[][] = [];
    for (const w of sorted) {
      const g = groups[groups.length - 1];
      const ref = g ? g[g.length - 1] : undefined;
      // Baselines within a third of the smaller glyph height belong to one visual line.
      if (g && ref && Math.abs(w.baseline - ref.baseline) < 0.35 * Math.min(w.height, ref.height)) g.push(w);
      else groups.push([w]);
    }
    for (const g of groups) {
      g.sort((a, b) => a.left - b.left);
      const joined = joinGroupedNumbers(g, page);
      for (let i = 0; i < joined.length; i += MAX_LINE_WORDS)
        lines.push(makeLine(joined.slice(i, i + MAX_LINE_WORDS), page));
    }
  }
  lines.forEach((l, i) => {
    l.index = i;
  });
  return lines;
}

// A currency sign may be glued to the first group ("€8 240,49", "CA$1 250.00").
const GROUP_HEAD = /^[-(]?(?:[€$£¥₹]|[A-Z]{1,2}\$)?\d{1,3}(?: \d{3})*$/u;
// A thin or no-break space in a bold total can be over half an em; column gaps are wider than a segment gap.
const GROUP_GAP_EM = 0.6;
const GROUP_TAIL = /^\d{3}(?:[.,]\d{1,4})?\)?(?:[€$£¥₹]|\s?[A-Z]{3}|[A-Z]{1,2}\$)?\)?$/u;

// OCR puts a space after a decimal comma or point now and then ("350, 40C$"): the cents follow.
const DECIMAL_HEAD = /^[-(]?(?:[€$£¥₹]|[A-Z]{1,2}\$)?\d{1,3}(?:[ .,]\d{3})*[.,]$/u;
const DECIMAL_TAIL = /^\d{2}\)?(?:[€$£¥₹]|[A-Z]{1,2}\$)?\)?$/u;

/**
 * Numbers grouped in thousands by spaces arrive as separate words from OCR ("46" "630,60"): a word
 * of one to three digits followed closely (a word space, not a column gap) by three digits joins it.
 * So do a figure's cents set apart from its decimal sign ("350," "40C$" → "350,40C$").
 */
function joinGroupedNumbers(words: Word[], page: TextPage): Word[] {
  const out: Word[] = [];
  const gapAfter = (a: Word | undefined, b: Word | undefined): number =>
    a && b ? (b.left - (a.left + a.width)) * page.width : Infinity;
  // A figure standing alone in its column, not a list in a description ("Colis 3, 40 pièces").
  const apart = (a: Word | undefined, b: Word | undefined): boolean =>
    !a || !b || gapAfter(a, b) > SEGMENT_GAP_EM * Math.max(a.fontSize, b.fontSize);
  words.forEach((w, i) => {
    const prev = out[out.length - 1];
    const close = gapAfter(prev, w) < GROUP_GAP_EM * Math.max(prev?.fontSize ?? 0, w.fontSize);
    const grouped = prev && close && GROUP_HEAD.test(prev.text) && GROUP_TAIL.test(w.text);
    const cents =
      prev &&
      close &&
      DECIMAL_HEAD.test(prev.text) &&
      DECIMAL_TAIL.test(w.text) &&
      apart(out[out.length - 2], prev) &&
      apart(w, words[i + 1]);
    if (prev && (grouped || cents)) {
      out[out.length - 1] = {
        ...prev,
        text: grouped ? `${prev.text} ${w.text}` : prev.text + w.text,
        width: w.left + w.width - prev.left,
        confidence: Math.min(prev.confidence, w.confidence),
      };
    } else out.push(w);
  });
  return out;
}

function makeLine(words: Word[], page: TextPage): Line {
  const segments: Segment[] = [];
  let cur: Word[] = [];
  for (const w of words) {
    const prev = cur[cur.length - 1];
    if (prev) {
      const gapUnits = (w.left - (prev.left + prev.width)) * page.width;
      const em = Math.max(prev.fontSize, w.fontSize);
      if (gapUnits > SEGMENT_GAP_EM * em) {
        segments.push(makeSegment(cur));
        cur = [];
      }
    }
    cur.push(w);
  }
  if (cur.length) segments.push(makeSegment(cur));
  const first = words[0];
  return {
    page: first?.page ?? page.pageNumber,
    words,
    segments,
    text: words.map((w) => w.text).join(' '),
    left: Math.min(...words.map((w) => w.left)),
    right: Math.max(...words.map((w) => w.left + w.width)),
    top: Math.min(...words.map((w) => w.top)),
    bottom: Math.max(...words.map((w) => w.top + w.height)),
    baseline: median(words.map((w) => w.baseline)),
    fontSize: median(words.map((w) => w.fontSize)),
    index: 0,
  };
}

export function makeSegment(words: Word[]): Segment {
  return {
    words,
    text: words.map((w) => w.text).join(' '),
    left: Math.min(...words.map((w) => w.left)),
    right: Math.max(...words.map((w) => w.left + w.width)),
    top: Math.min(...words.map((w) => w.top)),
    bottom: Math.max(...words.map((w) => w.top + w.height)),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Horizontal overlap of two [left, right] ranges, as a fraction of the narrower one. */
export function xOverlap(aL: number, aR: number, bL: number, bR: number): number {
  const inter = Math.min(aR, bR) - Math.max(aL, bL);
  const narrow = Math.max(1e-6, Math.min(aR - aL, bR - bL));
  return inter / narrow;
}

/** Bounding box (normalised) of some words. */
export function boxOf(words: readonly Word[]): { left: number; top: number; width: number; height: number } {
  if (words.length === 0) return { left: 0, top: 0, width: 0, height: 0 };
  const left = Math.min(...words.map((w) => w.left));
  const top = Math.min(...words.map((w) => w.top));
  const right = Math.max(...words.map((w) => w.left + w.width));
  const bottom = Math.max(...words.map((w) => w.top + w.height));
  return { left, top, width: right - left, height: bottom - top };
}

/** Same length, exactly one character different: the commonest OCR misread of a word ("Rourding", "SANYO"). */
export function oneLetterApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let off = 0;
  for (let i = 0; i < a.length && off < 2; i++) if (a[i] !== b[i]) off++;
  return off === 1;
}

/** Lower-case, strip diacritics, unify quotes/dashes: the form label dictionaries are written in. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2019\u2018`´]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .toLowerCase();
}
