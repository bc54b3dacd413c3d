/** Invoice layouts: header styles, table styles and totals blocks, chosen per document. */
import { formatAmount, formatDate, formatQuantity } from './format.ts';
import { esc, FONTS, labelStyle, page } from './html-common.ts';
import type { Invoice, InvoiceLine } from './invoice-model.ts';
import type { Rng } from './prng.ts';

type Col = 'itemNo' | 'description' | 'unit' | 'quantity' | 'unitPrice' | 'taxRate' | 'amount';

interface Layout {
  font: string;
  fontPt: number;
  meta: 'lines' | 'grid' | 'box';
  sellerRight: boolean;
  table: 'boxed' | 'ruled' | 'plain' | 'headerless' | 'zebra';
  cols: Col[];
  totalsLeft: boolean;
  markInTable: boolean;
  label: (l: string) => string;
  taxLabel: (name: string, rate: string) => string;
}

function chooseLayout(rng: Rng, inv: Invoice): Layout {
  const multiRate = inv.taxes.length > 1;
  const cols: Col[] = ['description', 'quantity', 'unitPrice', 'amount'];
  if (rng.chance(0.4)) cols.unshift('itemNo');
  if (rng.chance(0.3)) cols.splice(cols.indexOf('quantity') + 1, 0, 'unit');
  if (multiRate || rng.chance(0.2)) cols.splice(cols.indexOf('amount'), 0, 'taxRate');
  if (rng.chance(0.2)) {
    // "Qty Description Price Amount": quantity first, as on many US and till-style invoices.
    cols.splice(cols.indexOf('quantity'), 1);
    cols.splice(cols.indexOf('description'), 0, 'quantity');
  }
  return {
    font: rng.pick(FONTS),
    fontPt: rng.pick([8.5, 9, 9.5, 10, 11]),
    meta: rng.pick(['lines', 'grid', 'box'] as const),
    sellerRight: rng.chance(0.35),
    table: rng.pick(['boxed', 'ruled', 'plain', 'headerless', 'zebra'] as const),
    cols,
    totalsLeft: rng.chance(0.2),
    markInTable: rng.chance(0.3),
    label: labelStyle(rng),
    taxLabel: rng.pick([
      (n: string, r: string) => `${n} ${r}%`,
      (n: string, r: string) => `${n} (${r}%)`,
      (n: string, r: string) => `${n} ${r} %`,
      (n: string, r: string) => `${n} @ ${r}%`,
    ]),
  };
}

const rateText = (rate: number, inv: Invoice): string =>
  formatQuantity(rate, Number.isInteger(rate) ? 0 : String(rate).split('.')[1]!.length, inv.amounts.number);

function sellerBlock(inv: Invoice): string {
  const s = inv.seller;
  return `<div class="seller"><div class="name">${esc(s.name)}</div><div>${esc(s.street)}</div><div>${esc(s.city)}</div><div>${esc(s.phone)}</div>${s.taxId ? `<div>${esc(s.taxId)}</div>` : ''}</div>`;
}

