/** OASIS UBL 2.x Invoice and CreditNote (XRechnung UBL, Peppol BIS Billing 3). */
import type { DocumentData, LineItem } from '../events.ts';
import { all, at, attr, kids, text, textAt, type XNode } from './xml.ts';
import {
  clean,
  currencyCode,
  lineTotal,
  money,
  paymentMeansName,
  perUnit,
  quantity,
  ublDate,
  unitMoney,
} from './common.ts';
import { hasContent } from './common.ts';

function amountIn(parent: XNode | undefined, name: string, currency: string | null): string | null {
  const els = kids(parent, name);
  const match = els.find((e) => attr(e, 'currencyID') === currency) ?? els[0];
  return money(text(match), currency);
}

function partyName(party: XNode | undefined): string | null {
  return clean(textAt(party, 'PartyName', 'Name')) ?? clean(textAt(party, 'PartyLegalEntity', 'RegistrationName'));
}

function address(party: XNode | undefined): string | null {
  const a = at(party, 'PostalAddress');
  if (!a) return null;
  const street = ['StreetName', 'AdditionalStreetName']
    .map((n) => textAt(a, n))
    .filter(Boolean)
    .join(', ');
  const city = [textAt(a, 'PostalZone'), textAt(a, 'CityName')].filter(Boolean).join(' ');
  return clean([street, city, textAt(a, 'Country', 'IdentificationCode')].filter(Boolean).join(', '));
}

export function readUbl(root: XNode, rootName: string): DocumentData {
  const credit = rootName === 'CreditNote';
  const currency = currencyCode(textAt(root, 'DocumentCurrencyCode'));
  const seller = at(root, 'AccountingSupplierParty', 'Party');
  const buyer = at(root, 'AccountingCustomerParty', 'Party');
  const totals = at(root, 'LegalMonetaryTotal');
  // Several TaxTotal elements appear when a tax currency differs: take the invoice currency's.
  const taxTotals = kids(root, 'TaxTotal');
  const taxEl =
    taxTotals.map((t) => at(t, 'TaxAmount')).find((a) => attr(a, 'currencyID') === currency) ??
    at(taxTotals[0], 'TaxAmount');
  const means = kids(root, 'PaymentMeans');
  const dueDate =
    ublDate(textAt(root, 'DueDate')) ?? means.map((m) => ublDate(textAt(m, 'PaymentDueDate'))).find((d) => d) ?? null;
  const taxIds = kids(seller, 'PartyTaxScheme')
    .map((s) => textAt(s, 'CompanyID'))
    .filter((x): x is string => !!x);

  const lines: LineItem[] = all(root, credit ? 'CreditNoteLine' : 'InvoiceLine')
    .map((li) => {
      const qty = quantity(textAt(li, credit ? 'CreditedQuantity' : 'InvoicedQuantity'));
      const price = at(li, 'Price');
      const unit = perUnit(unitMoney(textAt(price, 'PriceAmount'), currency), textAt(price, 'BaseQuantity'), currency);
      const total = amountIn(li, 'LineExtensionAmount', currency);
      const t = lineTotal(total, unit, qty);
      return {
        description: clean(textAt(li, 'Item', 'Name')) ?? clean(textAt(li, 'Item', 'Description')),
        quantity: qty,
        unit_price: unit,
        total: t === null ? null : money(t, currency),
      };
    })
    .filter(hasContent);

  return {
    document_type: 'invoice',
    merchant: partyName(seller),
    invoice_id: clean(textAt(root, 'ID')),
    date: ublDate(textAt(root, 'IssueDate')),
    due_date: dueDate,
    currency,
    subtotal: amountIn(totals, 'TaxExclusiveAmount', currency),
    tax: money(text(taxEl), currency),
    total: amountIn(totals, 'TaxInclusiveAmount', currency),
    payment_method: paymentMeansName(means.map((m) => textAt(m, 'PaymentMeansCode')).find((c) => c) ?? null),
    line_items: lines,
    vendor_address: address(seller),
    vendor_tax_id: clean(taxIds[0] ?? null),
    customer_name: partyName(buyer),
    po_number: clean(textAt(root, 'OrderReference', 'ID')),
    payment_terms: clean(
      kids(root, 'PaymentTerms')
        .map((p) => textAt(p, 'Note'))
        .find((n) => n) ?? null,
    ),
    amount_due: amountIn(totals, 'PayableAmount', currency),
  };
}

export function isUblRoot(name: string): boolean {
  return name === 'Invoice' || name === 'CreditNote';
}
