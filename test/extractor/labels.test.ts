/**
 * The label dictionary as data: every plain-word alternative of a label reads whole (an earlier,
 * shorter alternative must not cut it short: "fallig" before "fallig am" left "am:" for the value),
 * and labels OCR ran together still read.
 */
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../functions/extractor/labels.ts';
import { line, readPage as read } from '../fixtures/word-page.ts';

/** The top-level alternatives of a pattern's source (groups and classes kept whole). */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      cur += c + src[++i];
      continue;
    }
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  return [...out, cur];
}

describe('label dictionary', () => {
  it('reads every plain-word alternative of every label whole', () => {
    const cut: string[] = [];
    let checked = 0;
    for (const d of LABELS) {
      const body = /^\(\?<!.*?\)\(\?:(.*)\)\(\?!.*?\)\\\.\?\\s\*:\?$/u.exec(d.re.source)?.[1];
      expect(body, d.type).toBeTruthy();
      for (const alt of alternatives(body!).map((a) => a.replaceAll(' ?', ' '))) {
        if (!/^[a-z' ]+$/.test(alt)) continue;
        checked++;
        const m = new RegExp(d.re.source, 'u').exec(alt);
        if (m?.index !== 0 || m[0].trimEnd() !== alt) cut.push(`${d.type}: "${alt}" read as "${m?.[0] ?? ''}"`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(cut).toEqual([]);
  });

  it('reads a due date whose label ends in a word a shorter label would leave ("Fällig am:   18.5.2022")', () => {
    const d = read([
      ...line(40, [[40, 'Weber & Lindner e.K.']]),
      ...line(80, [
        [360, 'Rechnung Nr.:'],
        [480, 'RE-2022-43661'],
      ]),
      ...line(100, [
        [360, 'Ausstellungsdatum:'],
        [480, '4.5.2022'],
      ]),
      ...line(116, [
        [360, 'Fällig am:'],
        [480, '18.5.2022'],
      ]),
      ...line(200, [[40, 'Bruttobetrag:'], { right: 500, text: 'EUR 362 167,64' }]),
    ]);
    expect(d).toMatchObject({ date: '2022-05-04', due_date: '2022-05-18' });
  });

  it('reads labels whose words OCR ran together ("Payby" over its date)', () => {
    const d = read([
      ...line(40, [[40, 'Summit & Cedar Inc.']]),
      ...line(60, [
        [300, 'Bill No.'],
        [360, 'Issue date'],
        [430, 'Payby'],
      ]),
      ...line(76, [
        [300, 'F2021-752'],
        [360, '12/22/2021'],
        [430, '12/29/2021'],
      ]),
      ...line(200, [[40, 'Total:'], { right: 500, text: '9,469.60 USD' }]),
    ]);
    expect(d).toMatchObject({ invoice_id: 'F2021-752', date: '2021-12-22', due_date: '2021-12-29' });
  });
});
