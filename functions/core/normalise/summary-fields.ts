/**
 * Header text fields: invoice id, dates, parties, PO number, payment terms, tax id.
 */
import { parseDate } from '../parse/date.ts';
import { cleanText, fieldsOfType, labelOf, type FieldView } from './fields.ts';
import type { DayFirstDecision } from './locale.ts';

export interface Picked<T> {
  value: T;
  confidence: number;
}

// "Invoice #1258", "No. 42", "Rechnung Nr. 7": a label Textract left inside the value.
const ID_PREFIX =
  /^(?:(?:(?:tax\s+)?invoice|receipt|rechnung|facture|factura|fattura|faktura|factuur|bill)(?:\s*(?:no|nr|num|number|nummer|numéro|numero|n°|nº|id)(?![\p{L}]))?|no|nr|number|n°|nº)[\s.:#]+|^#\s*/iu;

// A label that already ends in its number word ("Invoice No:", "Order Number"): a "#" that
// follows is then printed as part of the id ("No: #BLR_123"), not a number sign.
const LABEL_HAS_NUMBER_WORD = /(?:^|[^\p{L}])(?:no|nr|num|number|nummer|num[ée]ro|n°|nº|id|#)\.?\s*:?\s*$/iu;

/**
 * Strip a label echoed into the value; keep the value when nothing id-like would remain.
 * A leading "#" is a number sign ("Invoice #1258" → "1258") unless the label already carried
 * its number word, in which case it belongs to the printed id ("Invoice No: #A-1" → "#A-1").
 */
export function cleanId(value: string, label?: string | null): string | null {
  const v = cleanText(value);
  if (!v) return null;
  if (label && LABEL_HAS_NUMBER_WORD.test(cleanText(label)) && /^#\s*[\p{L}\p{N}]/u.test(v)) {
    const rest = v.replace(/^#\s*/, '');
    if (/\d/.test(rest) && !/\s/.test(rest)) return `#${rest}`;
  }
  const stripped = v.replace(ID_PREFIX, '').trim();
  const out = stripped && /\d/.test(stripped) ? stripped : v;
  return out.replace(/^[#:\s]+/, '').trim() || null;
}

export function pickInvoiceId(summary: readonly FieldView[]): Picked<string> | null {
  for (const f of fieldsOfType(summary, 'INVOICE_RECEIPT_ID')) {
    const id = cleanId(f.value, f.label);
    if (id) return { value: id, confidence: f.confidence };
  }
  return null;
}

function pickText(
  summary: readonly FieldView[],
  types: string[],
  clean: (f: FieldView) => string | null = (f) => f.value || null,
): Picked<string> | null {
  for (const f of fieldsOfType(summary, ...types)) {
    const v = clean(f);
    if (v) return { value: v, confidence: f.confidence };
  }
  return null;
}

export function pickPoNumber(summary: readonly FieldView[]): Picked<string> | null {
  return pickText(summary, ['PO_NUMBER'], (f) => cleanId(f.value));
}

export function pickPaymentTerms(summary: readonly FieldView[]): Picked<string> | null {
  return pickText(summary, ['PAYMENT_TERMS']);
}

export function pickVendorTaxId(summary: readonly FieldView[]): Picked<string> | null {
  const clean = (f: FieldView) => {
    const v = f.value
      .replace(
        /^(?:vat|tax|ust|tva|btw|gst|abn|pan|nip|ein|tin)(?:[\s.-]*(?:id|no|nr|number|reg(?:istration)?))?\.?\s*[:#]?\s*/i,
        '',
      )
      .trim();
    return v && /\d/.test(v) ? v : null;
  };
  // The vendor's own registration numbers first; a bare TAX_PAYER_ID is usually the vendor's too.
  return (
    pickText(summary, ['VENDOR_VAT_NUMBER', 'VENDOR_GST_NUMBER', 'VENDOR_ABN_NUMBER', 'VENDOR_PAN_NUMBER'], clean) ??
    pickText(summary, ['TAX_PAYER_ID'], clean)
  );
}

/** Address lines joined with ", " ("123 Some Street, Some City, XYZ, USA"). */
function addressText(f: FieldView): string | null {
  const v = cleanText(f.raw, '\n')
    .split('\n')
    .map((l) => l.replace(/[,;]\s*$/, '').trim())
    .filter(Boolean)
    .join(', ');
  return v || null;
}

export function pickVendorAddress(summary: readonly FieldView[]): Picked<string> | null {
  return (
    pickText(summary, ['VENDOR_ADDRESS'], addressText) ??
    pickText(
      summary.filter((f) => f.groups.includes('VENDOR')),
      ['ADDRESS', 'ADDRESS_BLOCK'],
      addressText,
    )
  );
}

// A person named after "Attn:" is a contact, not the customer.
const CONTACT_LABEL = /\b(attn|attention|z\.?\s*hd|c\/o|contact|ansprechpartner)\b/i;

export function pickCustomerName(summary: readonly FieldView[]): Picked<string> | null {
  const candidates = [
    ...fieldsOfType(summary, 'RECEIVER_NAME'),
    ...fieldsOfType(summary, 'NAME').filter((f) => f.groups.includes('RECEIVER')),
  ];
  const ranked = candidates
    .map((f) => ({ f, score: f.confidence - (CONTACT_LABEL.test(labelOf(f)) ? 1 : 0) }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0];
  return best ? { value: best.f.value, confidence: best.f.confidence } : null;
}

export interface DatePick {
  iso: string;
  confidence: number;
  ambiguous: boolean;
}

function pickDateOf(fields: readonly FieldView[], order: DayFirstDecision): DatePick | null {
  for (const f of fields) {
    const d = parseDate(f.value, order.dayFirst === undefined ? undefined : { dayFirst: order.dayFirst });
    if (!d) continue;
    // A hint that came from a guess (assumed currency) leaves the reading ambiguous.
    const numericAmbiguous = parseDate(f.value)?.ambiguous ?? false;
    const ambiguous = d.ambiguous || (numericAmbiguous && !order.trusted);
    return { iso: d.iso, confidence: f.confidence * (ambiguous ? 0.8 : 1), ambiguous };
  }
  return null;
}

// OTHER fields that still carry the document date on older models ("Date of Visit", "Statement Date").
const DATE_LABEL = /\b(date|datum|fecha|data|dated|invoice date|issued?)\b/i;
const NOT_DOC_DATE =
  /birth|dob|geburt|naissance|expir|exp\.|valid|due|fällig|échéance|vencimiento|delivery|lieferung|livraison|ship|order|service dates|from|to|period|zeitraum/i;

export function pickDate(summary: readonly FieldView[], order: DayFirstDecision): DatePick | null {
  const direct = pickDateOf(fieldsOfType(summary, 'INVOICE_RECEIPT_DATE'), order);
  if (direct) return direct;
  const fallback = fieldsOfType(summary, 'OTHER', 'ORDER_DATE').filter(
    (f) => f.type === 'ORDER_DATE' || (DATE_LABEL.test(labelOf(f)) && !NOT_DOC_DATE.test(labelOf(f))),
  );
  const d = pickDateOf(fallback, order);
  return d ? { ...d, confidence: d.confidence * 0.7 } : null;
}

export function pickDueDate(summary: readonly FieldView[], order: DayFirstDecision): DatePick | null {
  return pickDateOf(fieldsOfType(summary, 'DUE_DATE'), order);
}

/** Every date-looking text of the document, for the day/month order decision. */
export function dateTexts(summary: readonly FieldView[]): string[] {
  return summary
    .filter(
      (f) =>
        f.type === 'INVOICE_RECEIPT_DATE' ||
        f.type === 'DUE_DATE' ||
        f.type === 'ORDER_DATE' ||
        f.type === 'DELIVERY_DATE' ||
        (f.type === 'OTHER' && DATE_LABEL.test(labelOf(f))),
    )
    .map((f) => f.value);
}
