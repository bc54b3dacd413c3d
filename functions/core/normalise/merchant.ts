/**
 * Merchant (vendor) name: VENDOR_NAME, else a NAME in the VENDOR group, else the vendor's web
 * host, else the top-most meaningful OCR line of page 1.
 */
import { parseAmount } from '../parse/amount.ts';
import { parseDate } from '../parse/date.ts';
import { cleanText, fieldsOfType, type FieldView, type LineView, type RowView } from './fields.ts';
import type { Picked } from './summary-fields.ts';

// Words printed at the top of documents that are not the issuer.
const GENERIC_LINE =
  /^(?:(?:tax|vat|commercial|proforma|pro-forma|sales|cash|original|duplicate|copy|final)\s+)*(?:invoice|receipt|bill|statement|quote|quotation|estimate|order|credit\s*note|debit\s*note|delivery\s*note|packing\s*slip|rechnung|quittung|beleg|kassenbon|gutschrift|facture|reçu|ticket|factura|recibo|fattura|ricevuta|scontrino|faktura|paragon|rachunek|factuur|kwitantie|bon|nota|page\s*\d+.*|copy|original|duplicate|customer\s*copy|merchant\s*copy|welcome|thank\s*you.*|date|total|tel.*|phone.*|fax.*|www\..*|https?:.*)[\s:.#\d-]*$/i;

function cleanName(text: string): string | null {
  const v = cleanText(text)
    .replace(/^[-–—|*•·\s]+|[-–—|*•·,:;\s]+$/g, '')
    .trim();
  return v && /\p{L}/u.test(v) ? v : null;
}

/** "https: //www.amazon.com/x" → "Amazon.com"; null when it is not a host. */
export function nameFromUrl(url: string): string | null {
  const host = url
    .replace(/\s+/g, '')
    .replace(/^[a-z]+:\/*/i, '')
    .replace(/^www\d*\./i, '')
    .split(/[/?#:@]/)[0]
    ?.toLowerCase();
  if (!host || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(host)) return null;
  return host.charAt(0).toUpperCase() + host.slice(1);
}

function looksLikeData(text: string): boolean {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const digits = (text.match(/\d/g) ?? []).length;
  if (letters < 2 || digits > letters) return true;
  if (parseAmount(text) || parseDate(text)) return true;
  if (/@|\bwww\.|https?:/i.test(text)) return true;
  return false;
}

export function pickMerchant(
  summary: readonly FieldView[],
  rows: readonly RowView[],
  lines: readonly LineView[],
): Picked<string> | null {
  for (const f of fieldsOfType(summary, 'VENDOR_NAME')) {
    const v = cleanName(f.raw);
    if (v) return { value: v, confidence: f.confidence };
  }
  for (const f of fieldsOfType(summary, 'NAME').filter((x) => x.groups.includes('VENDOR'))) {
    const v = cleanName(f.raw);
    if (v) return { value: v, confidence: f.confidence };
  }
  for (const f of fieldsOfType(summary, 'VENDOR_URL')) {
    const v = nameFromUrl(f.value);
    if (v) return { value: v, confidence: f.confidence * 0.8 };
  }

  // Top-most line of page 1 that is neither a heading word nor data that belongs to a field.
  const used = new Set<string>();
  for (const r of rows)
    for (const f of r.fields) for (const l of f.raw.split('\n')) used.add(cleanText(l).toLowerCase());
  for (const f of summary) {
    if (f.type === 'VENDOR_NAME' || f.type === 'NAME') continue;
    for (const l of f.raw.split('\n')) used.add(cleanText(l).toLowerCase());
    if (f.label) used.add(f.label.toLowerCase());
  }
  const firstPage = Math.min(...lines.map((l) => l.page));
  // The issuer sits above the item table: nothing at or below the first item row qualifies.
  const itemTops = rows
    .flatMap((r) => r.fields)
    .filter((f) => f.page === firstPage && f.top !== null)
    .map((f) => f.top ?? 1);
  // Nor does anything from the recipient's block down: the issuer's letterhead sits above the
  // address it is sent to, and the lines under that address are the recipient's ("Attn …").
  const receiverTops = summary
    .filter((f) => f.type.startsWith('RECEIVER_') && f.page === firstPage && f.top !== null)
    .map((f) => f.top ?? 1);
  const ceiling = Math.min(0.35, ...itemTops.map((t) => t - 0.005), ...receiverTops.map((t) => t - 0.005));
  const usedList = [...used].filter((u) => u.length >= 4);
  const candidates = lines
    .filter((l) => l.page === firstPage && l.top < ceiling)
    .sort((a, b) => a.top - b.top || a.left - b.left);
  for (const l of candidates) {
    const name = cleanName(l.text);
    if (!name || GENERIC_LINE.test(name) || looksLikeData(name)) continue;
    const lower = name.toLowerCase();
    if (used.has(lower) || usedList.some((u) => lower.includes(u))) continue;
    return { value: name, confidence: l.confidence * 0.5 };
  }
  return null;
}
