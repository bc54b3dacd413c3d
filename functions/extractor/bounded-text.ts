/**
 * Text read from an upload is bounded before any rule's regular expression sees it. Several
 * rules match single words with patterns that are polynomial in the word's length (reviewed in
 * test/extractor/regex-safety.test.ts); a cap on words makes their cost a constant, and collapsing
 * whitespace runs keeps the runs some patterns scan twice at one character. No invoice word is
 * longer (an IBAN is 34 characters, a long URL under 100).
 */
import type { TextPage } from './layout.ts';

export const MAX_WORD_CHARS = 128;

export function boundedPage(page: TextPage): TextPage {
  const words = [];
  for (const w of page.words) {
    const text = w.text.replace(/\s+/g, ' ').trim().slice(0, MAX_WORD_CHARS);
    if (text) words.push(text === w.text ? w : { ...w, text });
  }
  return { ...page, words };
}
