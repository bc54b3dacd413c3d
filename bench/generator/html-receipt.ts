/** Narrow till receipts (58 or 80 mm): centred header, items, tax-included line, rounding, cash. */
import { formatAmount, formatDate, formatQuantity } from './format.ts';
import { esc, FONTS, MONO_FONTS, page } from './html-common.ts';
import type { Rng } from './prng.ts';
import type { Receipt } from './receipt-model.ts';

const row = (left: string, right: string, bold = false): string =>
  `<div class="r${bold ? ' b' : ''}"><span>${left}</span><span>${right}</span></div>`;

function header(rng: Rng, r: Receipt): string {
  const s = r.seller;
  const reg = rng.chance(0.5)
    ? `<div>(${rng.pick(['Co. Reg.', 'Co No', 'ROC'])} ${rng.int(100000, 999999)}-${rng.pick(['X', 'A', 'K', 'U'])})</div>`
    : '';
  return `<div class="c"><div class="name">${esc(s.name)}</div>${reg}<div>${esc(s.street)}</div><div>${esc(s.city)}</div>${rng.chance(0.6) ? `<div>TEL: ${esc(s.phone)}</div>` : ''}${s.taxId ? `<div>${esc(s.taxId)}</div>` : ''}</div>`;
}

function meta(rng: Rng, r: Receipt): string {
  const date = formatDate(r.date, r.dates, r.lang);
  const no = `${esc(rng.pick(r.lang.receipt.receiptNo))}: ${esc(r.number)}`;
  const when = rng.chance(0.5)
    ? row(esc(date), esc(r.time))
    : `<div>${rng.chance(0.5) ? 'Date: ' : ''}${esc(date)} ${esc(r.time)}</div>`;
  return `<div class="sep"></div>${rng.chance(0.5) ? `<div>${no}</div>${when}` : `${when}<div>${no}</div>`}${rng.chance(0.4) ? `<div>Cashier: ${rng.int(1, 20)}</div>` : ''}<div class="sep"></div>`;
}

function items(rng: Rng, r: Receipt): string {
  const money = (c: number): string => esc(formatAmount(c, r.amounts, false));
  const qtyFirst = rng.chance(0.5);
  return r.lines
    .map((l) => {
      if (l.quantity === 1 && rng.chance(0.6)) return row(esc(l.description), money(l.amountCents));
      const q = formatQuantity(l.quantity, 0, r.amounts.number);
      return qtyFirst
        ? row(`${q} x ${esc(l.description)}`, money(l.amountCents))
        : `<div>${esc(l.description)}</div>${row(`&nbsp;&nbsp;${q} x ${money(l.unitCents)}`, money(l.amountCents))}`;
    })
    .join('');
}

function totals(rng: Rng, r: Receipt): string {
  const R = r.lang.receipt;
  const money = (c: number): string => esc(formatAmount(c, r.amounts, rng.chance(0.5)));
  const parts = [`<div class="sep"></div>`];
  if (r.roundingCents !== 0) {
    parts.push(
      row(
        esc(
          rng.pick(
            r.lang.code === 'en'
              ? ['Total Sales (Inclusive of GST)', 'Sub Total', 'Subtotal', 'Total Sales']
              : r.lang.labels.subtotal,
          ),
        ),
        money(r.grossCents),
      ),
    );
    parts.push(row(esc(rng.pick(R.rounding)), money(r.roundingCents)));
  }
  const label = rng.pick(r.roundingCents !== 0 ? R.total.filter((t) => !/inclusive/i.test(t)) : R.total);
  parts.push(row(esc(label), esc(formatAmount(r.totalCents, r.amounts)), true));
  if (r.rate > 0) {
    const tax = formatAmount(r.taxIncludedCents, r.amounts, false);
    parts.push(`<div class="small">${esc(rng.pick(R.taxIncluded)(tax, r.rate))}</div>`);
  }
  if (r.cashCents > r.totalCents) {
    parts.push(row(esc(rng.pick(R.cash)), money(r.cashCents)));
    parts.push(row(esc(rng.pick(R.change)), money(r.cashCents - r.totalCents)));
  }
  return parts.join('');
}

export function receiptHtml(rng: Rng, r: Receipt): string {
  const font = rng.chance(0.7) ? rng.pick(MONO_FONTS) : rng.pick(FONTS);
  const upper = rng.chance(0.4) ? 'text-transform:uppercase;' : '';
  const css = `body{margin:0;padding:0 !important;background:#fff}.paper{width:${r.widthMm}mm;padding:4mm 3mm;font-family:'${font}';font-size:${r.widthMm === 58 ? 7.5 : 9}pt;color:#111;${upper}}
.c{text-align:center}.name{font-weight:bold;font-size:1.15em}.r{display:flex;justify-content:space-between;gap:2mm}.b{font-weight:bold;font-size:1.1em}
.sep{border-top:1px dashed #333;margin:1.5mm 0}.small{font-size:0.9em}`;
  const body = `<div class="paper">${header(rng, r)}${meta(rng, r)}${items(rng, r)}${totals(rng, r)}<div class="sep"></div><div class="c">${esc(rng.pick(r.lang.receipt.thanks))}</div></div>`;
  return page(css, body);
}
