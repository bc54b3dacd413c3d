/** Regions: a language with a country's currency, number and date conventions and tax rates. */
import type { LangCode } from './lang/index.ts';

export interface NumberStyle {
  decimal: '.' | ',';
  group: string;
}
export interface CurrencyStyle {
  code: string;
  marks: readonly string[];
  decimals: number;
}
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface Region {
  id: string;
  lang: LangCode;
  currencies: readonly CurrencyStyle[];
  numbers: readonly NumberStyle[];
  /** Where the currency mark goes in this country: before or after the amount. */
  markAfter: boolean;
  dateOrder: DateOrder;
  dateSeps: readonly string[];
  /** Sets of tax rates an invoice may use (one or several rates). */
  taxRates: readonly (readonly number[])[];
  /** Cash rounding step in cents (receipts), 1 = none. */
  cashRounding: number;
  /** Where the country's legal forms and towns differ from the language's. */
  legalForms?: readonly string[];
  cities?: readonly string[];
}

const EUR: CurrencyStyle = { code: 'EUR', marks: ['€', 'EUR'], decimals: 2 };
const USD: CurrencyStyle = { code: 'USD', marks: ['$', 'USD', 'US$'], decimals: 2 };
const GBP: CurrencyStyle = { code: 'GBP', marks: ['£', 'GBP'], decimals: 2 };
const CAD: CurrencyStyle = { code: 'CAD', marks: ['CA$', 'C$', 'CAD'], decimals: 2 };
const AUD: CurrencyStyle = { code: 'AUD', marks: ['A$', 'AUD'], decimals: 2 };
const CHF: CurrencyStyle = { code: 'CHF', marks: ['CHF', 'Fr.'], decimals: 2 };
const MYR: CurrencyStyle = { code: 'MYR', marks: ['RM', 'MYR'], decimals: 2 };
const BRL: CurrencyStyle = { code: 'BRL', marks: ['R$', 'BRL'], decimals: 2 };
const MXN: CurrencyStyle = { code: 'MXN', marks: ['MX$', 'MXN'], decimals: 2 };

const dotComma: NumberStyle = { decimal: '.', group: ',' };
const commaDot: NumberStyle = { decimal: ',', group: '.' };
const commaSpace: NumberStyle = { decimal: ',', group: ' ' };
const commaThin: NumberStyle = { decimal: ',', group: '\u202f' };
const dotPlain: NumberStyle = { decimal: '.', group: '' };
const commaPlain: NumberStyle = { decimal: ',', group: '' };

