/**
 * Field-level scoring of extracted payloads against corpus ground truth (docs/design.md §7.2). Pure, so the
 * tests and the benchmark scripts share one definition of "right".
 *
 * - text fields: equal case-insensitively after collapsing white space;
 *   merchant: one contains the other, or token overlap ≥ 0.8;
 * - ids: equal ignoring white space (and case);
 * - dates and currency: exactly equal;
 * - amounts: equal to the cent;
 * - line items: matched in order by description (merchant-style fuzzy match); each expected item
 *   is right when it was matched and every non-null expected sub-field agrees.
 *
 * Goldens read from e-invoice XML (facturx-dev) carry extra keys: `subtotal_any_of` (the subtotal
 * is right when it equals any of them), `line_count` (scored as the number of items found),
 * `credit_note` (amounts compared without sign), plus `amount_due` and `customer_name`.
 */

export const HEADER_FIELDS = [
  'merchant',
  'invoice_id',
  'date',
  'due_date',
  'currency',
  'subtotal',
  'tax',
  'total',
  'payment_method',
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
/** Payload additions scored when a golden without `_scored_fields` has them. */
export const EXTRA_FIELDS = ['amount_due', 'customer_name'] as const;

export interface ExpectedItem {
  description: string | null;
  quantity: number | null;
  unit_price: string | null;
  total: string | null;
}
export interface Expected {
  [key: string]: unknown;
  line_items?: ExpectedItem[];
  _scored_fields?: string[];
}
export interface Actual {
  [key: string]: unknown;
  line_items?: ExpectedItem[];
}

export interface FieldResult {
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}
export interface ItemsResult {
  expected: number;
  matched: number;
  correct: number;
}
export interface DocScore {
  fields: FieldResult[];
  items: ItemsResult | null;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

function tokens(s: string): string[] {
  return collapse(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Merchant rule: containment either way, or token overlap ≥ 0.8 (of the smaller token set). */
export function fuzzyNameMatch(expected: string, actual: string): boolean {
  const e = collapse(expected);
  const a = collapse(actual);
  if (!e || !a) return false;
  if (e.includes(a) || a.includes(e)) return true;
  const te = new Set(tokens(e));
  const ta = new Set(tokens(a));
  if (!te.size || !ta.size) return false;
  let common = 0;
  for (const t of te) if (ta.has(t)) common++;
  return common / Math.min(te.size, ta.size) >= 0.8;
}

function cents(v: unknown): number | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

export function fieldMatches(field: string, expected: unknown, actual: unknown): boolean {
  if (actual === null || actual === undefined) return false;
  switch (field) {
    case 'merchant':
    case 'customer_name':
      return fuzzyNameMatch(String(expected), String(actual));
    case 'invoice_id':
    case 'po_number':
      return String(expected).replace(/\s+/g, '').toLowerCase() === String(actual).replace(/\s+/g, '').toLowerCase();
    case 'date':
    case 'due_date':
    case 'currency':
      return expected === actual;
    case 'subtotal':
    case 'tax':
    case 'total':
    case 'amount_due': {
      const e = cents(expected);
      return e !== null && e === cents(actual);
    }
    default:
      return collapse(String(expected)) === collapse(String(actual));
  }
}

/** Which header fields are scored: `_scored_fields` when present, else every non-null one. */
export function scoredFields(expected: Expected): string[] {
  const listed = expected._scored_fields;
  if (listed) return listed.filter((f) => f !== 'line_items');
  const present = (f: string): boolean => expected[f] !== null && expected[f] !== undefined;
  const fields: string[] = [...HEADER_FIELDS, ...EXTRA_FIELDS].filter(present);
  if (present('subtotal_any_of') && !fields.includes('subtotal')) fields.push('subtotal');
  if (present('line_count')) fields.push('line_count');
  return fields;
}

const AMOUNT_FIELDS = new Set(['subtotal', 'tax', 'total', 'amount_due']);
const unsigned = (v: unknown): unknown =>
  typeof v === 'string' || typeof v === 'number' ? String(v).replace(/^-/, '') : v;

/** One header field of a document, with the golden's extra keys applied. */
export function scoreField(expected: Expected, actual: Actual, field: string): FieldResult {
  if (field === 'line_count') {
    const found = actual.line_items?.length ?? 0;
    return { field, expected: expected.line_count, actual: found, ok: found === expected.line_count };
  }
  const got = actual[field] ?? null;
  const credit = expected.credit_note === true && AMOUNT_FIELDS.has(field);
  const matches = (want: unknown): boolean =>
    credit ? fieldMatches(field, unsigned(want), unsigned(got)) : fieldMatches(field, want, got);
  if (field === 'subtotal' && Array.isArray(expected.subtotal_any_of) && (expected.subtotal ?? null) === null) {
    return { field, expected: expected.subtotal_any_of, actual: got, ok: expected.subtotal_any_of.some(matches) };
  }
  return { field, expected: expected[field], actual: got, ok: matches(expected[field]) };
}

export function itemsScored(expected: Expected): boolean {
  const listed = expected._scored_fields;
  if (listed) return listed.includes('line_items');
  return (expected.line_items?.length ?? 0) > 0;
}

export function scoreItems(expected: ExpectedItem[], actual: ExpectedItem[]): ItemsResult {
  let from = 0;
  let matched = 0;
  let correct = 0;
  for (const e of expected) {
    if (!e.description) continue;
    const idx = actual.findIndex(
      (a, i) => i >= from && a.description !== null && fuzzyNameMatch(e.description!, a.description),
    );
    if (idx < 0) continue;
    matched++;
    from = idx + 1;
    const a = actual[idx]!;
    const ok =
      (e.quantity === null || (a.quantity !== null && Math.abs(a.quantity - e.quantity) < 1e-6)) &&
      (e.unit_price === null || fieldMatches('subtotal', e.unit_price, a.unit_price)) &&
      (e.total === null || fieldMatches('total', e.total, a.total));
    if (ok) correct++;
  }
  return { expected: expected.filter((e) => e.description).length, matched, correct };
}

export function scoreDocument(expected: Expected, actual: Actual): DocScore {
  const fields = scoredFields(expected).map((f) => scoreField(expected, actual, f));
  const items = itemsScored(expected) ? scoreItems(expected.line_items ?? [], actual.line_items ?? []) : null;
  return { fields, items };
}

export interface Summary {
  perField: Record<string, { right: number; scored: number; accuracy: number }>;
  header: { right: number; scored: number; accuracy: number };
  items: { expected: number; matched: number; correct: number; accuracy: number };
  /** Header fields plus one unit per expected line item. */
  overall: { right: number; scored: number; accuracy: number };
}

export function summarise(scores: DocScore[]): Summary {
  const perField: Summary['perField'] = {};
  let right = 0;
  let scored = 0;
  for (const s of scores) {
    for (const f of s.fields) {
      const p = (perField[f.field] ??= { right: 0, scored: 0, accuracy: 0 });
      p.scored++;
      if (f.ok) p.right++;
      scored++;
      if (f.ok) right++;
    }
  }
  for (const p of Object.values(perField)) p.accuracy = p.scored ? p.right / p.scored : 0;
  const items = scores.reduce(
    (acc, s) =>
      s.items
        ? {
            expected: acc.expected + s.items.expected,
            matched: acc.matched + s.items.matched,
            correct: acc.correct + s.items.correct,
          }
        : acc,
    { expected: 0, matched: 0, correct: 0 },
  );
  const ratio = (a: number, b: number): number => (b ? a / b : 0);
  return {
    perField,
    header: { right, scored, accuracy: ratio(right, scored) },
    items: { ...items, accuracy: ratio(items.correct, items.expected) },
    overall: {
      right: right + items.correct,
      scored: scored + items.expected,
      accuracy: ratio(right + items.correct, scored + items.expected),
    },
  };
}

/** A fixed-width table for logs and benchmark output. */
export function formatSummary(title: string, s: Summary): string {
  const rows = Object.entries(s.perField).map(
    ([f, p]) =>
      `${f.padEnd(16)} ${String(p.right).padStart(3)}/${String(p.scored).padEnd(3)} ${(p.accuracy * 100).toFixed(1).padStart(6)}%`,
  );
  return [
    `${title}`,
    ...rows,
    `${'header fields'.padEnd(16)} ${String(s.header.right).padStart(3)}/${String(s.header.scored).padEnd(3)} ${(s.header.accuracy * 100).toFixed(1).padStart(6)}%`,
    `${'line items'.padEnd(16)} ${String(s.items.correct).padStart(3)}/${String(s.items.expected).padEnd(3)} ${(s.items.accuracy * 100).toFixed(1).padStart(6)}%  (matched ${s.items.matched})`,
    `${'overall'.padEnd(16)} ${String(s.overall.right).padStart(3)}/${String(s.overall.scored).padEnd(3)} ${(s.overall.accuracy * 100).toFixed(1).padStart(6)}%`,
  ].join('\n');
}
