/**
 * One generated document from (seed, index): its model, HTML, ground truth and image degradation,
 * all derived from seeded PRNG streams so every machine generates the same set.
 */
import type { Expected } from '../../test/support/score.ts';
import { invoiceExpected, receiptExpected } from './expected.ts';
import { invoiceHtml } from './html-invoice.ts';
import { receiptHtml } from './html-receipt.ts';
import { makeInvoice, type Invoice } from './invoice-model.ts';
import { hash32, Rng } from './prng.ts';
import { makeReceipt, type Receipt } from './receipt-model.ts';
import { chooseDegradation, type Degradation } from './degradation.ts';

export interface GeneratedDoc {
  id: string;
  kind: 'invoice' | 'receipt';
  split: 'tune' | 'holdout';
  html: string;
  expected: Expected;
  model: Invoice | Receipt;
  degradation: Degradation;
}

/** Documents 0..invoices-1 are invoices, the rest receipts. */
export function generateDoc(seed: number, index: number, invoices: number): GeneratedDoc {
  const kind = index < invoices ? 'invoice' : 'receipt';
  const id = `${kind === 'invoice' ? 'inv' : 'rcpt'}-${String(index).padStart(4, '0')}`;
  const docSeed = hash32(`${seed}:${id}`);
  const model = kind === 'invoice' ? makeInvoice(new Rng(docSeed)) : makeReceipt(new Rng(docSeed));
  const layoutRng = new Rng(docSeed ^ 0x9e3779b9);
  const html = model.kind === 'invoice' ? invoiceHtml(layoutRng, model) : receiptHtml(layoutRng, model);
  const expected = model.kind === 'invoice' ? invoiceExpected(model) : receiptExpected(model);
  return {
    id,
    kind,
    model,
    html,
    expected,
    // The split uses its own fixed salt: changing the generator's seed keeps halves balanced and reproducible.
    split: hash32(`split:${seed}:${id}`) % 2 === 0 ? 'tune' : 'holdout',
    degradation: chooseDegradation(new Rng(docSeed ^ 0x85ebca6b), kind),
  };
}
