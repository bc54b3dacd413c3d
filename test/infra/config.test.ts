/** The deployment configuration refuses what would deploy but not work, with a message saying why. */
import { describe, expect, it } from 'vitest';
import { configFromContext, MAX_UPLOAD_BYTES, MAX_UPLOAD_URL_TTL_SECONDS } from '../../lib/config.ts';
import { checkTextractRegion } from '../../lib/textract-regions.ts';
import { buildApp, CDK_CONTEXT } from './support.ts';

const config = (context: Record<string, unknown>) => configFromContext((key) => ({ ...CDK_CONTEXT, ...context })[key]);

describe('upload URL lifetime', () => {
  it('accepts up to the hour the signing role credentials are sure to last', () => {
    expect(config({ uploadUrlTtlSeconds: MAX_UPLOAD_URL_TTL_SECONDS }).uploadUrlTtlSeconds).toBe(3600);
  });

  it("refuses a lifetime the api function's session credentials cannot cover, at synth", () => {
    expect(() => config({ uploadUrlTtlSeconds: 7 * 24 * 3600 })).toThrow(
      /uploadUrlTtlSeconds: 60 to 3600 seconds.*temporary role credentials.*session token/s,
    );
    expect(() => buildApp({ uploadUrlTtlSeconds: 3601 })).toThrow(/uploadUrlTtlSeconds/);
  });
});

describe('textractConcurrency', () => {
  it('is read under its name, or under the old name textractTps', () => {
    expect(config({ textractConcurrency: 9 }).textractConcurrency).toBe(9);
    expect(config({ textractConcurrency: undefined, textractTps: 7 }).textractConcurrency).toBe(7);
  });

  it('refuses the two names with different values', () => {
    expect(() => config({ textractConcurrency: 9, textractTps: 7 })).toThrow(/old name of "textractConcurrency"/);
  });
});

describe('Textract region', () => {
  it('refuses extractor: textract where Textract has no endpoint', () => {
    expect(() => checkTextractRegion('eu-north-1', 'textract')).toThrow(
      /not available in eu-north-1.*extractor=local/s,
    );
    expect(() => checkTextractRegion('eu-north-1', 'local')).not.toThrow();
    expect(() => checkTextractRegion('eu-central-1', 'textract')).not.toThrow();
    expect(() => checkTextractRegion(undefined, 'textract')).not.toThrow(); // environment-agnostic synth
    expect(() => checkTextractRegion('eu-north-1', 'textract', true)).not.toThrow();
  });

  it('is checked when the stack is built, unless textractRegionCheck=false', () => {
    expect(() => buildApp({}, { region: 'eu-north-1' })).toThrow(/Textract is not available in eu-north-1/);
    expect(() => buildApp({ textractRegionCheck: 'false' }, { region: 'eu-north-1' })).not.toThrow();
  });
});

describe('upload size', () => {
  it("is refused at synth beyond what the extract function's memory and time can read, per extractor", () => {
    expect(config({ maxUploadBytes: MAX_UPLOAD_BYTES.textract }).maxUploadBytes).toBe(64 * 1024 * 1024);
    expect(() => config({ maxUploadBytes: 500 * 1024 * 1024 })).toThrow(
      /maxUploadBytes: 1 byte to 64 MB with extractor "textract".*memory/s,
    );
    expect(() => config({ extractor: 'local', maxUploadBytes: MAX_UPLOAD_BYTES.textract })).toThrow(
      /to 20 MB with extractor "local"/,
    );
    expect(() => buildApp({ maxUploadBytes: 100 * 1024 * 1024 })).toThrow(/maxUploadBytes/);
  });
});
