/**
 * Currency detection and ISO 4217 facts shared by the Textract normaliser and the offline
 * extractor. Pure functions, no I/O.
 */

/** Active ISO 4217 codes (plus a few widely used funds/metals are left out on purpose). */
const ISO_CODES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHF CLF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
    'GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
    'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK ' +
    'NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD ' +
    'SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UYW UZS VES VND VUV WST XAF ' +
    'XCD XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/**
 * Codes that are also everyday (upper-case) words on invoices: only trusted as a currency when
 * they stand right next to a number, otherwise "ALL ITEMS" would read as Albanian lek.
 */
// BHD is also Malaysia's legal form "(Sdn) Bhd" (Berhad) after a company name.
const WORD_LIKE_CODES = new Set([
  'ALL',
  'CUP',
  'TOP',
  'PEN',
  'GEL',
  'MAD',
  'BOB',
  'MOP',
  'SOS',
  'BAM',
  'AMD',
  'LAK',
  'BHD',
]);

const MINOR_UNITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** True for an active ISO 4217 alphabetic code (exact, upper case). */
export function isCurrencyCode(s: string): boolean {
  return ISO_CODES.has(s);
}

/** Minor-unit digits of an ISO 4217 currency; 2 for unknown codes (the common case). */
export function minorUnits(code: string): number {
  return MINOR_UNITS[code.toUpperCase()] ?? 2;
}

/**
 * Symbols and words, most specific first. `rank` 1 = unambiguous, 2 = a guess ("$" could be
 * any dollar, "¥" yen or yuan, "kr" any Nordic crown): an explicit code anywhere beats a guess.
 */
interface CurrencyToken {
  re: string;
  code: string;
  rank: 1 | 2;
}
const TOKENS: CurrencyToken[] = [
  { re: 'US\\$', code: 'USD', rank: 1 },
  { re: 'AU?\\$', code: 'AUD', rank: 1 },
  { re: 'CA?\\$', code: 'CAD', rank: 1 },
  { re: 'HK\\$', code: 'HKD', rank: 1 },
  { re: 'NZ\\$', code: 'NZD', rank: 1 },
  { re: 'SG?\\$', code: 'SGD', rank: 1 },
  { re: 'MX\\$', code: 'MXN', rank: 1 },
  { re: 'NT\\$', code: 'TWD', rank: 1 },
  { re: 'R\\$', code: 'BRL', rank: 1 },
  { re: 'RM', code: 'MYR', rank: 1 },
  { re: '€', code: 'EUR', rank: 1 },
  { re: '£', code: 'GBP', rank: 1 },
  { re: '₹', code: 'INR', rank: 1 },
  { re: '₩', code: 'KRW', rank: 1 },
  { re: '₽', code: 'RUB', rank: 1 },
  { re: '₺', code: 'TRY', rank: 1 },
  { re: '₪', code: 'ILS', rank: 1 },
  { re: '₫', code: 'VND', rank: 1 },
  { re: '฿', code: 'THB', rank: 1 },
  { re: '₱', code: 'PHP', rank: 1 },
  { re: '₦', code: 'NGN', rank: 1 },
  { re: '₴', code: 'UAH', rank: 1 },
  { re: '₸', code: 'KZT', rank: 1 },
  { re: '元|人民币|RMB', code: 'CNY', rank: 1 },
  { re: '円', code: 'JPY', rank: 1 },
  { re: 'zł|zl(?=\\s*$)|złotych|złote|złoty|zloty', code: 'PLN', rank: 1 },
  { re: 'Kč', code: 'CZK', rank: 1 },
  { re: 'Ft', code: 'HUF', rank: 2 },
  { re: 'lei', code: 'RON', rank: 2 },
  { re: 'лв\\.?', code: 'BGN', rank: 1 },
  { re: 'SFr\\.?|Fr\\.|Fr(?=\\s*\\d)', code: 'CHF', rank: 1 },
  { re: 'Rs\\.?|Rp\\.?', code: 'INR', rank: 2 },
  { re: 'euros?', code: 'EUR', rank: 1 },
  { re: 'rupees?', code: 'INR', rank: 1 },
  { re: 'pounds?\\s+sterling|sterling', code: 'GBP', rank: 1 },
  { re: 'yen', code: 'JPY', rank: 1 },
  { re: 'yuan|renminbi', code: 'CNY', rank: 1 },
  { re: 'francs?\\s+suisses?|swiss\\s+francs?|schweizer\\s+franken', code: 'CHF', rank: 1 },
  { re: 'dollars?', code: 'USD', rank: 2 },
  { re: '\\$', code: 'USD', rank: 2 },
  { re: '¥|￥', code: 'JPY', rank: 2 },
  { re: 'kr\\.?', code: 'SEK', rank: 2 },
];

