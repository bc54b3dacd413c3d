/**
 * Line items from LineItemGroups: description, quantity, unit price, total; a missing total or
 * unit price is computed from the other two; header, totals and empty rows are dropped.
 */
import type { LineItem } from '../events.ts';
import { divideAmount, formatAmount, formatUnitAmount, multiplyAmount } from '../parse/amount.ts';
import { minorUnits } from '../parse/currency.ts';
import { cleanText, labelOf, type FieldView, type RowView } from './fields.ts';
import { amountOfField, quantityOf } from './values.ts';

export interface LineItemsResult {
  items: LineItem[];
  /** Mean confidence of the kept rows' fields, 0..1; null when there are no rows. */
  confidence: number | null;
  /** Rows whose amount carried a receipt-style tax letter ("899.99 S"). */
  taxFlagged: number;
}

// Labels of OTHER fields that still say which column they belong to.
const QTY_LABEL =
  /^(?:qty|quantity|quantit[ée]|menge|anzahl|aantal|ilo[śs][ćc]|cantidad|quantit[àa]|qt[ée]?|pcs|units?|hours?|hrs)\b/i;
const UNIT_LABEL =
  /(?:unit\s*price|price\s*per|rate|einzelpreis|prix\s*unitaire|p\.?\s*u\.?|stückpreis|stuksprijs|cena\s*jedn|precio\s*unitario|prezzo\s*unitario|unit\s*cost|^price$|^preis$|^prix$)/i;
const TOTAL_LABEL =
  /(?:amount|total|line\s*total|betrag|gesamt|montant|bedrag|totaal|importe|importo|warto[śs][ćc]|net\s*amount)/i;

// Column headings read as a row ("Description | Qty | Unit Price | Amount").
const HEADER_WORDS =
  /^(?:item|items|description|desc|product|service|article|artikel|bezeichnung|beschreibung|désignation|designation|omschrijving|descripci[óo]n|descrizione|opis|nazwa|qty|quantity|menge|unit\s*price|price|rate|amount|total|betrag|montant|no\.?|#|pos\.?|code|sku)$/i;
// Summary lines that the table detector sometimes keeps as rows.
const TOTALS_ROW =
  /^(?:sub\s*-?\s*total|total|grand\s*total|tax|vat|mwst|ust|tva|btw|iva|gst|balance(?:\s*due)?|amount\s*due|zwischensumme|gesamt(?:betrag)?|summe|total\s*ttc|total\s*ht|totaal|razem|change|cash|tend(?:er)?)\b[\s:]*$/i;

interface RawRow {
  description: string | null;
  quantity: number | null;
  unitPrice: string | null;
  total: string | null;
  confidences: number[];
  taxFlag: boolean;
}

function first(fields: readonly FieldView[], ...types: string[]): FieldView | undefined {
  return fields.find((f) => types.includes(f.type) && f.value !== '');
}

function describe(fields: readonly FieldView[]): string | null {
  const codes = fields
    .filter((f) => f.type === 'PRODUCT_CODE')
    .map((f) => f.value)
    .filter(Boolean);
  const parts = fields.filter((f) => (f.type === 'ITEM' || f.type === 'DESCRIPTION') && f.value !== '');
  let text = parts.length > 0 ? parts.map((f) => cleanText(f.raw, '\n')).join('\n') : '';
  if (!text) return null;
  // An article code that OCR glued onto the description is not part of it.
  for (const code of codes) {
    text = text
      .split('\n')
      .map((l) =>
        l.trim() === code ? '' : l.replace(new RegExp(`\\s+${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), ''),
      )
      .join('\n');
  }
  const out = cleanText(text);
  return out || null;
}

function readRow(row: RowView, hint: ',' | '.' | undefined): RawRow {
  const fields = row.fields.filter((f) => f.type !== 'EXPENSE_ROW');
  const opt = hint ? { decimalSeparator: hint } : undefined;
  const confidences: number[] = [];
  let taxFlag = false;
  const money = (f: FieldView | undefined): string | null => {
    if (!f) return null;
    const a = amountOfField(f.value, opt);
    if (!a) return null;
    confidences.push(f.confidence);
    if (a.taxFlag) taxFlag = true;
    return a.value;
  };

  const description = describe(fields);
  for (const f of fields)
    if ((f.type === 'ITEM' || f.type === 'DESCRIPTION') && f.value) confidences.push(f.confidence);

  const others = fields.filter((f) => f.type === 'OTHER' && f.value !== '');
  const qtyField = first(fields, 'QUANTITY') ?? others.find((f) => QTY_LABEL.test(labelOf(f)));
  let quantity: number | null = null;
  if (qtyField) {
    quantity = quantityOf(qtyField.value, opt);
    if (quantity !== null) confidences.push(qtyField.confidence);
  }

  const unitPrice = money(first(fields, 'UNIT_PRICE') ?? others.find((f) => UNIT_LABEL.test(labelOf(f))));
  // Several PRICE/TOTAL fields in one row: the one labelled as an amount, else the right-most
  // (last) one, which is where line totals sit.
  const totals = fields.filter((f) => (f.type === 'PRICE' || f.type === 'TOTAL') && f.value !== '');
  const totalField =
    totals.find((f) => TOTAL_LABEL.test(labelOf(f)) && !UNIT_LABEL.test(labelOf(f))) ??
    totals[totals.length - 1] ??
    others.find((f) => TOTAL_LABEL.test(labelOf(f)));
  const total = money(totalField);
  return { description, quantity, unitPrice, total, confidences, taxFlag };
}

function isHeaderRow(r: RawRow, row: RowView): boolean {
  if (r.unitPrice !== null || r.total !== null) return false;
  const words = row.fields.filter((f) => f.type !== 'EXPENSE_ROW' && f.value !== '').map((f) => f.value);
  return words.length > 0 && words.every((w) => HEADER_WORDS.test(w.trim()) || /^\W+$/.test(w));
}

export function extractLineItems(
  rows: readonly RowView[],
  currency: string | null,
  hint: ',' | '.' | undefined,
): LineItemsResult {
  const items: LineItem[] = [];
  const conf: number[] = [];
  let taxFlagged = 0;
  const minor = currency ? minorUnits(currency) : 2;

  for (const row of rows) {
    const r = readRow(row, hint);
    if (r.description === null && r.quantity === null && r.unitPrice === null && r.total === null) continue;
    if (isHeaderRow(r, row)) continue;
    if (r.description && TOTALS_ROW.test(r.description)) continue;

    const total =
      r.total ?? (r.unitPrice !== null && r.quantity !== null ? multiplyAmount(r.unitPrice, r.quantity) : null);
    // A printed unit price keeps its printed precision ("0.1234"); a derived one is money
    // rounded to the currency's minor unit (264.50 / 3 → "88.17", not "88.1667").
    let unitPrice: string | null = r.unitPrice === null ? null : formatUnitAmount(r.unitPrice, currency);
    if (unitPrice === null && total !== null && r.quantity !== null && r.quantity !== 0) {
      unitPrice = divideAmount(total, r.quantity, minor);
    }

    items.push({
      description: r.description,
      quantity: r.quantity,
      unit_price: unitPrice,
      total: total === null ? null : formatAmount(total, currency),
    });
    conf.push(...r.confidences);
    if (r.taxFlag) taxFlagged++;
  }
  const confidence = conf.length > 0 ? conf.reduce((a, b) => a + b, 0) / conf.length : null;
  return { items, confidence, taxFlagged };
}
