/**
 * A tiny PDF writer for sample and benchmark invoices: text-only pages in the standard Helvetica
 * fonts (no embedding), which every PDF reader, pdfjs included, extracts with positions.
 */
export interface TextItem {
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
}
export interface PageSpec {
  items: TextItem[];
  width?: number;
  height?: number;
}

// WinAnsi has a few characters beyond Latin-1 that invoices use.
const WIN_ANSI: Record<string, number> = {
  '€': 0x80,
  '—': 0x97,
  '–': 0x96,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
};

function encodeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = WIN_ANSI[ch] ?? ch.charCodeAt(0);
    if (code > 255) {
      out += '?';
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code < 32 || code > 126) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return out;
}

export function buildPdf(pages: PageSpec[], info: { title?: string } = {}): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body); // object number = index + 1
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages, filled below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const page of pages) {
    const content = page.items
      .map(
        (i) =>
          `BT /${i.bold ? 'F2' : 'F1'} ${i.size ?? 10} Tf ${i.x.toFixed(2)} ${i.y.toFixed(2)} Td (${encodeText(i.text)}) Tj ET`,
      )
      .join('\n');
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    const contentRef = objects.length;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width ?? 595} ${page.height ?? 842}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contentRef} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  if (info.title) add(`<< /Title (${encodeText(info.title)}) /Producer (docuhook samples) >>`);
  const infoRef = info.title ? objects.length : undefined;

  return serializePdf(objects, infoRef ? `/Info ${infoRef} 0 R` : '');
}

/**
 * Writes numbered objects (object 1 is the catalog) as a PDF file with a computed xref table, so
 * readers need no repair. `trailerExtra` goes into the trailer dictionary (/Info, /Encrypt, …).
 */
export function serializePdf(objects: string[], trailerExtra = ''): Buffer {
  let pdf = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra ? ` ${trailerExtra}` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

export interface InvoiceSpec {
  merchant: string;
  merchantLines?: string[];
  title?: string;
  labels?: Partial<
    Record<
      'number' | 'date' | 'due' | 'description' | 'qty' | 'unit' | 'amount' | 'subtotal' | 'tax' | 'total' | 'billTo',
      string
    >
  >;
  number: string;
  date: string;
  due?: string;
  customer?: string;
  currencyPrefix?: string;
  currencySuffix?: string;
  lines: { description: string; qty: number; unit: string; amount: string }[];
  subtotal: string;
  tax?: string;
  taxLabel?: string;
  total: string;
  footer?: string[];
}

/** Lays out a conventional one-page invoice: header, parties, a line-item table, totals. */
export function invoicePage(spec: InvoiceSpec): PageSpec {
  const L = {
    number: 'Invoice number',
    date: 'Invoice date',
    due: 'Due date',
    description: 'Description',
    qty: 'Qty',
    unit: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    tax: 'Tax',
    total: 'Total',
    billTo: 'Bill to',
    ...spec.labels,
  };
  const money = (v: string) => `${spec.currencyPrefix ?? ''}${v}${spec.currencySuffix ?? ''}`;
  const items: TextItem[] = [];
  let y = 790;
  items.push({ x: 50, y, text: spec.merchant, size: 16, bold: true });
  items.push({ x: 430, y, text: spec.title ?? 'INVOICE', size: 16, bold: true });
  for (const line of spec.merchantLines ?? []) items.push({ x: 50, y: (y -= 14), text: line, size: 9 });
  y = 700;
  items.push({ x: 330, y, text: `${L.number}:`, size: 10 }, { x: 440, y, text: spec.number, size: 10 });
  items.push({ x: 330, y: y - 14, text: `${L.date}:`, size: 10 }, { x: 440, y: y - 14, text: spec.date, size: 10 });
  if (spec.due)
    items.push({ x: 330, y: y - 28, text: `${L.due}:`, size: 10 }, { x: 440, y: y - 28, text: spec.due, size: 10 });
  if (spec.customer) {
    items.push({ x: 50, y, text: `${L.billTo}:`, size: 10, bold: true });
    items.push({ x: 50, y: y - 14, text: spec.customer, size: 10 });
  }
  y = 620;
  items.push(
    { x: 50, y, text: L.description, bold: true },
    { x: 330, y, text: L.qty, bold: true },
    { x: 390, y, text: L.unit, bold: true },
    { x: 490, y, text: L.amount, bold: true },
  );
  for (const line of spec.lines) {
    y -= 18;
    items.push(
      { x: 50, y, text: line.description },
      { x: 330, y, text: String(line.qty) },
      { x: 390, y, text: money(line.unit) },
      { x: 490, y, text: money(line.amount) },
    );
  }
  y -= 36;
  items.push({ x: 390, y, text: `${L.subtotal}:` }, { x: 490, y, text: money(spec.subtotal) });
  if (spec.tax)
    items.push({ x: 390, y: (y -= 16), text: `${spec.taxLabel ?? L.tax}:` }, { x: 490, y, text: money(spec.tax) });
  items.push(
    { x: 390, y: (y -= 16), text: `${L.total}:`, bold: true },
    { x: 490, y, text: money(spec.total), bold: true },
  );
  y = 90;
  for (const line of spec.footer ?? []) items.push({ x: 50, y: (y -= 12), text: line, size: 8 });
  return { items };
}
