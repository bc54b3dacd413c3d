import { describe, expect, it } from 'vitest';
import {
  addAmounts,
  amountsClose,
  compareAmounts,
  divideAmount,
  formatAmount,
  formatUnitAmount,
  multiplyAmount,
  parseAmount,
  subtractAmounts,
  sumAmounts,
} from '../../functions/core/parse/amount.ts';

describe('parseAmount: locales and grouping', () => {
  it.each([
    // US / UK
    ['1,234.56', '1234.56', null],
    ['$899.99', '899.99', 'USD'],
    ['£1,050.00', '1050.00', 'GBP'],
    ['1,234,567.89', '1234567.89', null],
    ['USD 12.5', '12.5', 'USD'],
    // DE / FR / NL
    ['1.234,56', '1234.56', null],
    ['1.234,5', '1234.5', null],
    ['EUR 12,00', '12.00', 'EUR'],
    ['12,00 €', '12.00', 'EUR'],
    ['€1.234.567,89', '1234567.89', 'EUR'],
    ['1 234,56 €', '1234.56', 'EUR'],
    ['1\u202f234,56\u00a0€', '1234.56', 'EUR'],
    ['1\u00a0234,56 EUR', '1234.56', 'EUR'],
    ['€ 1.234,56', '1234.56', 'EUR'],
    ['12,-', '12', null],
    ['1,23', '1.23', null],
    // CH
    ["1'234.56", '1234.56', null],
    ['1’234.56', '1234.56', null],
    ["CHF 1'234.50", '1234.50', 'CHF'],
    ['Fr. 12.50', '12.50', 'CHF'],
    // PL / Nordics
    ['1 234,56 zł', '1234.56', 'PLN'],
    ['257,59 PLN', '257.59', 'PLN'],
    ['99,50 kr', '99.50', 'SEK'],
    // IN
    ['Rs. 1,234', '1234', 'INR'],
    ['₹1,234.00', '1234.00', 'INR'],
    ['Rs 1,23,456.50', '123456.50', 'INR'],
    ['₹ 1,234/-', '1234', 'INR'],
    // JP
    ['¥1,000', '1000', 'JPY'],
    ['1,000円', '1000', 'JPY'],
    // other dollars
    ['A$ 10.00', '10.00', 'AUD'],
    ['CA$5', '5', 'CAD'],
    ['HK$1,000.00', '1000.00', 'HKD'],
    ['R$ 1.234,56', '1234.56', 'BRL'],
    ['0.00', '0.00', null],
    ['.50', '0.50', null],
    ['5', '5', null],
  ])('%s → %s (%s)', (text, value, currency) => {
    expect(parseAmount(text)).toEqual({ value, currency });
  });
});

describe('parseAmount: signs and flags', () => {
  it.each([
    ['(12.00)', '-12.00'],
    ['12.00-', '-12.00'],
    ['-12', '-12'],
    ['−12,50 €', '-12.50'],
    ['$-1,136.16', '-1136.16'],
    ['-$5.00', '-5.00'],
    ['($5.00)', '-5.00'],
    ['12.00 CR', '-12.00'],
    ['12.00 DR', '12.00'],
    ['$899.99 S', '899.99'],
    ['659.00 Y', '659.00'],
    ['329.00 y', '329.00'],
    ['12.00 A', '12.00'],
    ['5.00 T*', '5.00'],
    ['+3.00', '3.00'],
    ['-0.00', '0.00'],
  ])('%s → %s', (text, value) => {
    expect(parseAmount(text)?.value).toBe(value);
  });
});

