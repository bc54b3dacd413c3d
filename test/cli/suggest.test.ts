import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../cli/suggest.ts';

const COMMANDS = ['dev', 'demo', 'extract', 'upload', 'webhooks', 'listen', 'redrive', 'accounts'];

describe('closest', () => {
  it.each([
    ['uplod', 'upload'], // a letter left out
    ['wehbooks', 'webhooks'], // two swapped
    ['up', 'upload'], // an abbreviation
    ['dve', 'dev'],
    ['extarct', 'extract'],
  ])('%s → %s', (typed, meant) => {
    expect(closest(typed, COMMANDS)).toBe(meant);
  });

  it('suggests nothing when nothing is near, or the abbreviation is ambiguous and far', () => {
    expect(closest('frob', COMMANDS)).toBeUndefined();
    expect(closest('x', COMMANDS)).toBeUndefined();
    expect(closest('api', ['api-url', 'api-key'])).toBeUndefined();
  });

  it('formats the suggestion, or nothing', () => {
    expect(didYouMean('wiat', ['wait', 'json'], (c) => `--${c}`)).toBe(' (did you mean --wait?)');
    expect(didYouMean('zzzz', ['wait'])).toBe('');
  });
});
