/**
 * A flat, cleaned view of an AnalyzeExpense response: every summary field of every
 * ExpenseDocument (pages merged), the line items in page order, and the OCR lines.
 */
import type { AnalyzeExpenseResult, Block, ExpenseField } from '../analyze-expense.ts';

export interface FieldView {
  /** Textract field type, upper case ("TOTAL", "VENDOR_NAME", "OTHER"). */
  type: string;
  /** Label text as printed, whitespace collapsed; null when Textract found none. */
  label: string | null;
  /** Value text with line breaks kept (some consumers want lines). */
  raw: string;
  /** Value text, lines joined with a space, punctuation-only lines dropped; "" when empty. */
  value: string;
  /** 0..1 */
  confidence: number;
  page: number;
  currencyCode: string | null;
  currencyConfidence: number | null;
  groups: string[];
  /** Position of the ExpenseDocument the field came from (response order). */
  doc: number;
  /** Position inside its list, to keep ties stable. */
  order: number;
  /** Page-relative top of the value box (0..1), when Textract gave geometry. */
  top: number | null;
}

export interface RowView {
  page: number;
  doc: number;
  fields: FieldView[];
}

export interface LineView {
  text: string;
  page: number;
  top: number;
  left: number;
  confidence: number;
}

export interface ResponseView {
  summary: FieldView[];
  rows: RowView[];
  lines: LineView[];
  pageCount: number;
}

/** Collapse white space; drop lines that hold only punctuation ("-", "—", "|"). */
export function cleanText(text: string | undefined | null, joiner = ' '): string {
  if (!text) return '';
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/[\s\u00a0\u202f]+/g, ' ').trim())
    .filter((l) => l.length > 0 && /[\p{L}\p{N}]/u.test(l))
    .join(joiner)
    .replace(/[^\S\n]+/g, ' ')
    .trim();
}

function confidenceOf(f: ExpenseField): number {
  const c = f.ValueDetection?.Confidence ?? f.Type?.Confidence;
  if (typeof c !== 'number' || !Number.isFinite(c)) return 0.5;
  return Math.min(1, Math.max(0, c / 100));
}

function view(f: ExpenseField, doc: number, order: number, fallbackPage: number): FieldView {
  const raw = f.ValueDetection?.Text ?? '';
  const labelText = cleanText(f.LabelDetection?.Text);
  const cc = f.Currency?.Code?.trim().toUpperCase();
  return {
    type: (f.Type?.Text ?? 'OTHER').trim().toUpperCase(),
    label: labelText || null,
    raw,
    value: cleanText(raw),
    confidence: confidenceOf(f),
    page: typeof f.PageNumber === 'number' && f.PageNumber > 0 ? f.PageNumber : fallbackPage,
    currencyCode: cc && /^[A-Z]{3}$/.test(cc) ? cc : null,
    currencyConfidence:
      typeof f.Currency?.Confidence === 'number' ? Math.min(1, Math.max(0, f.Currency.Confidence / 100)) : null,
    groups: (f.GroupProperties ?? []).flatMap((g) => g.Types ?? []).map((t) => t.toUpperCase()),
    doc,
    order,
    top: f.ValueDetection?.Geometry?.BoundingBox?.Top ?? null,
  };
}

function pageOfDoc(fields: ExpenseField[] | undefined, blocks: Block[] | undefined, index: number): number {
  const fromFields = fields?.find((f) => typeof f.PageNumber === 'number')?.PageNumber;
  const fromBlocks = blocks?.find((b) => typeof b.Page === 'number')?.Page;
  return fromFields ?? fromBlocks ?? index + 1;
}

/** Flatten the response; tolerant of every missing piece (all AWS shape members are optional). */
export function viewResponse(result: AnalyzeExpenseResult): ResponseView {
  const docs = Array.isArray(result.ExpenseDocuments) ? result.ExpenseDocuments : [];
  const summary: FieldView[] = [];
  const rows: RowView[] = [];
  const blockSeen = new Set<string>();
  const blocks: Block[] = [];
  const addBlocks = (bs: Block[] | undefined) => {
    for (const b of bs ?? []) {
      if (b.Id) {
        if (blockSeen.has(b.Id)) continue;
        blockSeen.add(b.Id);
      }
      blocks.push(b);
    }
  };
  addBlocks(result.Blocks);

  docs.forEach((d, di) => {
    const rowFields = (d.LineItemGroups ?? []).flatMap((g) =>
      (g.LineItems ?? []).map((li) => li.LineItemExpenseFields ?? []),
    );
    const docPage = pageOfDoc([...(d.SummaryFields ?? []), ...rowFields.flat()], d.Blocks, di);
    for (const [i, f] of (d.SummaryFields ?? []).entries()) summary.push(view(f, di, i, docPage));
    let order = 0;
    for (const g of d.LineItemGroups ?? []) {
      for (const li of g.LineItems ?? []) {
        const fields = (li.LineItemExpenseFields ?? []).map((f) => view(f, di, order++, docPage));
        const page = fields.find((f) => f.type !== 'EXPENSE_ROW')?.page ?? fields[0]?.page ?? docPage;
        rows.push({ page, doc: di, fields });
      }
    }
    addBlocks(d.Blocks);
  });

  // Page order first, then response order: async results list documents per page already, but
  // a merged or hand-built response may not.
  rows.sort((a, b) => a.page - b.page || a.doc - b.doc);

  const lines: LineView[] = blocks
    .filter((b) => b.BlockType === 'LINE' && typeof b.Text === 'string' && b.Text.trim() !== '')
    .map((b) => ({
      text: cleanText(b.Text),
      page: typeof b.Page === 'number' ? b.Page : 1,
      top: b.Geometry?.BoundingBox?.Top ?? 0,
      left: b.Geometry?.BoundingBox?.Left ?? 0,
      confidence: typeof b.Confidence === 'number' ? b.Confidence / 100 : 0.5,
    }))
    .filter((l) => l.text !== '');

  const pages = [
    result.DocumentMetadata?.Pages ?? 0,
    ...summary.map((f) => f.page),
    ...rows.map((r) => r.page),
    ...lines.map((l) => l.page),
    docs.length > 0 ? 1 : 0,
  ];
  const pageCount = Math.max(1, ...pages.filter((p) => Number.isFinite(p)));
  return { summary, rows, lines, pageCount };
}

/** Fields of the given types, non-empty, best first (confidence, then page, then order). */
export function fieldsOfType(summary: readonly FieldView[], ...types: string[]): FieldView[] {
  return summary
    .filter((f) => types.includes(f.type) && f.value !== '')
    .sort((a, b) => b.confidence - a.confidence || a.page - b.page || a.doc - b.doc || a.order - b.order);
}

/** Lower-case label for matching; "" when there is none. */
export function labelOf(f: FieldView): string {
  return (f.label ?? '').toLowerCase();
}