describe('parseAmount: ambiguity and hints', () => {
  it('reads a lone separator before exactly three digits as grouping', () => {
    expect(parseAmount('1,234')?.value).toBe('1234');
    expect(parseAmount('1.234')?.value).toBe('1234');
  });
  it('lets the decimal-separator hint settle the three-digit case', () => {
    expect(parseAmount('1,234', { decimalSeparator: ',' })?.value).toBe('1.234');
    expect(parseAmount('1.234', { decimalSeparator: '.' })?.value).toBe('1.234');
    expect(parseAmount('1.234', { decimalSeparator: ',' })?.value).toBe('1234');
    expect(parseAmount('1,234', { decimalSeparator: '.' })?.value).toBe('1234');
  });
  it('never reads "0,125" or "1234,567" as grouping', () => {
    expect(parseAmount('0,125')?.value).toBe('0.125');
    expect(parseAmount('1234.567')?.value).toBe('1234.567');
  });
  it('reads three decimals for three-decimal currencies', () => {
    expect(parseAmount('KWD 1.234')).toEqual({ value: '1.234', currency: 'KWD' });
  });
});

describe('parseAmount: rejects what is not an amount', () => {
  it.each([
    'INV-2023',
    '19%',
    '19 %',
    '03/04/2021',
    '2021-04-03',
    '03.04.2021',
    '3.4.21',
    '+1 (555) 123-4567',
    '555-1234',
    '0171 234 567',
    '12:30',
    '1.234.56',
    '1,2,3',
    'Total',
    'TOTAL $10',
    '',
    '   ',
    '$',
    'N/A',
    'abc12',
    '12 34',
    '1 23',
  ])('%j → null', (text) => {
    expect(parseAmount(text)).toBeNull();
  });
});

describe('formatAmount and decimal arithmetic', () => {
  it('pads and rounds to the currency minor unit, half away from zero', () => {
    expect(formatAmount('1234.5', 'EUR')).toBe('1234.50');
    expect(formatAmount('1234.5', 'JPY')).toBe('1235');
    expect(formatAmount('1234.4', 'KRW')).toBe('1234');
    expect(formatAmount('1.2345', 'KWD')).toBe('1.235');
    expect(formatAmount('2.675', 'USD')).toBe('2.68'); // 2.675 is 2.67499… as a float
    expect(formatAmount('-2.675', null)).toBe('-2.68');
    expect(formatAmount('1.005', 'XXX')).toBe('1.01');
    expect(formatAmount('-0.001', 'USD')).toBe('0.00');
    expect(formatAmount('3850', 'USD')).toBe('3850.00');
  });
  it('adds, subtracts, sums and compares without float drift', () => {
    expect(addAmounts('0.1', '0.2')).toBe('0.3');
    expect(addAmounts('6169.40', '61.69')).toBe('6231.09');
    expect(subtractAmounts('5680.81', '1136.16')).toBe('4544.65');
    expect(sumAmounts(['899.99', '689.99', '19.99', '89.99'])).toBe('1699.96');
    expect(sumAmounts([])).toBe('0');
    expect(compareAmounts('1.50', '1.5')).toBe(0);
    expect(compareAmounts('-1', '0.01')).toBe(-1);
    expect(compareAmounts('10', '9.999')).toBe(1);
    expect(amountsClose('10.00', '10.01', '0.01')).toBe(true);
    expect(amountsClose('10.00', '10.02', '0.01')).toBe(false);
  });
  it('multiplies by quantities and divides with rounding', () => {
    expect(formatAmount(multiplyAmount('106.04', 2), 'USD')).toBe('212.08');
    expect(formatAmount(multiplyAmount('110', 4.5), 'USD')).toBe('495.00');
    expect(divideAmount('10.00', 3, 2)).toBe('3.33');
    expect(divideAmount('165.81', 2, 2)).toBe('82.91');
    expect(divideAmount('-1', 8, 2)).toBe('-0.13');
    expect(divideAmount('1', 0, 2)).toBeNull();
  });
  it('keeps printed unit-price precision beyond the minor unit', () => {
    expect(formatUnitAmount('0.12345', 'EUR')).toBe('0.1235');
    expect(formatUnitAmount('12.5', 'EUR')).toBe('12.50');
    expect(formatUnitAmount('450.0000', 'USD')).toBe('450.00');
  });
  it('throws on a non-decimal input instead of guessing', () => {
    expect(() => formatAmount('1,234.00', 'USD')).toThrow(RangeError);
  });
});
