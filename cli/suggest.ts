/** "Did you mean …?" for a mistyped command, subcommand or option. */
import { distance } from 'fastest-levenshtein';

/**
 * What `word` most likely meant among `candidates`: the only one it begins (an abbreviation),
 * else the nearest within a typo's reach (2 edits, or a third of the word's length if longer).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((c) => word.length > 1 && c.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  const reach = Math.min(Math.max(2, Math.floor(word.length / 3)), word.length - 1);
  let best: string | undefined;
  let bestDistance = reach + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** ` (did you mean <suggestion>?)` or nothing; `show` formats the suggestion (quotes, dashes). */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  show: (s: string) => string = (s) => `"${s}"`,
): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${show(match)}?)`;
}
