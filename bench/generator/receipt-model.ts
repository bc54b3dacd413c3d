/** A till receipt: tax included in prices, cash rounding, the amount paid as the total. */
import type { AmountStyle, DateStyle, Ymd } from './format.ts';
import { pickRegion } from './invoice-model.ts';
import { LANGUAGES, type Language } from './lang/index.ts';
import { amountStyle, company, dateStyle, randomDate, type Company } from './parties.ts';
import type { Rng } from './prng.ts';
import { REGIONS, type CurrencyStyle, type Region } from './regions.ts';

export interface ReceiptLine {
  description: string;
  quantity: number;
  unitCents: number;
  amountCents: number;
}

export interface Receipt {
  kind: 'receipt';
  region: Region;
  lang: Language;
  currency: CurrencyStyle;
  seller: Company;
  number: string;
  date: Ymd;
  time: string;
  lines: ReceiptLine[];
  /** Sum of the lines, tax included. */
  grossCents: number;
  rate: number;
  taxIncludedCents: number;
  roundingCents: number;
  /** What was paid: gross plus rounding. */
  totalCents: number;
  cashCents: number;
  amounts: AmountStyle;
  dates: DateStyle;
  /** 58 or 80 mm paper. */
  widthMm: 58 | 80;
}

function roundTo(cents: number, step: number): number {
  return Math.round(cents / step) * step;
}

export function makeReceipt(rng: Rng, langCode?: string): Receipt {
  // Half the receipts are Malaysian-style (day-first dates, RM, SDN BHD, GST included, 5-sen rounding).
  const region = langCode
    ? pickRegion(rng, langCode)
    : rng.chance(0.45)
      ? REGIONS.find((r) => r.id === 'en-MY')!
      : pickRegion(rng);
  const lang = LANGUAGES[region.lang];
  const currency = rng.pick(region.currencies);
  const lines = Array.from({ length: rng.int(1, 9) }, (): ReceiptLine => {
    const quantity = rng.chance(0.7) ? 1 : rng.int(2, 6);
    const unitCents = rng.int(50, 6000);
    return {
      description: rng.pick([...lang.groceries, ...lang.goods]),
      quantity,
      unitCents,
      amountCents: quantity * unitCents,
    };
  });
  const grossCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const rate = rng.pick(region.taxRates)[0]!;
  const totalCents = roundTo(grossCents, region.cashRounding);
  const cashCents = rng.chance(0.6) ? roundTo(totalCents + rng.int(0, 5000), 500) : totalCents;
  return {
    kind: 'receipt',
    region,
    lang,
    currency,
    seller: company(rng, lang, region, rng.chance(0.6)),
    number: `${rng.pick(['', 'CS', 'R', 'T'])}${rng.int(10000, 9999999)}`,
    date: randomDate(rng),
    time: `${String(rng.int(7, 22)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}${rng.chance(0.5) ? `:${String(rng.int(0, 59)).padStart(2, '0')}` : ''}`,
    lines,
    grossCents,
    rate,
    taxIncludedCents: Math.round((grossCents * rate) / (100 + rate)),
    roundingCents: totalCents - grossCents,
    totalCents,
    cashCents: Math.max(cashCents, totalCents),
    amounts: { ...amountStyle(rng, region, rng.pick(currency.marks)), negative: 'minus' },
    dates: dateStyle(rng, region, lang, true),
    widthMm: rng.pick([58, 80] as const),
  };
}
