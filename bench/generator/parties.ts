/** Sellers, buyers, document numbers and styles shared by invoices and receipts. */
import type { AmountStyle, DateStyle, Ymd } from './format.ts';
import type { Language } from './lang/index.ts';
import type { Rng } from './prng.ts';
import type { Region } from './regions.ts';

export interface Company {
  name: string;
  street: string;
  city: string;
  taxId: string | null;
  phone: string;
}

export function company(rng: Rng, lang: Language, region: Region, upper = false): Company {
  const stem = rng.pick(lang.nameStems);
  const trade = rng.pick(lang.nameTrades);
  const form = rng.pick(region.legalForms ?? lang.legalForms);
  const base = rng.chance(0.3) ? `${stem} & ${rng.pick(lang.nameStems.filter((s) => s !== stem))}` : `${stem} ${trade}`;
  const name = `${base} ${form}`;
  return {
    name: upper ? name.toUpperCase() : name,
    street: rng.pick(lang.streets),
    city: rng.pick(region.cities ?? lang.cities),
    taxId: rng.chance(0.7) ? taxId(rng, lang) : null,
    phone: `+${rng.int(30, 61)} ${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
  };
}

function taxId(rng: Rng, lang: Language): string {
  const digits = (n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  const forms: Record<string, () => string> = {
    en: () =>
      rng.pick([
        `VAT Reg. No. GB ${digits(3)} ${digits(4)} ${digits(2)}`,
        `GST Reg No: 00${digits(10)}`,
        `EIN ${digits(2)}-${digits(7)}`,
        `ABN ${digits(2)} ${digits(3)} ${digits(3)} ${digits(3)}`,
      ]),
    de: () => rng.pick([`USt-IdNr.: DE${digits(9)}`, `Steuernummer: ${digits(3)}/${digits(3)}/${digits(5)}`]),
    fr: () => rng.pick([`N° TVA : FR${digits(11)}`, `SIRET ${digits(14)}`]),
    es: () => `CIF: B${digits(8)}`,
    it: () => `P. IVA ${digits(11)}`,
    nl: () => rng.pick([`BTW-nr: NL${digits(9)}B01`, `KvK ${digits(8)}`]),
    pt: () => rng.pick([`NIF: ${digits(9)}`, `CNPJ: ${digits(2)}.${digits(3)}.${digits(3)}/0001-${digits(2)}`]),
  };
  return forms[lang.code]!();
}

/** Invoice numbers in the shapes seen in practice. */
export function documentNumber(rng: Rng, year: number): string {
  const n = rng.int(1, 99999);
  const forms = [
    () => `INV-${year}-${String(n).padStart(4, '0')}`,
    () => `${year}/${String(n).padStart(4, '0')}`,
    () => `RE-${rng.int(10000, 99999)}`,
    () => `F${year}-${rng.int(100, 999)}`,
    () => String(rng.int(100000, 999999)),
    () => `FA-${String(n).padStart(6, '0')}`,
    () => `A/${year}/${rng.int(1, 999)}`,
    () => `${year}-${String(n).padStart(5, '0')}`,
    () => `${rng.pick(['CS', 'OR', 'INV'])}${rng.int(10000000, 99999999)}`,
  ];
  return rng.pick(forms)();
}

export function randomDate(rng: Rng): Ymd {
  return { y: rng.int(2016, 2026), m: rng.int(1, 12), d: rng.int(1, 28) };
}

export function amountStyle(rng: Rng, region: Region, mark: string): AmountStyle {
  const letters = /^[A-Z]{3}$/.test(mark) || mark === 'Fr.';
  return {
    number: rng.pick(region.numbers),
    mark,
    markAfter: letters ? rng.chance(0.5) : region.markAfter,
    space: letters || rng.chance(0.5),
    negative: rng.pick(['minus', 'minus', 'parens', 'trailing'] as const),
  };
}

export function dateStyle(rng: Rng, region: Region, lang: Language, allowShortYear: boolean): DateStyle {
  if (rng.chance(0.3)) return { kind: 'long', index: rng.int(0, lang.longDates.length - 1) };
  if (rng.chance(0.1)) return { kind: 'numeric', order: 'ymd', sep: '-', pad: true, shortYear: false };
  return {
    kind: 'numeric',
    order: region.dateOrder,
    sep: rng.pick(region.dateSeps),
    pad: rng.chance(0.8),
    shortYear: allowShortYear && rng.chance(0.3),
  };
}