export const REGIONS: readonly Region[] = [
  {
    id: 'en-US',
    lang: 'en',
    currencies: [USD],
    numbers: [dotComma],
    markAfter: false,
    dateOrder: 'mdy',
    dateSeps: ['/'],
    taxRates: [[0], [6.25], [8.875], [7]],
    cashRounding: 1,
  },
  {
    id: 'en-GB',
    lang: 'en',
    currencies: [GBP],
    numbers: [dotComma, dotPlain],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/', '.'],
    taxRates: [[20], [20, 5]],
    cashRounding: 1,
  },
  {
    id: 'en-CA',
    lang: 'en',
    currencies: [CAD],
    numbers: [dotComma],
    markAfter: false,
    dateOrder: 'ymd',
    dateSeps: ['-'],
    taxRates: [[13], [5]],
    cashRounding: 5,
  },
  {
    id: 'en-AU',
    lang: 'en',
    currencies: [AUD],
    numbers: [dotComma],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/'],
    taxRates: [[10]],
    cashRounding: 5,
  },
  {
    id: 'en-MY',
    lang: 'en',
    currencies: [MYR],
    numbers: [dotComma, dotPlain],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/', '-'],
    taxRates: [[6], [0]],
    cashRounding: 5,
    legalForms: ['SDN BHD', 'SDN. BHD.', 'Sdn Bhd', 'BHD', 'ENTERPRISE', 'TRADING', 'RESTAURANT'],
    cities: [
      '81100 Johor Bahru, Johor',
      '47301 Petaling Jaya, Selangor',
      '50450 Kuala Lumpur',
      '10200 George Town, Pulau Pinang',
      '81300 Skudai, Johor',
    ],
  },
  {
    id: 'en-IE',
    lang: 'en',
    currencies: [EUR],
    numbers: [dotComma],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/'],
    taxRates: [[23], [23, 13.5]],
    cashRounding: 1,
  },
  {
    id: 'de-DE',
    lang: 'de',
    currencies: [EUR],
    numbers: [commaDot, commaPlain],
    markAfter: true,
    dateOrder: 'dmy',
    dateSeps: ['.'],
    taxRates: [[19], [19, 7], [7]],
    cashRounding: 1,
  },
  {
    id: 'de-AT',
    lang: 'de',
    currencies: [EUR],
    numbers: [commaDot, commaSpace],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['.'],
    taxRates: [[20], [20, 10]],
    cashRounding: 1,
  },
  {
    id: 'de-CH',
    lang: 'de',
    currencies: [CHF],
    numbers: [
      { decimal: '.', group: "'" },
      { decimal: '.', group: '’' },
    ],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['.'],
    taxRates: [[8.1], [8.1, 2.6]],
    cashRounding: 5,
  },
  {
    id: 'fr-FR',
    lang: 'fr',
    currencies: [EUR],
    numbers: [commaSpace, commaThin, commaPlain],
    markAfter: true,
    dateOrder: 'dmy',
    dateSeps: ['/'],
    taxRates: [[20], [20, 5.5], [10]],
    cashRounding: 1,
  },
  {
    id: 'fr-BE',
    lang: 'fr',
    currencies: [EUR],
    numbers: [commaDot, commaSpace],
    markAfter: true,
    dateOrder: 'dmy',
    dateSeps: ['/', '.'],
    taxRates: [[21], [21, 6]],
    cashRounding: 1,
  },
  {
    id: 'fr-CA',
    lang: 'fr',
    currencies: [CAD],
    numbers: [commaSpace],
    markAfter: true,
    dateOrder: 'ymd',
    dateSeps: ['-'],
    taxRates: [[14.975]],
    cashRounding: 5,
  },
  {
    id: 'es-ES',
    lang: 'es',
    currencies: [EUR],
    numbers: [commaDot, commaPlain],
    markAfter: true,
    dateOrder: 'dmy',
    dateSeps: ['/', '-'],
    taxRates: [[21], [21, 10], [10]],
    cashRounding: 1,
  },
  {
    id: 'es-MX',
    lang: 'es',
    currencies: [MXN],
    numbers: [dotComma],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/'],
    taxRates: [[16]],
    cashRounding: 1,
  },
  {
    id: 'it-IT',
    lang: 'it',
    currencies: [EUR],
    numbers: [commaDot, commaPlain],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/', '.', '-'],
    taxRates: [[22], [22, 10], [4]],
    cashRounding: 1,
  },
  {
    id: 'nl-NL',
    lang: 'nl',
    currencies: [EUR],
    numbers: [commaDot],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['-', '/'],
    taxRates: [[21], [21, 9]],
    cashRounding: 5,
  },
  {
    id: 'nl-BE',
    lang: 'nl',
    currencies: [EUR],
    numbers: [commaDot, commaSpace],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/', '.'],
    taxRates: [[21], [21, 6]],
    cashRounding: 1,
  },
  {
    id: 'pt-PT',
    lang: 'pt',
    currencies: [EUR],
    numbers: [commaSpace, commaDot],
    markAfter: true,
    dateOrder: 'dmy',
    dateSeps: ['/', '-'],
    taxRates: [[23], [23, 6]],
    cashRounding: 1,
  },
  {
    id: 'pt-BR',
    lang: 'pt',
    currencies: [BRL],
    numbers: [commaDot],
    markAfter: false,
    dateOrder: 'dmy',
    dateSeps: ['/'],
    taxRates: [[18], [12]],
    cashRounding: 1,
  },
];
