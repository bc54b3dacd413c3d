/** The readers under test: the offline extractor + normaliser, and the naive regex baseline. */
import { DocumentData } from '../../functions/core/events.ts';
import { normaliseExpense } from '../../functions/core/normalise/index.ts';
import { extractExpense } from '../../functions/extractor/index.ts';
import { naiveExtract } from '../lib/naive.ts';
import type { Actual } from '../../test/support/score.ts';

export interface Reading {
  data: Actual;
  pages: number;
  lines: string[];
}

export async function visual(bytes: Uint8Array): Promise<Reading> {
  const r = await extractExpense(bytes);
  const data = normaliseExpense(r, { source: 'local' });
  const parsed = DocumentData.safeParse(data);
  if (!parsed.success) throw new Error(`invalid payload: ${parsed.error.issues[0]?.message}`);
  const lines = (r.Blocks ?? []).filter((b) => b.BlockType === 'LINE').map((b) => b.Text ?? '');
  return { data: data as unknown as Actual, pages: r.DocumentMetadata?.Pages ?? 1, lines };
}

/** The naive baseline reads the same lines the extractor saw. */
export const naiveOf = (r: Reading): Actual => naiveExtract(r.lines);

export async function naive(bytes: Uint8Array): Promise<{ data: Actual; pages: number }> {
  const v = await visual(bytes);
  return { data: naiveOf(v), pages: v.pages };
}
