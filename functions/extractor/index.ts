/**
 * docuhook's offline extractor: bytes → an AnalyzeExpense-shaped result, so the same normaliser
 * serves Textract and local mode. Steps: sniff → text (PDF text layer; `ocr` for images and
 * scans, not in this build) → lines → fields / parties / line items → Textract shapes.
 */
import type {
  AnalyzeExpenseResult, Block, ExpenseDetection, ExpenseField, LineItemFields, LineItemGroup,
} from '../core/analyze-expense.ts';
import { sniffFileType, type FileKind } from '../core/file-type.ts';
import { ExtractionError, NoTextLayerError } from './errors.ts';
import { findFieldCandidates, selectFields, type FieldCandidate } from './fields.ts';
import { boxOf, buildLines, type TextPage } from './layout.ts';
import { findParties } from './parties.ts';
import { readPdfText, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS } from './pdf-text.ts';
import { findLineItems, type ItemCell } from './tables.ts';
import type { Line, Word } from './types.ts';

export { ExtractionError, NoTextLayerError } from './errors.ts';

export interface ExtractOptions {
  /** Declared type; only used in messages: the bytes decide what the file is. */
  contentType?: string;
  maxPages?: number;
  timeoutMs?: number;
}

export async function extractExpense(bytes: Uint8Array, options: ExtractOptions = {}): Promise<AnalyzeExpenseResult> {
  if (bytes.length === 0) throw new ExtractionError('EMPTY_FILE', 'The uploaded file is empty (0 bytes). Upload the invoice file again.');
  const kind = sniffFileType(bytes.subarray(0, 4096));
  const pages = await textPages(bytes, kind, options);
  return analyse(pages);
}

async function textPages(bytes: Uint8Array, kind: FileKind, options: ExtractOptions): Promise<TextPage[]> {
  switch (kind) {
    case 'pdf': {
      try {
        const pdf = await readPdfText(bytes, { maxPages: options.maxPages ?? DEFAULT_MAX_PAGES, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
        return pdf.pages.map((p) => ({ pageNumber: p.pageNumber, width: p.widthPt, height: p.heightPt, words: p.words }));
      } catch (e) {
        // Scanned PDFs have no text layer: they are OCR's job.
        if (e instanceof NoTextLayerError) return ocr(bytes, 'pdf', e);
        throw e;
      }
    }
    case 'png':
    case 'jpeg':
    case 'tiff':
      return ocr(bytes, kind);
    case 'xml':
      // e-invoice XML (CII/UBL) is parsed by its own path, not by layout analysis.
      throw new ExtractionError('EXTRACTION_FAILED', 'XML e-invoices are not supported by the offline extractor in this build. Upload the PDF version of the invoice.');
    default:
      throw new ExtractionError('UNSUPPORTED_FORMAT', `The file is not a PDF or an image${options.contentType ? ` (declared as ${options.contentType})` : ''}. Accepted formats are PDF, PNG, JPEG, TIFF and XML e-invoices.`);
  }
}

/**
 * OCR seam: images and scanned PDFs. A later build plugs tesseract.js in here, returning
 * TextPage words in the same normalised geometry; everything downstream stays unchanged.
 */
async function ocr(_bytes: Uint8Array, kind: FileKind, cause?: NoTextLayerError): Promise<TextPage[]> {
  if (cause) throw cause;
  throw new ExtractionError('EXTRACTION_FAILED', `This ${kind.toUpperCase()} image needs OCR, and image OCR is not available in this build. Upload a PDF with selectable text instead.`);
}

/** Layout analysis of text pages into an AnalyzeExpense result. Exposed for the OCR path and tests. */
export function analyse(pages: TextPage[]): AnalyzeExpenseResult {
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
    if (best) chosen.set(type, { ...best, label: best.label });
  }
  const currency = chosen.get('_CURRENCY')?.currency ?? documentCurrency;
  chosen.delete('_CURRENCY');

  const summary: ExpenseField[] = [];
  // AnalyzeExpense has no payment-method type: like Textract, report it as OTHER with its label.
  for (const [type, c] of chosen) summary.push(toField(type === 'PAYMENT_METHOD' ? 'OTHER' : type, c, currency));
  summary.sort((a, b) => (a.PageNumber ?? 0) - (b.PageNumber ?? 0));

  const groups: LineItemGroup[] = tables.map((t, gi) => ({
    LineItemGroupIndex: gi,
    LineItems: t.rows.map((row): LineItemFields => {
      const fields: ExpenseField[] = [];
      for (const kind of ['ITEM', 'QUANTITY', 'UNIT_PRICE', 'PRICE'] as const) {
        const cell = row.cells[kind];
        if (cell) fields.push(cellField(kind, cell, row.page, kind === 'UNIT_PRICE' || kind === 'PRICE' ? currency : null));
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

function detection(words: readonly Word[], text: string, confidence: number): ExpenseDetection {
  const b = boxOf(words);
  return {
    Text: text,
    Geometry: {
      BoundingBox: { Left: b.left, Top: b.top, Width: b.width, Height: b.height },
      Polygon: [
        { X: b.left, Y: b.top }, { X: b.left + b.width, Y: b.top },
        { X: b.left + b.width, Y: b.top + b.height }, { X: b.left, Y: b.top + b.height },
      ],
    },
    Confidence: confidence,
  };
}

const AMOUNT_FIELD = new Set(['SUBTOTAL', 'TAX', 'TOTAL', 'AMOUNT_DUE', 'AMOUNT_PAID']);

function toField(type: string, c: Pick<FieldCandidate, 'label' | 'value' | 'valueText' | 'score' | 'page'>, currency: string | null): ExpenseField {
  // Confidence: the candidate score (label strength × position × value checks) on Textract's 0..100
  // scale, times word confidence, so OCR uncertainty carries through.
  const wordConf = c.value.length ? Math.min(...c.value.map((w) => w.confidence)) / 100 : 1;
  const conf = Math.round(Math.min(1, c.score) * wordConf * 1000) / 10;
  const field: ExpenseField = {
    Type: { Text: type, Confidence: conf },
    ValueDetection: detection(c.value, c.valueText, conf),
    PageNumber: c.page,
  };
  if (c.label.length) field.LabelDetection = detection(c.label, c.label.map((w) => w.text).join(' ').replace(/\s+:/g, ':'), conf);
  if (AMOUNT_FIELD.has(type) && currency) field.Currency = { Code: currency, Confidence: conf };
  return field;
}

function cellField(type: string, cell: ItemCell, page: number, currency: string | null): ExpenseField {
  const conf = Math.round(Math.min(...cell.words.map((w) => w.confidence)) * 0.8 * 10) / 10;
  const f: ExpenseField = { Type: { Text: type, Confidence: conf }, ValueDetection: detection(cell.words, cell.text, conf), PageNumber: page };
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
      BlockType: 'PAGE', Id: id(), Page: p.pageNumber, Confidence: 100,
      Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 1 } }, Relationships: [{ Type: 'CHILD', Ids: [] }],
    };
    blocks.push(pageBlock);
    for (const line of lines.filter((l) => l.page === p.pageNumber)) {
      const wordBlocks: Block[] = line.words.map((w) => ({
        BlockType: 'WORD', Id: id(), Page: p.pageNumber, Text: w.text, Confidence: w.confidence,
        Geometry: { BoundingBox: { Left: w.left, Top: w.top, Width: w.width, Height: w.height } },
      }));
      const b = boxOf(line.words);
      const lineBlock: Block = {
        BlockType: 'LINE', Id: id(), Page: p.pageNumber, Text: line.text,
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
