/**
 * Hardened XML reading for e-invoices: a size limit, no DTD at all (so no entity expansion, no
 * external entities), bounded nesting, and a namespace-free tree where every child is a list.
 * E-invoice syntaxes (CII, UBL) never need a DOCTYPE; one is refused outright.
 */
import { XMLParser } from 'fast-xml-parser';
import { DocuhookError } from '../errors.ts';

/**
 * XRechnung/Factur-X files are kilobytes (the corpus's largest is under 30 KB); 5 MB is generous.
 * The parser's time and memory grow with the markup, not just the bytes (a 20 MB file of 1.4 M
 * attributes on one element took 20 s and 1.5 GB), so the shape is bounded too, before parsing.
 */
export const MAX_XML_BYTES = 5 * 1024 * 1024;
/** Elements in the whole document: thousands of invoice lines of ~30 elements each fit. */
export const MAX_XML_ELEMENTS = 200_000;
/** Attributes per element, namespace declarations included (a root declares a dozen or so). */
export const MAX_XML_ATTRIBUTES = 100;
/** Nesting depth (CII/UBL go about 10 deep). */
export const MAX_XML_DEPTH = 64;

/** An XML upload that is not a readable e-invoice; the document fails as UNSUPPORTED_FORMAT. */
export class EInvoiceError extends DocuhookError<'UNSUPPORTED_FORMAT'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED_FORMAT', message, options);
    this.name = 'EInvoiceError';
  }
}

/** An element: child elements by local name (always arrays), attributes as `@_name`, text as `#text`. */
export interface XNode {
  [name: string]: XNode[] | string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
  // Every element is a list: uniform navigation whatever the cardinality in this file.
  isArray: (_name: string, _jpath: unknown, _isLeaf: boolean, isAttribute: boolean) => !isAttribute,
});

export function decodeXml(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (input.length > MAX_XML_BYTES)
      throw new EInvoiceError(`The XML is larger than ${MAX_XML_BYTES / 1024 / 1024} MB.`);
    return input.replace(/^\uFEFF/, '');
  }
  if (input.length > MAX_XML_BYTES)
    throw new EInvoiceError(`The XML is larger than ${MAX_XML_BYTES / 1024 / 1024} MB.`);
  // UTF-16 with BOM, else UTF-8 (the encoding every e-invoice standard mandates).
  if (input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le').decode(input.subarray(2));
  if (input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be').decode(input.subarray(2));
  return new TextDecoder('utf-8').decode(input).replace(/^\uFEFF/, '');
}

export function parseXml(text: string): XNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new EInvoiceError('The XML declares a DTD or entities, which e-invoices never need; it was refused.');
  checkShape(text);
  let tree: unknown;
  try {
    tree = parser.parse(text, true);
  } catch (e) {
    throw new EInvoiceError(`The XML is not well-formed (${(e as Error).message.split('\n')[0]}).`, { cause: e });
  }
  return tree as XNode;
}

const refused = (what: string) =>
  new EInvoiceError(`The XML has ${what}, far more than an e-invoice needs; it was refused.`);

/**
 * One linear pass over the markup, before the parser builds anything: counts elements, attributes
 * per element (an `=` outside quotes in a start tag) and depth. Malformed markup is left to the
 * parser to report; this only has to bound the work it would do.
 */
function checkShape(text: string): void {
  const n = text.length;
  let elements = 0;
  let depth = 0;
  for (let i = text.indexOf('<'); i !== -1 && i < n; i = text.indexOf('<', i)) {
    const next = text.charCodeAt(i + 1);
    const skipTo = (close: string, from: number) => {
      const e = text.indexOf(close, from);
      return e < 0 ? n : e + close.length;
    };
    if (text.startsWith('<!--', i)) i = skipTo('-->', i + 4);
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(']]>', i + 9);
    else if (next === 0x3f /* ? */) i = skipTo('?>', i + 2);
    else if (next === 0x21 /* ! */ || next === 0x2f /* / */) {
      if (next === 0x2f) depth--;
      i = skipTo('>', i + 2);
    } else {
      if (++elements > MAX_XML_ELEMENTS) throw refused(`more than ${MAX_XML_ELEMENTS} elements`);
      let attributes = 0;
      let quote = 0;
      let j = i + 1;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3d /* = */ && ++attributes > MAX_XML_ATTRIBUTES)
          throw refused(`an element with more than ${MAX_XML_ATTRIBUTES} attributes`);
        else if (c === 0x3e /* > */) break;
      }
      if (text.charCodeAt(j - 1) !== 0x2f /* self-closing */ && ++depth > MAX_XML_DEPTH)
        throw refused(`elements nested more than ${MAX_XML_DEPTH} deep`);
      i = j + 1;
    }
  }
}

/** Child elements with this local name. */
export function kids(node: XNode | undefined, name: string): XNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? v : [];
}

/** First element along a path of local names. */
export function at(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let cur = node;
  for (const p of path) {
    cur = kids(cur, p)[0];
    if (!cur) return undefined;
  }
  return cur;
}

/** All elements along a path (fan-out at every step). */
export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  let cur: XNode[] = node ? [node] : [];
  for (const p of path) cur = cur.flatMap((n) => kids(n, p));
  return cur;
}

/** Text content of an element (leaf elements become `{#text}` objects or plain strings). */
export function text(node: XNode | string | undefined): string | null {
  if (node === undefined) return null;
  if (typeof node === 'string') return node.trim() || null;
  const t = node['#text'];
  if (typeof t === 'string') return t.trim() || null;
  if (Array.isArray(t)) return (t as unknown[]).join('').trim() || null;
  return null;
}

export function textAt(node: XNode | undefined, ...path: string[]): string | null {
  return text(at(node, ...path));
}

export function attr(node: XNode | undefined, name: string): string | null {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v.trim() || null : null;
}

/** First descendant (depth-first, document order) with one of these local names. */
export function find(node: XNode | undefined, names: readonly string[], maxDepth = 12): XNode | undefined {
  if (!node || maxDepth < 0) return undefined;
  for (const n of names) {
    const k = kids(node, n)[0];
    if (k) return k;
  }
  for (const [key, v] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text' || !Array.isArray(v)) continue;
    for (const child of v) {
      const hit = find(child, names, maxDepth - 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The root element's local name and node. */
export function rootOf(tree: XNode): { name: string; node: XNode } | null {
  for (const [key, v] of Object.entries(tree)) {
    if (key.startsWith('@_') || key === '#text' || !Array.isArray(v) || !v[0]) continue;
    return { name: key, node: v[0] };
  }
  return null;
}
