/**
 * Date parsing for invoice texts in many locales, shared by the Textract normaliser and the
 * offline extractor. Pure: no clock, no locale APIs.
 *
 * Day/month order of all-numeric dates:
 *  1. year first (2021/04/03, 2021.04.03) is always Y-M-D;
 *  2. a value above 12 decides (13/04/2021 is day-first, 04/13/2021 month-first);
 *  3. otherwise `hint.dayFirst` decides (ambiguous: false);
 *  4. otherwise "/" reads month-first (US usage, the bulk of "/" dates Textract sees) and "-" reads
 *     day-first (EU/IN usage), both flagged ambiguous; "." reads day-first and is NOT flagged,
 *     because month-first dotted dates are practically unknown.
 * Two-digit years: 00-69 → 20xx, 70-99 → 19xx. Accepted years: 1900-2099.
 */

export interface ParsedDate {
  /** YYYY-MM-DD */
  iso: string;
  /** True when the day/month order was a guess (e.g. 03/04/2021 without a hint). */
  ambiguous: boolean;
}

// Month names and abbreviations, lower-cased and without diacritics (see fold()).
const MONTHS: Record<string, string[]> = {
  en: [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ],
  de: [
    'januar',
    'februar',
    'marz',
    'april',
    'mai',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'dezember',
  ],
  fr: [
    'janvier',
    'fevrier',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'aout',
    'septembre',
    'octobre',
    'novembre',
    'decembre',
  ],
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  es: [
    'enero',
    'febrero',
    'marzo',
    'abril',
    'mayo',
    'junio',
    'julio',
    'agosto',
    'septiembre',
    'octubre',
    'noviembre',
    'diciembre',
  ],
  it: [
    'gennaio',
    'febbraio',
    'marzo',
    'aprile',
    'maggio',
    'giugno',
    'luglio',
    'agosto',
    'settembre',
    'ottobre',
    'novembre',
    'dicembre',
  ],
  pt: [
    'janeiro',
    'fevereiro',
    'marco',
    'abril',
    'maio',
    'junho',
    'julho',
    'agosto',
    'setembro',
    'outubro',
    'novembro',
    'dezembro',
  ],
  // Polish: genitive (used in dates) then nominative.
  plg: [
    'stycznia',
    'lutego',
    'marca',
    'kwietnia',
    'maja',
    'czerwca',
    'lipca',
    'sierpnia',
    'wrzesnia',
    'pazdziernika',
    'listopada',
    'grudnia',
  ],
  pln: [
    'styczen',
    'luty',
    'marzec',
    'kwiecien',
    'maj',
    'czerwiec',
    'lipiec',
    'sierpien',
    'wrzesien',
    'pazdziernik',
    'listopad',
    'grudzien',
  ],
  sv: [
    'januari',
    'februari',
    'mars',
    'april',
    'maj',
    'juni',
    'juli',
    'augusti',
    'september',
    'oktober',
    'november',
    'december',
  ],
};
// Regional variants outside the ordered lists (AT "Jänner", "Feber"; ES "setiembre").
const VARIANTS: Record<string, number> = { janner: 1, feber: 2, setiembre: 9 };
// Fixed abbreviations that are not simply prefixes of one of the names above.
const ABBREVIATIONS: Record<string, number> = {
  mrz: 3,
  mrt: 3,
  sept: 9,
  dic: 12,
  dez: 12,
  dec: 12,
  gen: 1,
  ott: 10,
  lug: 7,
  giu: 6,
  mag: 5,
};

const MONTH_LOOKUP: Map<string, number> = (() => {
  const full = new Map<string, number>(Object.entries(VARIANTS));
  for (const names of Object.values(MONTHS)) for (const [i, n] of names.entries()) full.set(n, i + 1);
  const lookup = new Map<string, number>(full);
  // Every prefix of length >= 3 that points to a single month across all languages.
  const prefixes = new Map<string, Set<number>>();
  for (const [name, m] of full) {
    for (let len = 3; len < name.length; len++) {
      const p = name.slice(0, len);
      const set = prefixes.get(p) ?? new Set<number>();
      set.add(m);
      prefixes.set(p, set);
    }
  }
  for (const [p, set] of prefixes) if (set.size === 1 && !lookup.has(p)) lookup.set(p, [...set][0] ?? 0);
  for (const [a, m] of Object.entries(ABBREVIATIONS)) lookup.set(a, m);
  return lookup;
})();

function monthFromWord(word: string): number | null {
  return MONTH_LOOKUP.get(word.replace(/\.$/, '')) ?? null;
}

