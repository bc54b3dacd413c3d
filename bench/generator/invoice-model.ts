/** An invoice's content and ground truth: every printed figure derives from integer cents here. */
import { addDays, type AmountStyle, type DateStyle, type Ymd } from './format.ts';
import { LANGUAGES, type Language } from './lang/index.ts';
import { amountStyle, company, dateStyle, documentNumber, randomDate, type Company } from './parties.ts';
import type { Rng } from './prng.ts';
import { REGIONS, type CurrencyStyle, type Region } from './regions.ts';

export interface InvoiceLine {
  itemNo: string | null;
  description: string;
  detail: string | null;
  unit: string | null;
  quantity: number;
  quantityDecimals: number;
  unitCents: number;
  amountCents: number;
  rate: number;
}

export interface TaxRow {
  rate: number;
  baseCents: number;
  taxCents: number;
}

export interface Invoice {
  kind: 'invoice';
  region: Region;
  lang: Language;
  currency: CurrencyStyle;
  seller: Company;
  customer: string;
  title: string;
  number: string;
  date: Ymd;
  due: Ymd | null;
  lines: InvoiceLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxes: TaxRow[];
  taxCents: number;
  totalCents: number;
  paidCents: number;
  /** Printed only when the layout shows a "balance due" row. */
  amountDueCents: number | null;
  amounts: AmountStyle;
  dates: DateStyle;
}

export function pickRegion(rng: Rng, langCode?: string): Region {
  const pool = langCode ? REGIONS.filter((r) => r.lang === langCode) : REGIONS;
  return rng.pick(pool);
}

function line(rng: Rng, lang: Language, rate: number, big: boolean, hours: boolean): InvoiceLine {
  const service = hours || rng.chance(0.4);
  const quantityDecimals = hours && rng.chance(0.5) ? rng.pick([1, 2]) : 0;
  // Bulk lines are cheap, expensive lines come in ones and twos: totals stay plausible.
  const bulk = !quantityDecimals && !big && rng.chance(0.15);
  // Quarters need two printed decimals; with one, halves (the printed quantity is the true one).
  const quantity = quantityDecimals
    ? rng.int(1, 80) / (quantityDecimals === 1 ? 2 : 4)
    : bulk
      ? rng.int(20, 1500)
      : big
        ? rng.int(1, 3)
        : rng.int(1, 12);
  const unitCents = big
    ? rng.int(100_000, 4_000_000)
    : bulk
      ? rng.int(5, 2_000)
      : rng.chance(0.2)
        ? rng.int(50, 999)
        : rng.int(1_000, 150_000);
  const po = String(rng.int(1000, 99999));
  const month = lang.months[rng.int(0, 11)]!;
  return {
    itemNo: rng.chance(0.5) ? `${rng.pick(['A', 'P', 'SKU-', ''])}${rng.int(100, 99999)}` : null,
    description: rng.pick(service ? lang.services : lang.goods),
    detail: rng.chance(0.25)
      ? rng
          .pick(lang.details)
          .replace('{po}', po)
          .replace('{month}', month)
          .replace('{year}', String(rng.int(2018, 2026)))
      : null,
    unit: service ? rng.pick(lang.units.slice(1, 3)) : rng.pick([lang.units[0]!, ...lang.units.slice(3)]),
    quantity,
    quantityDecimals,
    unitCents,
    amountCents: Math.round((Math.round(quantity * 100) * unitCents) / 100),
    rate,
  };
}

function taxRows(lines: InvoiceLine[], adjustCents: number): TaxRow[] {
  const rates = [...new Set(lines.map((l) => l.rate))].sort((a, b) => b - a);
  return rates.map((rate, i) => {
    // A discount or charge applies to the first (main) rate only; multi-rate invoices have neither.
    const baseCents =
      lines.filter((l) => l.rate === rate).reduce((s, l) => s + l.amountCents, 0) + (i === 0 ? adjustCents : 0);
    return { rate, baseCents, taxCents: Math.round((baseCents * rate) / 100) };
  });
}

export function makeInvoice(rng: Rng, langCode?: string): Invoice {
  const region = pickRegion(rng, langCode);
  const lang = LANGUAGES[region.lang];
  const currency = rng.pick(region.currencies);
  const rates = rng.pick(region.taxRates);
  const hours = rng.chance(0.25);
  const count = rng.chance(0.12) ? rng.int(25, 60) : rng.int(1, 12);
  const big = rng.chance(0.1);
  const lines = Array.from({ length: count }, () => line(rng, lang, rng.pick(rates), big && rng.chance(0.5), hours));
  const subtotalCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const single = new Set(lines.map((l) => l.rate)).size === 1;
  const discountCents = single && rng.chance(0.2) ? Math.round((subtotalCents * rng.pick([2, 3, 5, 10])) / 100) : 0;
  const shippingCents = single && rng.chance(0.2) ? rng.int(300, 5000) : 0;
  const taxes = rates.every((r) => r === 0) ? [] : taxRows(lines, shippingCents - discountCents);
  const taxCents = taxes.reduce((s, t) => s + t.taxCents, 0);
  const totalCents = subtotalCents - discountCents + shippingCents + taxCents;
  const paidCents = rng.chance(0.12) ? Math.round(totalCents * rng.pick([0.2, 0.3, 0.5])) : 0;
  const date = randomDate(rng);
  return {
    kind: 'invoice',
    region,
    lang,
    currency,
    seller: company(rng, lang, region),
    customer: rng.pick(lang.customers),
    title: rng.pick(lang.titles),
    number: documentNumber(rng, date.y),
    date,
    due: rng.chance(0.75) ? addDays(date, rng.pick([7, 10, 14, 30, 45, 60])) : null,
    lines,
    subtotalCents,
    discountCents,
    shippingCents,
    taxes,
    taxCents,
    totalCents,
    paidCents,
    amountDueCents: paidCents || rng.chance(0.4) ? totalCents - paidCents : null,
    amounts: amountStyle(rng, region, rng.pick(currency.marks)),
    dates: dateStyle(rng, region, lang, false),
  };
}
