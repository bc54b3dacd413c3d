/** One language's printed vocabulary: several label variants per field, as real invoices differ. */
export type LangCode = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt';

export interface Language {
  code: LangCode;
  months: readonly string[];
  monthsShort: readonly string[];
  /** Long date styles: day, month index (0-11), year. */
  longDates: readonly ((d: number, m: number, y: number) => string)[];
  titles: readonly string[];
  creditNoteTitles: readonly string[];
  labels: {
    invoiceNo: readonly string[];
    date: readonly string[];
    due: readonly string[];
    billTo: readonly string[];
    customerNo: readonly string[];
    description: readonly string[];
    quantity: readonly string[];
    unit: readonly string[];
    unitPrice: readonly string[];
    amount: readonly string[];
    itemNo: readonly string[];
    taxRate: readonly string[];
    subtotal: readonly string[];
    discount: readonly string[];
    shipping: readonly string[];
    total: readonly string[];
    amountDue: readonly string[];
    paid: readonly string[];
    page: (n: number, of: number) => string;
    terms: readonly string[];
  };
  taxNames: readonly string[];
  receipt: {
    total: readonly string[];
    taxIncluded: readonly ((tax: string, rate: number) => string)[];
    cash: readonly string[];
    change: readonly string[];
    rounding: readonly string[];
    receiptNo: readonly string[];
    thanks: readonly string[];
  };
  legalForms: readonly string[];
  nameStems: readonly string[];
  nameTrades: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
  customers: readonly string[];
  services: readonly string[];
  goods: readonly string[];
  groceries: readonly string[];
  /** [0]: a piece unit; [1], [2]: time units (hours, days); the rest other goods units. */
  units: readonly string[];
  details: readonly string[];
}