function metaBlock(rng: Rng, inv: Invoice, lay: Layout): string {
  const L = inv.lang.labels;
  const rows: [string, string][] = [
    [rng.pick(L.invoiceNo), inv.number],
    [rng.pick(L.date), formatDate(inv.date, inv.dates, inv.lang)],
  ];
  if (inv.due) rows.push([rng.pick(L.due), formatDate(inv.due, inv.dates, inv.lang)]);
  if (rng.chance(0.3)) rows.push([rng.pick(L.customerNo), String(rng.int(10000, 99999))]);
  if (lay.meta === 'grid') {
    return `<table class="grid"><tr>${rows.map(([l]) => `<th>${esc(l)}</th>`).join('')}</tr><tr>${rows.map(([, v]) => `<td>${esc(v)}</td>`).join('')}</tr></table>`;
  }
  const cls = lay.meta === 'box' ? 'box' : 'kv';
  return `<table class="${cls}">${rows.map(([l, v]) => `<tr><td class="l">${lay.label(l)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function cell(col: Col, l: InvoiceLine, inv: Invoice, lay: Layout): string {
  const money = (c: number): string => esc(formatAmount(c, inv.amounts, lay.markInTable));
  switch (col) {
    case 'itemNo':
      return `<td>${esc(l.itemNo ?? '')}</td>`;
    case 'description':
      return `<td class="d">${esc(l.description)}${l.detail ? `<div class="detail">${esc(l.detail)}</div>` : ''}</td>`;
    case 'unit':
      return `<td>${esc(l.unit ?? '')}</td>`;
    case 'quantity':
      return `<td class="n">${formatQuantity(l.quantity, l.quantityDecimals, inv.amounts.number)}</td>`;
    case 'unitPrice':
      return `<td class="n">${money(l.unitCents)}</td>`;
    case 'taxRate':
      return `<td class="n">${rateText(l.rate, inv)}%</td>`;
    case 'amount':
      return `<td class="n">${money(l.amountCents)}</td>`;
  }
}

function itemsTable(rng: Rng, inv: Invoice, lay: Layout): string {
  const L = inv.lang.labels;
  const heads: Record<Col, string> = {
    itemNo: rng.pick(L.itemNo),
    description: rng.pick(L.description),
    unit: rng.pick(L.unit),
    quantity: rng.pick(L.quantity),
    unitPrice: rng.pick(L.unitPrice),
    taxRate: rng.pick(L.taxRate),
    amount: rng.pick(L.amount),
  };
  const head =
    lay.table === 'headerless'
      ? ''
      : `<thead><tr>${lay.cols.map((c) => `<th class="${c === 'description' || c === 'itemNo' || c === 'unit' ? '' : 'n'}">${esc(heads[c])}</th>`).join('')}</tr></thead>`;
  const body = inv.lines.map((l) => `<tr>${lay.cols.map((c) => cell(c, l, inv, lay)).join('')}</tr>`).join('');
  return `<table class="items ${lay.table}">${head}<tbody>${body}</tbody></table>`;
}

function totalsBlock(rng: Rng, inv: Invoice, lay: Layout): string {
  const L = inv.lang.labels;
  const money = (c: number): string => esc(formatAmount(c, inv.amounts));
  const rows: [string, string, boolean][] = [[rng.pick(L.subtotal), money(inv.subtotalCents), false]];
  if (inv.discountCents) rows.push([rng.pick(L.discount), money(-inv.discountCents), false]);
  if (inv.shippingCents) rows.push([rng.pick(L.shipping), money(inv.shippingCents), false]);
  const taxName = rng.pick(inv.lang.taxNames);
  for (const t of inv.taxes) rows.push([lay.taxLabel(taxName, rateText(t.rate, inv)), money(t.taxCents), false]);
  // Several rates: half the invoices also print the tax total, the others leave the sum to the reader.
  if (inv.taxes.length > 1 && rng.chance(0.5)) rows.push([taxName, money(inv.taxCents), false]);
  rows.push([rng.pick(L.total), money(inv.totalCents), true]);
  if (inv.paidCents) rows.push([rng.pick(L.paid), money(-inv.paidCents), false]);
  if (inv.amountDueCents !== null) rows.push([rng.pick(L.amountDue), money(inv.amountDueCents), true]);
  return `<table class="totals ${lay.totalsLeft ? 'left' : 'right'}">${rows.map(([l, v, b]) => `<tr class="${b ? 'b' : ''}"><td>${lay.label(l)}</td><td class="n">${v}</td></tr>`).join('')}</table>`;
}

function css(lay: Layout): string {
  const rules = {
    boxed: '.items td,.items th{border:1px solid #444}',
    ruled: '.items th{border-bottom:1.5px solid #000}.items td{border-bottom:0.5px solid #999}',
    plain: '',
    headerless: '.items{border-top:1px solid #000;border-bottom:1px solid #000}',
    zebra: '.items tbody tr:nth-child(even){background:#eee}.items th{background:#333;color:#fff}',
  }[lay.table];
  return `@page{size:A4;margin:14mm 14mm 18mm}body{font-family:'${lay.font}';font-size:${lay.fontPt}pt;color:#111;margin:0;width:182mm}
.top{display:flex;justify-content:space-between;${lay.sellerRight ? 'flex-direction:row-reverse;' : ''}}.seller .name{font-weight:bold;font-size:1.25em}
h1{font-size:2em;margin:0 0 4mm}.parties{display:flex;justify-content:space-between;margin:8mm 0 6mm}
table{border-collapse:collapse}td,th{padding:1.2mm 2mm;vertical-align:top;text-align:left}.n{text-align:right;white-space:nowrap}
.grid th{font-weight:bold;border-bottom:1px solid #000}.box td{border:1px solid #000}.kv td.l{font-weight:bold;padding-right:6mm}
.items{width:100%;margin:4mm 0}.items th{font-weight:bold}.detail{font-size:0.85em;color:#555}${rules}
.totals{margin-top:4mm;min-width:70mm}.totals.right{margin-left:auto}.totals tr.b td{font-weight:bold;border-top:1px solid #000}
.foot{margin-top:10mm;font-size:0.85em;color:#333}`;
}

export function invoiceHtml(rng: Rng, inv: Invoice): string {
  const lay = chooseLayout(rng, inv);
  const L = inv.lang.labels;
  const billTo = `<div><b>${esc(rng.pick(L.billTo))}</b><div>${esc(inv.customer)}</div><div>${esc(rng.pick(inv.lang.streets))}</div><div>${esc(rng.pick(inv.lang.cities))}</div></div>`;
  const iban = `IBAN ${rng.pick(['DE', 'FR', 'ES', 'IT', 'NL', 'PT', 'GB'])}${rng.int(10, 99)} ${rng.int(1000, 9999)} ${rng.int(1000, 9999)} ${rng.int(1000, 9999)} ${rng.int(1000, 9999)}`;
  const body = `<div class="top">${sellerBlock(inv)}<div><h1>${esc(inv.title)}</h1>${metaBlock(rng, inv, lay)}</div></div>
<div class="parties">${billTo}</div>${itemsTable(rng, inv, lay)}${totalsBlock(rng, inv, lay)}
<div class="foot"><div>${esc(rng.pick(L.terms))}</div><div>${iban}</div></div>`;
  return page(css(lay), body);
}
