import { describe, expect, it } from 'vitest';
import { isoTime } from '../../functions/core/iso-time.ts';

describe('isoTime', () => {
  it('matches Date#toISOString, across second, minute, day and year boundaries and every millisecond width', () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 58);
    const samples: number[] = [];
    for (let ms = base; ms < base + 2_500; ms += 7) samples.push(ms);
    samples.push(
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      1_000_000_000_123,
      951_782_400_000 /* 2000-02-29 */,
      253_402_300_799_999,
    );
    // Going back in time (a second earlier than the cached one) must not reuse the cached prefix.
    samples.push(base + 1_000, base, base + 1_999, base - 1);
    for (const ms of samples) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('formats fractional milliseconds as Date does (truncated) and falls back outside years 1970–9999', () => {
    expect(isoTime(1_700_000_000_123.9)).toBe(new Date(1_700_000_000_123.9).toISOString());
    for (const ms of [-1, -86_400_001, 253_402_300_800_000, 8.64e15])
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
