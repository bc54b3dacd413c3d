import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, loadSettings } from '../../functions/core/settings.ts';

describe('loadSettings', () => {
  it('has defaults for everything', () => {
    expect(loadSettings({})).toEqual({
      maxUploadBytes: 20 * 1024 * 1024,
      uploadUrlTtlSeconds: 900,
      maxBatchDocuments: 500,
      retryScheduleSeconds: DEFAULT_RETRY_SCHEDULE,
      deliveryTimeoutMs: 15_000,
      localMode: false,
      secretPrefix: 'docuhook/endpoints/',
      attemptLogDays: 30,
      processingTimeoutSeconds: 6 * 3600,
      userAgent: 'docuhook/unknown', // DOCUHOOK_VERSION is set by the stack and the local runtime
    });
  });

  it('reads every variable', () => {
    const s = loadSettings({
      MAX_UPLOAD_BYTES: '1048576',
      UPLOAD_URL_TTL_SECONDS: ' 60 ',
      MAX_BATCH_DOCUMENTS: '1000',
      RETRY_SCHEDULE: '1,0, 2.5',
      DOCUHOOK_RETRY_SCALE: '2',
      DELIVERY_TIMEOUT_MS: '500',
      DOCUHOOK_LOCAL: 'true',
      SECRET_PREFIX: 'x/',
      ATTEMPT_LOG_DAYS: '7',
      DOCUHOOK_VERSION: '9.9.9',
      PROCESSING_TIMEOUT_SECONDS: '7200',
    });
    expect(s).toEqual({
      maxUploadBytes: 1048576,
      uploadUrlTtlSeconds: 60,
      maxBatchDocuments: 1000,
      retryScheduleSeconds: [2, 0, 5],
      deliveryTimeoutMs: 500,
      localMode: true,
      secretPrefix: 'x/',
      attemptLogDays: 7,
      processingTimeoutSeconds: 7200,
      userAgent: 'docuhook/9.9.9',
    });
  });

  it.each([
    ['MAX_UPLOAD_BYTES', '0', /MAX_UPLOAD_BYTES: expected a number > 0/],
    ['MAX_UPLOAD_BYTES', '1.5', /expected an integer/],
    ['MAX_UPLOAD_BYTES', '', /MAX_UPLOAD_BYTES: expected a number/],
    ['UPLOAD_URL_TTL_SECONDS', '59', /expected a number >= 60/],
    ['UPLOAD_URL_TTL_SECONDS', String(7 * 24 * 3600 + 1), /expected a number <= 604800/],
    ['MAX_BATCH_DOCUMENTS', '1001', /MAX_BATCH_DOCUMENTS: expected a number <= 1000/],
    ['RETRY_SCHEDULE', '5,,10', /RETRY_SCHEDULE\[1\]: expected a number/],
    ['RETRY_SCHEDULE', '5,-1', /RETRY_SCHEDULE\[1\]: expected a number >= 0/],
    ['DOCUHOOK_RETRY_SCALE', '0', /DOCUHOOK_RETRY_SCALE/],
    ['PROCESSING_TIMEOUT_SECONDS', '599', /PROCESSING_TIMEOUT_SECONDS: expected a number >= 600/],
    ['DELIVERY_TIMEOUT_MS', 'soon', /DELIVERY_TIMEOUT_MS: expected a number, got "soon"/],
    ['DOCUHOOK_LOCAL', 'yes', /DOCUHOOK_LOCAL: expected one of "true", "false"/],
    ['ATTEMPT_LOG_DAYS', '-3', /ATTEMPT_LOG_DAYS/],
  ])('rejects %s=%j', (name, value, message) => {
    expect(() => loadSettings({ [name]: value })).toThrow(message);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadSettings({ MAX_UPLOAD_BYTES: 'x', DOCUHOOK_LOCAL: 'maybe' })).toThrow(
      /^invalid configuration: MAX_UPLOAD_BYTES: .*; DOCUHOOK_LOCAL: /,
    );
  });
});
