/**
 * docuhook's offline extractor: bytes → an AnalyzeExpense-shaped result, so the same normaliser
 * serves Textract and local mode. Steps: sniff → text (PDF text layer; OCR for images and scans)
 * → lines → fields / parties / line items → Textract shapes. It reads what the document shows:
 * e-invoice XML (uploaded, or embedded in a PDF) is read before analysis by the EInvoiceReader
 * port (functions/adapters/pdf-embedded-xml.ts), in the pipeline and `docuhook extract` alike.
 */
import type {
  AnalyzeExpenseResult,
  Block,
  ExpenseDetection,
  ExpenseField,
  LineItemFields,
  LineItemGroup,
} from '../core/analyze-expense.ts';
import { sniffFileType, type FileKind } from '../core/file-type.ts';
import { boundedPage } from './bounded-text.ts';
import { ExtractionError } from './errors.ts';
import { findFieldCandidates, selectFields, type FieldCandidate } from './fields.ts';
import { findHeaderlessItems, printedTotals } from './headerless-tables.ts';
import { imagePages } from './image/decode.ts';
import { pageRaster } from './image/pdfjs-raster.ts';
import { renderPage } from './image/render.ts';
import { boxOf, buildLines, type TextPage } from './layout.ts';
import { ocrPool, type OcrPool } from './ocr.ts';
import { findParties, withPageSpelling } from './parties.ts';
import { deadline, openPdf, type PdfjsDoc } from './pdf-doc.ts';
import { checkPageCount, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS, readDocText, textChars } from './pdf-text.ts';
import { findLineItems, type ItemCell, type ItemRow } from './tables.ts';
import type { Line, Word } from './types.ts';

export { ExtractionError, NoTextLayerError } from './errors.ts';
export { closeOcr, OcrPool } from './ocr.ts';

export interface ExtractOptions {
  /** Declared type; only used in messages: the bytes decide what the file is. */
  contentType?: string;
  maxPages?: number;
  /** Whole-document budget (PDF parsing, image decoding and OCR). */
  timeoutMs?: number;
  /** OCR pool to use; default: the shared process-wide pool. */
  ocr?: OcrPool;
}

/** The AnalyzeExpense shape, and how its text was obtained. */
export interface ExtractResult extends AnalyzeExpenseResult {
  textSource?: 'text-layer' | 'ocr';
}

/** Scans over this many pages are refused before any OCR (OCR costs about a second per page). */
export const DEFAULT_MAX_OCR_PAGES = 20;

export async function extractExpense(bytes: Uint8Array, options: ExtractOptions = {}): Promise<ExtractResult> {
  if (bytes.length === 0)
    throw new ExtractionError('EMPTY_FILE', 'The uploaded file is empty (0 bytes). Upload the invoice file again.');
  const kind = sniffFileType(bytes.subarray(0, 4096));
  if (kind === 'xml') {
    // E-invoice XML is read before analysis; here it only arrives when that was switched off.
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      'This is an XML e-invoice: it has no visual form to read. Extract it without --visual-only.',
    );
  }
  const d = deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, kind === 'pdf' ? 'PDF' : 'image');
  try {
    return await Promise.race([extractKind(bytes, kind, options, d), d.timeout]);
  } finally {
    d.clear();
  }
}

type Deadline = ReturnType<typeof deadline>;

async function extractKind(
  bytes: Uint8Array,
  kind: FileKind,
  options: ExtractOptions,
  d: Deadline,
): Promise<ExtractResult> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  switch (kind) {
    case 'pdf':
      return extractPdf(bytes, options, d);
    case 'png':
    case 'jpeg':
    case 'tiff': {
      await d.checkpoint();
      const pool = options.ocr ?? ocrPool();
      const pages: TextPage[] = [];
      // One decoded page in memory at a time.
      for await (const raster of imagePages(bytes, kind, Math.min(maxPages, DEFAULT_MAX_OCR_PAGES))) {
        await d.checkpoint();
        pages.push(await pool.recognizePage(raster, pages.length + 1));
        await d.checkpoint();
      }
      return { ...discountOcr(analyse(pages)), textSource: 'ocr' };
    }
    default:
      throw new ExtractionError(
        'UNSUPPORTED_FORMAT',
        `The file is not a PDF or an image${options.contentType ? ` (declared as ${options.contentType})` : ''}. Accepted formats are PDF, PNG, JPEG, TIFF and XML e-invoices.`,
      );
  }
}

