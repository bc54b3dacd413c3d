import { describe, expect, it } from 'vitest';
import { detectCurrency, isCurrencyCode, minorUnits } from '../../functions/core/parse/currency.ts';
import { parseDate } from '../../functions/core/parse/date.ts';

describe('parseDate: forms and locales', () => {
  it.each([
    // ISO and year-first
    ['2021-04-03', '2021-04-03'],
    ['2021-04-03T10:22:00Z', '2021-04-03'],
    ['2021/04/03', '2021-04-03'],
    ['2021.04.03', '2021-04-03'],
    // US
    ['March 3, 2021', '2021-03-03'],
    ['Mar 3 2021', '2021-03-03'],
    ['Mar-03-2021', '2021-03-03'],
    ['Sept. 14, 2020', '2020-09-14'],
    ['04/13/2021', '2021-04-13'],
    // UK
    ['3 March 2021', '2021-03-03'],
    ['3rd Mar 2021', '2021-03-03'],
    ['21st December 2019', '2019-12-21'],
    ['01-Jan-2021', '2021-01-01'],
    ['15-Aug-19', '2019-08-15'],
    ['13/04/2021', '2021-04-13'],
    // DE / AT / CH
    ['11. Juli 2014', '2014-07-11'],
    ['3. März 2021', '2021-03-03'],
    ['12 Dez. 2020', '2020-12-12'],
    ['1. Jänner 2022', '2022-01-01'],
    ['31.12.2021', '2021-12-31'],
    ['3.4.21', '2021-04-03'],
    ['03. 04. 2021', '2021-04-03'],
    // FR
    ['1er janvier 2023', '2023-01-01'],
    ['14 février 2022', '2022-02-14'],
    ['3 août 2020', '2020-08-03'],
    // NL
    ['3 maart 2021', '2021-03-03'],
    ['17 mei 2022', '2022-05-17'],
    // PL
    ['15 stycznia 2020', '2020-01-15'],
    ['14 października 2021', '2021-10-14'],
    ['2 września 2019', '2019-09-02'],
    // ES / IT / PT
    ['15 de enero de 2020', '2020-01-15'],
    ['5 diciembre 2018', '2018-12-05'],
    ['12 dicembre 2019', '2019-12-12'],
    ['7 giugno 2021', '2021-06-07'],
    ['3 de março de 2021', '2021-03-03'],
    ['20 outubro 2020', '2020-10-20'],
    // surrounding words
    ['Date: 13/04/2021', '2021-04-13'],
    ['Invoice date 11. Juli 2014, Berlin', '2014-07-11'],
    ['Thursday, 26 March 2020', '2020-03-26'],
    ['31.12.2021 10:00', '2021-12-31'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)?.iso).toBe(iso);
  });

  it('decides day/month order by impossible values, then the hint, then the separator', () => {
    expect(parseDate('13/04/2021')).toEqual({ iso: '2021-04-13', ambiguous: false });
    expect(parseDate('04/13/2021')).toEqual({ iso: '2021-04-13', ambiguous: false });
    expect(parseDate('03/04/2021', { dayFirst: true })).toEqual({ iso: '2021-04-03', ambiguous: false });
    expect(parseDate('03/04/2021', { dayFirst: false })).toEqual({ iso: '2021-03-04', ambiguous: false });
    expect(parseDate('03/04/2021')).toEqual({ iso: '2021-03-04', ambiguous: true });
    expect(parseDate('03-04-2021')).toEqual({ iso: '2021-04-03', ambiguous: true });
    expect(parseDate('03.04.2021')).toEqual({ iso: '2021-04-03', ambiguous: false });
    expect(parseDate('05/05/2021')).toEqual({ iso: '2021-05-05', ambiguous: false });
    expect(parseDate('3 March 2021')?.ambiguous).toBe(false);
  });

  it("reads a space OCR put after a date's dash or slash, with a four-digit year only", () => {
    expect(parseDate('Date : 06-05- 2018 12:43')).toEqual({ iso: '2018-05-06', ambiguous: true });
    expect(parseDate('25/ 12/2018')?.iso).toBe('2018-12-25');
    expect(parseDate('03.04. 2021')?.iso).toBe('2021-04-03');
    // Two-digit years stay strict: "1-3- 18" is no date.
    expect(parseDate('1-3- 18')).toBeNull();
  });

  it('reads a day whose dot OCR read as a comma before a month name ("16, November 2018"), not a count before a year', () => {
    expect(parseDate('RE-41162 16, November 2018 19338')?.iso).toBe('2018-11-16');
    expect(parseDate('Qty 16, 2018')).toBeNull();
  });

  it('maps two-digit years into 1970-2069', () => {
    expect(parseDate('01/13/17')?.iso).toBe('2017-01-13');
    expect(parseDate('31.12.99')?.iso).toBe('1999-12-31');
  });

  it.each([
    '30/02/2021',
    'Feb 30, 2021',
    '2021-02-29',
    '31.04.2021',
    '32/01/2021',
    '13/13/2021',
    'INV-2023',
    '12.50',
    '1.234,56',
    '06-12-34-56-78',
    '+1 (555) 123-4567',
    'March 2021',
    'no date here',
    '',
    '2021',
    '19%',
  ])('%j → null', (text) => {
    expect(parseDate(text)).toBeNull();
  });

  it('accepts leap days only in leap years', () => {
    expect(parseDate('2024-02-29')?.iso).toBe('2024-02-29');
    expect(parseDate('29.02.2023')).toBeNull();
  });
});

describe('detectCurrency', () => {
  it.each([
    ['$12.00', 'USD'],
    ['US$ 12', 'USD'],
    ['A$ 12', 'AUD'],
    ['AU$12', 'AUD'],
    ['C$ 12', 'CAD'],
    ['CA$12', 'CAD'],
    ['HK$ 1,000', 'HKD'],
    ['NZ$5', 'NZD'],
    ['R$ 10,00', 'BRL'],
    ['12,00 €', 'EUR'],
    ['£5', 'GBP'],
    ['¥500', 'JPY'],
    ['₹1,234', 'INR'],
    ['Rs. 500', 'INR'],
    ['12,50 zł', 'PLN'],
    ['99 kr', 'SEK'],
    ['CHF 10', 'CHF'],
    ['Fr. 10.50', 'CHF'],
    ['Total in EUR', 'EUR'],
    ['amount in euros', 'EUR'],
    ['fifty dollars', 'USD'],
    ['Rupees Three Hundred Only', 'INR'],
    ['Pay in CAD please', 'CAD'],
    ['$ 12 (CAD)', 'CAD'], // an explicit code beats the "$" guess
    ['Total CUP 120.00', 'CUP'], // a code that is also a word, beside a price
    ['MAD 45', 'MAD'],
    ['45.00 MAD', 'MAD'],
  ])('%s → %s', (text, code) => {
    expect(detectCurrency(text)).toBe(code);
  });

  it.each([
    'ALL ITEMS',
    'ALL 3 ITEMS',
    '013 SUMMER CUP 48X230ML',
    'TOP 10X',
    'TOTAL',
    'Invoice 12',
    'left 12',
    '',
    'INV-2023',
  ])('%j → null', (text) => {
    expect(detectCurrency(text)).toBeNull();
  });

  it('knows ISO 4217 codes and minor units', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KRW')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('BHD')).toBe(3);
    expect(minorUnits('OMR')).toBe(3);
    expect(minorUnits('JOD')).toBe(3);
    expect(minorUnits('TND')).toBe(3);
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('XYZ')).toBe(2);
  });
});
