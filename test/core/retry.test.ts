import { describe, expect, it } from 'vitest';
import { attemptsAllowed, nextRetryDelaySeconds, retryAfterSeconds } from '../../functions/core/retry.ts';
import { DEFAULT_RETRY_SCHEDULE, loadSettings } from '../../functions/core/settings.ts';

describe('retry schedule', () => {
  it('is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with ±20 % jitter', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(attemptsAllowed(DEFAULT_RETRY_SCHEDULE)).toBe(8);
    DEFAULT_RETRY_SCHEDULE.forEach((base, i) => {
      expect(nextRetryDelaySeconds(i + 1, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(Math.round(base * 0.8));
      expect(nextRetryDelaySeconds(i + 1, DEFAULT_RETRY_SCHEDULE, () => 0.5)).toBe(base);
      expect(nextRetryDelaySeconds(i + 1, DEFAULT_RETRY_SCHEDULE, () => 0.999999)).toBe(
        Math.min(43200, Math.round(base * 1.2)),
      );
    });
    expect(nextRetryDelaySeconds(8, DEFAULT_RETRY_SCHEDULE)).toBeNull();
  });
  it('never exceeds SQS’s 12 h visibility ceiling', () => {
    expect(nextRetryDelaySeconds(7, DEFAULT_RETRY_SCHEDULE, () => 0.999)).toBeLessThanOrEqual(43200);
  });
  it('DOCUHOOK_RETRY_SCALE compresses the schedule, RETRY_SCHEDULE replaces it', () => {
    expect(loadSettings({ DOCUHOOK_RETRY_SCALE: '0.001' }).retryScheduleSeconds).toEqual(
      DEFAULT_RETRY_SCHEDULE.map((s) => s * 0.001),
    );
    expect(loadSettings({ RETRY_SCHEDULE: '1, 2,3' }).retryScheduleSeconds).toEqual([1, 2, 3]);
    expect(() => loadSettings({ RETRY_SCHEDULE: 'a,b' })).toThrow(/RETRY_SCHEDULE/);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-05-19T14:32:00Z');
  it('reads seconds and HTTP dates, within bounds', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('0', now)).toBe(1);
    expect(retryAfterSeconds('999999', now)).toBe(3600);
    expect(retryAfterSeconds('Tue, 19 May 2026 14:33:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(undefined, now)).toBeNull();
  });
});