async function extractPdf(bytes: Uint8Array, options: ExtractOptions, d: Deadline): Promise<ExtractResult> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let doc: PdfjsDoc | undefined;
  try {
    await d.checkpoint();
    doc = await openPdf(bytes);
    await d.checkpoint();
    checkPageCount(doc.numPages, maxPages);
    const text = await readDocText(doc, d.checkpoint);
    if (textChars(text) >= 8) {
      return {
        ...analyse(
          text.map((p) => ({ pageNumber: p.pageNumber, width: p.widthPt, height: p.heightPt, words: p.words })),
        ),
        textSource: 'text-layer',
      };
    }
    // No text layer: a scan. OCR the dominant image of each page.
    if (doc.numPages > DEFAULT_MAX_OCR_PAGES) {
      throw new ExtractionError(
        'TOO_MANY_PAGES',
        `This scanned PDF has ${doc.numPages} pages; at most ${DEFAULT_MAX_OCR_PAGES} scanned pages are processed per document. Split the file and upload the invoices separately.`,
      );
    }
    const pool = options.ocr ?? ocrPool();
    const pages: TextPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const raster = await pageRaster(page);
      page.cleanup();
      await d.checkpoint();
      // Not one dominant page image (strips, vector glyphs): render the page where pdfjs can.
      const image =
        raster && raster.coverage >= 0.5
          ? raster.image
          : ((await renderPage(doc, n, pool.targetDpi)) ?? (raster && raster.coverage >= 0.2 ? raster.image : null));
      if (!image) continue; // a blank page, or only a logo
      pages.push(await pool.recognizePage(image, n));
      await d.checkpoint();
    }
    // Blank pages give an empty result: the pipeline's evidence check ends it as NOT_AN_INVOICE.
    return { ...discountOcr(analyse(pages)), DocumentMetadata: { Pages: doc.numPages }, textSource: 'ocr' };
  } finally {
    await doc?.destroy().catch(() => undefined);
  }
}

/**
 * OCR misreads digits and letters that layout rules cannot check: a field found the same way on a
 * scan is less certain than on a text layer. Measured on the development sets, OCR'd fields at a
 * given score are right noticeably less often; this factor keeps "≥ 0.9" meaning "≥ 95 % right".
 */
const OCR_CONFIDENCE_FACTOR = 0.9;

function discountOcr(result: AnalyzeExpenseResult): AnalyzeExpenseResult {
  const scale = (c: number | undefined): number | undefined =>
    c === undefined ? c : Math.round(c * OCR_CONFIDENCE_FACTOR * 10) / 10;
  for (const doc of result.ExpenseDocuments ?? []) {
    for (const f of [
      ...(doc.SummaryFields ?? []),
      ...(doc.LineItemGroups ?? []).flatMap((g) => (g.LineItems ?? []).flatMap((li) => li.LineItemExpenseFields ?? [])),
    ]) {
      if (f.Type) f.Type.Confidence = scale(f.Type.Confidence);
      if (f.ValueDetection) f.ValueDetection.Confidence = scale(f.ValueDetection.Confidence);
      if (f.LabelDetection) f.LabelDetection.Confidence = scale(f.LabelDetection.Confidence);
      if (f.Currency) f.Currency.Confidence = scale(f.Currency.Confidence);
    }
  }
  return result;
}

/** Layout analysis of text pages into an AnalyzeExpense result. Exposed for the OCR path and tests. */
export function analyse(unbounded: TextPage[]): AnalyzeExpenseResult {
  const pages = unbounded.map(boundedPage);
  const lines = buildLines(pages);
  const tables = findLineItems(lines);
  // Column headers of item tables (and their second header lines) are not summary labels.
  const headerLines = new Set<number>();
  for (const t of tables) {
    const first = t.rows[0]?.rowWords[0];
    const firstLine = first ? lines.findIndex((l) => l.words.includes(first)) : t.headerLine + 1;
    for (let i = t.headerLine; i < Math.max(firstLine, t.headerLine + 1); i++) headerLines.add(i);
  }
  const { candidates, documentCurrency } = findFieldCandidates(lines, headerLines);
  const chosen = selectFields(candidates);
  const parties = findParties(lines);
  for (const type of ['VENDOR_NAME', 'RECEIVER_NAME'] as const) {
    const best = parties.filter((p) => p.type === type).sort((a, b) => b.score - a.score || a.line - b.line)[0];
    if (best) chosen.set(type, withPageSpelling(best, lines));
  }
  const currency = chosen.get('_CURRENCY')?.currency ?? documentCurrency;
  chosen.delete('_CURRENCY');
  // No table with a header row: look for one without, checked against the totals just found.
  const itemTables: ItemRow[][] = tables.length
    ? tables.map((t) => t.rows)
    : [findHeaderlessItems(lines, totalsOf(chosen))].filter((rows) => rows.length);

  const summary: ExpenseField[] = [];
  // AnalyzeExpense has no payment-method type: like Textract, report it as OTHER with its label.
  for (const [type, c] of chosen) summary.push(toField(type === 'PAYMENT_METHOD' ? 'OTHER' : type, c, currency));
  // Other labelled dates (delivery, order, period) as OTHER fields, as Textract reports them:
  // they are evidence for the document's day/month order.
  for (const c of candidates.filter((x) => x.type === '_OTHER_DATE' && x.label.length).slice(0, 6))
    summary.push(toField('OTHER', c, null));
  summary.sort((a, b) => (a.PageNumber ?? 0) - (b.PageNumber ?? 0));

  const groups: LineItemGroup[] = itemTables.map((rows, gi) => ({
    LineItemGroupIndex: gi,
    LineItems: rows.map((row): LineItemFields => {
      const fields: ExpenseField[] = [];
      for (const kind of ['ITEM', 'QUANTITY', 'UNIT_PRICE', 'PRICE'] as const) {
        const cell = row.cells[kind];
        if (cell)
          fields.push(cellField(kind, cell, row.page, kind === 'UNIT_PRICE' || kind === 'PRICE' ? currency : null));
      }
      if (row.productCode) fields.push(cellField('PRODUCT_CODE', row.productCode, row.page, null));
      fields.push(cellField('EXPENSE_ROW', { words: row.rowWords, text: rowText(row.rowWords) }, row.page, null));
      return { LineItemExpenseFields: fields };
    }),
  }));

  const blocks = toBlocks(pages, lines);
  return {
    DocumentMetadata: { Pages: pages.length },
    ExpenseDocuments: [{ ExpenseIndex: 1, SummaryFields: summary, LineItemGroups: groups, Blocks: blocks }],
    Blocks: blocks,
  };
}

