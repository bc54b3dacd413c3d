/**
 * UN/CEFACT Cross Industry Invoice: Factur-X / ZUGFeRD 2.x (CrossIndustryInvoice, D16B) and
 * ZUGFeRD 1.0 (CrossIndustryDocument, D13B). The two differ in element names around the same
 * structure, so each lookup lists both spellings.
 */
import type { DocumentData, LineItem } from '../events.ts';
import { all, at, attr, find, kids, text, textAt, type XNode } from './xml.ts';
import {
  ciiDate,
  clean,
  currencyCode,
  lineTotal,
  money,
  paymentMeansName,
  perUnit,
  quantity,
  unitMoney,
} from './common.ts';
import { hasContent } from './common.ts';

const HEADER_DOC = ['ExchangedDocument', 'HeaderExchangedDocument'];
const TRANSACTION = ['SupplyChainTradeTransaction', 'SpecifiedSupplyChainTradeTransaction'];
const AGREEMENT = ['ApplicableHeaderTradeAgreement', 'ApplicableSupplyChainTradeAgreement'];
const SETTLEMENT = ['ApplicableHeaderTradeSettlement', 'ApplicableSupplyChainTradeSettlement'];
const SUMMATION = ['SpecifiedTradeSettlementHeaderMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation'];
const LINE_AGREEMENT = ['SpecifiedLineTradeAgreement', 'SpecifiedSupplyChainTradeAgreement'];
const LINE_DELIVERY = ['SpecifiedLineTradeDelivery', 'SpecifiedSupplyChainTradeDelivery'];
const LINE_SETTLEMENT = ['SpecifiedLineTradeSettlement', 'SpecifiedSupplyChainTradeSettlement'];
const LINE_SUMMATION = ['SpecifiedTradeSettlementLineMonetarySummation', 'SpecifiedTradeSettlementMonetarySummation'];

function first(node: XNode | undefined, names: readonly string[]): XNode | undefined {
  for (const n of names) {
    const k = kids(node, n)[0];
    if (k) return k;
  }
  return undefined;
}

function dateOf(node: XNode | undefined): string | null {
  const s = at(node, 'DateTimeString');
  return ciiDate(text(s), attr(s, 'format')) ?? ciiDate(text(at(node, 'DateTime')), null);
}

/** An amount in the invoice currency: of several (TaxTotalAmount in EUR and GBP) the matching one. */
function amountIn(parent: XNode | undefined, name: string, currency: string | null): string | null {
  const els = kids(parent, name);
  const match =
    els.find((e) => attr(e, 'currencyID') === currency) ?? els.find((e) => !attr(e, 'currencyID')) ?? els[0];
  return money(text(match), currency);
}

function address(party: XNode | undefined): string | null {
  const a = at(party, 'PostalTradeAddress');
  if (!a) return null;
  const street = ['LineOne', 'LineTwo', 'LineThree']
    .map((n) => textAt(a, n))
    .filter(Boolean)
    .join(', ');
  const city = [textAt(a, 'PostcodeCode'), textAt(a, 'CityName')].filter(Boolean).join(' ');
  return clean([street, city, textAt(a, 'CountryID')].filter(Boolean).join(', '));
}

export function readCii(root: XNode): DocumentData {
  const header = first(root, HEADER_DOC);
  const tx = first(root, TRANSACTION);
  const agreement = first(tx, AGREEMENT);
  const settlement = first(tx, SETTLEMENT);
  const sums = first(settlement, SUMMATION);
  const seller = at(agreement, 'SellerTradeParty');
  const buyer = at(agreement, 'BuyerTradeParty');
  const currency = currencyCode(textAt(settlement, 'InvoiceCurrencyCode'));

  // Payment terms: the first with a due date wins for due_date; descriptions in document order.
  const terms = kids(settlement, 'SpecifiedTradePaymentTerms');
  const dueDate = terms.map((t) => dateOf(at(t, 'DueDateDateTime'))).find((d) => d) ?? null;
  const termsText = clean(terms.map((t) => textAt(t, 'Description')).filter(Boolean)[0] ?? null);

  const means = kids(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const meansCode = means.map((m) => textAt(m, 'TypeCode')).find((c) => c) ?? null;

  const taxIds = kids(seller, 'SpecifiedTaxRegistration')
    .map((r) => textAt(r, 'ID'))
    .filter((x): x is string => !!x);

  const lines: LineItem[] = all(tx, 'IncludedSupplyChainTradeLineItem')
    .map((li) => {
      const product = at(li, 'SpecifiedTradeProduct');
      const lineAgreement = first(li, LINE_AGREEMENT);
      const net = at(lineAgreement, 'NetPriceProductTradePrice');
      const qty = quantity(text(at(first(li, LINE_DELIVERY), 'BilledQuantity')));
      const unit = perUnit(unitMoney(textAt(net, 'ChargeAmount'), currency), textAt(net, 'BasisQuantity'), currency);
      const lineSettlement = first(li, LINE_SETTLEMENT);
      const total = amountIn(first(lineSettlement, LINE_SUMMATION), 'LineTotalAmount', currency);
      return {
        description: clean(textAt(product, 'Name')) ?? clean(textAt(product, 'Description')) ?? textLine(li, product),
        quantity: qty,
        unit_price: unit,
        total: lineTotal(total, unit, qty) === null ? null : money(lineTotal(total, unit, qty), currency),
      };
    })
    .filter(hasContent);

  const po =
    textAt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID') ??
    textAt(agreement, 'BuyerOrderReferencedDocument', 'ID');
  const docTypeCode = textAt(header, 'TypeCode');
  return {
    document_type: 'invoice',
    merchant: clean(textAt(seller, 'Name')),
    invoice_id: clean(textAt(header, 'ID')),
    date: dateOf(at(header, 'IssueDateTime')),
    due_date: dueDate,
    currency,
    subtotal: amountIn(sums, 'TaxBasisTotalAmount', currency),
    tax: amountIn(sums, 'TaxTotalAmount', currency),
    total: amountIn(sums, 'GrandTotalAmount', currency),
    payment_method: paymentMeansName(meansCode),
    line_items: lines,
    vendor_address: address(seller),
    vendor_tax_id: clean(taxIds[0] ?? null),
    customer_name: clean(textAt(buyer, 'Name')),
    po_number: clean(po),
    payment_terms: termsText,
    amount_due: amountIn(sums, 'DuePayableAmount', currency),
    ...(docTypeCode ? {} : {}),
  };
}

/**
 * A text line: a line of the invoice's item list that is only a note ("Wir erlauben uns Ihnen
 * folgende Positionen … in Rechnung zu stellen:"), no product and no amounts, as ZUGFeRD 1.0
 * invoices print a letter's text among their items. It is kept as an item with that text, so the
 * list has every line the invoice has.
 */
function textLine(li: XNode, product: XNode | undefined): string | null {
  return product ? null : clean(textAt(li, 'AssociatedDocumentLineDocument', 'IncludedNote', 'Content'));
}

/** Quick check used by attachment scanning: is this tree a CII invoice? */
export function isCiiRoot(name: string): boolean {
  return name === 'CrossIndustryInvoice' || name === 'CrossIndustryDocument';
}

export { find };