// "Rp" is the rupiah; keep it separate from "Rs" although both are matched by one entry above.
const RP_RE = /^Rp\.?$/;

// Letters either side mean the token is part of a word ("Ft" in "Left", "kr" in "kraft").
const TOKEN_RE = new RegExp(`(?<![\\p{L}])(?:${TOKENS.map((t) => t.re).join('|')})(?![\\p{L}])`, 'giu');
const TOKEN_EXACT = TOKENS.map((t) => new RegExp(`^(?:${t.re})$`, 'iu'));
const CODE_RE = /(?<![\p{L}])([A-Z]{3})(?![\p{L}])/gu;

interface Hit {
  code: string;
  rank: number;
  index: number;
}

function tokenHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const s = m[0];
    const tok = TOKENS.find((_t, i) => TOKEN_EXACT[i]?.test(s));
    if (!tok) continue;
    // Case matters for short Latin tokens: "Fr." / "Rs." / "Ft" are capitalised when they are money.
    if (/^[a-z]/.test(s) && /^(fr|ft|rs|rp|sfr|rm)/i.test(s)) continue;
    // "RM" is the ringgit only in front of an amount ("RM 9.00") or as a column's unit "(RM)"; elsewhere a room.
    if (
      tok.code === 'MYR' &&
      !/^\s?\d/.test(text.slice((m.index ?? 0) + s.length)) &&
      !/\($/.test(text.slice(0, m.index ?? 0))
    )
      continue;
    const code = RP_RE.test(s) ? 'IDR' : tok.code;
    hits.push({ code, rank: tok.rank, index: m.index ?? 0 });
  }
  return hits;
}

function codeHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(CODE_RE)) {
    const code = m[1] ?? '';
    if (!ISO_CODES.has(code)) continue;
    const index = m.index ?? 0;
    // "Sdn Bhd (1135772-K)": Malaysia's legal form with its registration number, not a price.
    if (code === 'BHD' && /sdn\.?\s*$/i.test(text.slice(Math.max(0, index - 6), index))) continue;
    if (WORD_LIKE_CODES.has(code)) {
      const before = text.slice(Math.max(0, index - 2), index);
      // A price after it, not a size or a count ("SUMMER CUP 48X230ML", "ALL 3 ITEMS").
      const after = text.slice(index + 3, index + 24);
      if (!/\d\s?$/.test(before) && !/^\s?[(+-]?\d(?:[\d.,' ]*[.,]\d\d?(?!\d)|\d*\)?\s*$)/.test(after)) continue;
    }
    hits.push({ code, rank: 1, index });
  }
  return hits;
}

/**
 * The currency a text names, or null. Explicit signals (ISO codes, unambiguous symbols and
 * words) win over guesses ("$" → USD, "¥" → JPY, "kr" → SEK); among equals the first one wins.
 */
export function detectCurrency(text: string): string | null {
  return detectCurrencyDetail(text)?.code ?? null;
}

/**
 * Like detectCurrency, and says whether the code was assumed from an ambiguous sign ("$" could
 * be any dollar), so callers can flag the guess.
 */
export function detectCurrencyDetail(text: string): { code: string; assumed: boolean } | null {
  if (!text) return null;
  const hits = [...codeHits(text), ...tokenHits(text)];
  if (hits.length === 0) return null;
  hits.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const best = hits[0];
  return best ? { code: best.code, assumed: best.rank > 1 } : null;
}

/**
 * Currency tokens that may stand directly before or after a number in an amount text, as one
 * regex source (no anchors). Used by the amount parser to peel them off.
 */
export const CURRENCY_AFFIX_SOURCE = `(?:[A-Z]{3}|${TOKENS.map((t) => t.re).join('|')})`;