function totalsOf(chosen: ReadonlyMap<string, FieldCandidate>): string[] {
  const value = (type: string): string | undefined => chosen.get(type)?.amount?.value;
  return printedTotals({
    subtotal: value('SUBTOTAL'),
    tax: value('TAX'),
    total: value('TOTAL'),
    amountDue: value('AMOUNT_DUE'),
  });
}

function detection(words: readonly Word[], text: string, confidence: number): ExpenseDetection {
  const b = boxOf(words);
  return {
    Text: text,
    Geometry: {
      BoundingBox: { Left: b.left, Top: b.top, Width: b.width, Height: b.height },
      Polygon: [
        { X: b.left, Y: b.top },
        { X: b.left + b.width, Y: b.top },
        { X: b.left + b.width, Y: b.top + b.height },
        { X: b.left, Y: b.top + b.height },
      ],
    },
    Confidence: confidence,
  };
}

const AMOUNT_FIELD = new Set(['SUBTOTAL', 'TAX', 'TOTAL', 'AMOUNT_DUE', 'AMOUNT_PAID']);

function toField(
  type: string,
  c: Pick<FieldCandidate, 'label' | 'value' | 'valueText' | 'score' | 'page'>,
  currency: string | null,
): ExpenseField {
  // Confidence: the candidate score (label strength × position × value checks) on Textract's 0..100
  // scale, times word confidence, so OCR uncertainty carries through.
  const wordConf = c.value.length ? Math.min(...c.value.map((w) => w.confidence)) / 100 : 1;
  const conf = Math.round(Math.min(1, c.score) * wordConf * 1000) / 10;
  const field: ExpenseField = {
    Type: { Text: type, Confidence: conf },
    ValueDetection: detection(c.value, c.valueText, conf),
    PageNumber: c.page,
  };
  if (c.label.length)
    field.LabelDetection = detection(
      c.label,
      c.label
        .map((w) => w.text)
        .join(' ')
        .replace(/\s+:/g, ':'),
      conf,
    );
  if (AMOUNT_FIELD.has(type) && currency) field.Currency = { Code: currency, Confidence: conf };
  return field;
}

function cellField(type: string, cell: ItemCell, page: number, currency: string | null): ExpenseField {
  const conf = Math.round(Math.min(...cell.words.map((w) => w.confidence)) * 0.8 * 10) / 10;
  const f: ExpenseField = {
    Type: { Text: type, Confidence: conf },
    ValueDetection: detection(cell.words, cell.text, conf),
    PageNumber: page,
  };
  if (currency) f.Currency = { Code: currency, Confidence: conf };
  return f;
}

function rowText(words: Word[]): string {
  return words.map((w) => w.text).join(' ');
}

/** PAGE → LINE → WORD blocks with CHILD relationships, like Textract's. */
function toBlocks(pages: TextPage[], lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let n = 0;
  const id = (): string => `b-${(++n).toString(36).padStart(6, '0')}`;
  for (const p of pages) {
    const pageBlock: Block = {
      BlockType: 'PAGE',
      Id: id(),
      Page: p.pageNumber,
      Confidence: 100,
      Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 1 } },
      Relationships: [{ Type: 'CHILD', Ids: [] }],
    };
    blocks.push(pageBlock);
    for (const line of lines.filter((l) => l.page === p.pageNumber)) {
      const wordBlocks: Block[] = line.words.map((w) => ({
        BlockType: 'WORD',
        Id: id(),
        Page: p.pageNumber,
        Text: w.text,
        Confidence: w.confidence,
        Geometry: { BoundingBox: { Left: w.left, Top: w.top, Width: w.width, Height: w.height } },
      }));
      const b = boxOf(line.words);
      const lineBlock: Block = {
        BlockType: 'LINE',
        Id: id(),
        Page: p.pageNumber,
        Text: line.text,
        Confidence: Math.min(...line.words.map((w) => w.confidence)),
        Geometry: { BoundingBox: { Left: b.left, Top: b.top, Width: b.width, Height: b.height } },
        Relationships: [{ Type: 'CHILD', Ids: wordBlocks.map((w) => w.Id!) }],
      };
      pageBlock.Relationships![0]!.Ids!.push(lineBlock.Id!);
      blocks.push(lineBlock, ...wordBlocks);
    }
  }
  return blocks;
}