/** Lower case, strip diacritics, unify separators and spaces. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/[\u00a0\u202f\u2009\u2007\t\r\n]+/g, ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 70 ? 2000 + n : 1900 + n;
  return n;
}

function build(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface Candidate {
  index: number;
  result: ParsedDate | null;
}

const LETTERS = '[a-z]+\\.?';
const ORD = '(?:st|nd|rd|th|er|re|e|eme|de|o|º|°|\\.)?';
const YEAR = '(\\d{4}|\\d{2})(?![\\d])';

// Y-M-D with any of - / . (ISO and East-Asian order); also an ISO timestamp's date part.
const RE_YMD = /(?<![\d.,])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])/g;
// D?M?Y numeric with one consistent separator, each maybe followed by a space: "03. 04. 2021", and
// OCR's "06-05- 2018" (see spacedOk).
const RE_NUMERIC = /(?<![\d.,/-])(\d{1,2})(\/|-|\.)( ?)(\d{1,2})\2( ?)(\d{4}|\d{2})(?![\d]|[.,/-]\d)/g;
// 3 March 2021, 3rd Mar 2021, 11. Juli 2014, 1er janvier 2023, 15 de enero de 2020, 03-Mar-21, and
// "16, November 2018" (OCR's comma for the day's dot)
const RE_DMY_TEXT = new RegExp(
  `(?<![\\d])(\\d{1,2})${ORD}[\\s\\-/,]*(?:de\\s+)?(${LETTERS})[\\s\\-/,]*(?:de\\s+|del\\s+)?${YEAR}`,
  'g',
);
// March 3, 2021 / Mar-03-2021 / Mar 3rd 2021
const RE_MDY_TEXT = new RegExp(
  `(?<![a-z])(${LETTERS})[\\s\\-/]*(\\d{1,2})(?:st|nd|rd|th)?(?![\\d])[\\s\\-/,.]*${YEAR}`,
  'g',
);
// 2021 March 3 / 2021-Mar-03
const RE_YMD_TEXT = new RegExp(`(?<![\\d])(\\d{4})[\\s\\-/.,]+(${LETTERS})[\\s\\-/.]*(\\d{1,2})(?![\\d])`, 'g');

function numericOrder(
  a: number,
  b: number,
  sep: string,
  dayFirst: boolean | undefined,
): { day: number; month: number; ambiguous: boolean } {
  if (a > 12 && b <= 12) return { day: a, month: b, ambiguous: false };
  if (b > 12 && a <= 12) return { day: b, month: a, ambiguous: false };
  if (a === b) return { day: a, month: b, ambiguous: false };
  if (dayFirst !== undefined)
    return dayFirst ? { day: a, month: b, ambiguous: false } : { day: b, month: a, ambiguous: false };
  if (sep === '/') return { day: b, month: a, ambiguous: true };
  return { day: a, month: b, ambiguous: sep === '-' };
}

/**
 * A space after a separator: "03. 04. 2021" is how dotted dates are often typed; after a dash or a
 * slash it is OCR's ("06-05- 2018", a gap read in a thermal print), taken only with a four-digit
 * year, which no range or phone number ends in.
 */
function spacedOk(sep: string, gap1: string, gap2: string, year: string): boolean {
  if (sep === '.' || (!gap1 && !gap2)) return true;
  return year.length === 4;
}

/**
 * Find and parse the first date in a text ("Date: 03/04/2021", "11. Juli 2014", "Mar-03-2021").
 * Returns null when the text holds no valid date (Feb 30, "INV-2023", amounts, phone numbers).
 */
export function parseDate(text: string, hint?: { dayFirst?: boolean }): ParsedDate | null {
  if (typeof text !== 'string' || !/\d/.test(text)) return null;
  const s = fold(text);
  const candidates: Candidate[] = [];

  for (const m of s.matchAll(RE_YMD)) {
    const iso = build(Number(m[1]), Number(m[3]), Number(m[4]));
    candidates.push({ index: m.index ?? 0, result: iso ? { iso, ambiguous: false } : null });
  }
  for (const m of s.matchAll(RE_NUMERIC)) {
    const [, a = '', sep = '', gap1 = '', b = '', gap2 = '', year = ''] = m;
    if (!spacedOk(sep, gap1, gap2, year)) continue;
    const o = numericOrder(Number(a), Number(b), sep, hint?.dayFirst);
    const iso = build(fullYear(year), o.month, o.day);
    candidates.push({ index: m.index ?? 0, result: iso ? { iso, ambiguous: o.ambiguous } : null });
  }
  for (const m of s.matchAll(RE_DMY_TEXT)) {
    const month = monthFromWord(m[2] ?? '');
    if (!month) continue;
    const iso = build(fullYear(m[3] ?? ''), month, Number(m[1]));
    candidates.push({ index: m.index ?? 0, result: iso ? { iso, ambiguous: false } : null });
  }
  for (const m of s.matchAll(RE_MDY_TEXT)) {
    const month = monthFromWord(m[1] ?? '');
    if (!month) continue;
    const iso = build(fullYear(m[3] ?? ''), month, Number(m[2]));
    candidates.push({ index: m.index ?? 0, result: iso ? { iso, ambiguous: false } : null });
  }
  for (const m of s.matchAll(RE_YMD_TEXT)) {
    const month = monthFromWord(m[2] ?? '');
    if (!month) continue;
    const iso = build(Number(m[1]), month, Number(m[3]));
    candidates.push({ index: m.index ?? 0, result: iso ? { iso, ambiguous: false } : null });
  }

  // The earliest valid date in the text wins; an invalid match (Feb 30) does not block later ones.
  candidates.sort((a, b) => a.index - b.index);
  for (const c of candidates) if (c.result) return c.result;
  return null;
}
