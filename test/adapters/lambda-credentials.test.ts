import { describe, expect, it } from 'vitest';
import { defaultProvider } from '../../functions/handlers/runtime/lambda-credentials.ts';
import { esbuildOptions, functionBundleSpec } from '../../lib/bundling.ts';

describe('Lambda credentials in the bundles', () => {
  it('come from the environment Lambda sets, through the SDK’s environment provider', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    try {
      expect(await defaultProvider()()).toMatchObject({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      });
    } finally {
      process.env = saved;
    }
  });

  it('fail clearly when the environment has none', async () => {
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      await expect(defaultProvider()()).rejects.toThrow(/credentials/i);
    } finally {
      process.env = saved;
    }
  });

  it('replace the SDK default chain in every function bundle', () => {
    for (const name of ['api', 'extract', 'signer', 'textract-complete', 'sweeper'] as const) {
      expect(esbuildOptions(functionBundleSpec(name), 'x.mjs').alias).toMatchObject({
        '@aws-sdk/credential-provider-node': './functions/handlers/runtime/lambda-credentials.ts',
      });
    }
  });
});

describe('AWS SDK event-stream support in the bundles', () => {
  it('is left out only where no client imports it statically (the S3 client does)', () => {
    const substituted = (['api', 'extract', 'signer', 'textract-complete', 'sweeper'] as const).filter(
      (name) => '@smithy/core/event-streams' in esbuildOptions(functionBundleSpec(name), 'x.mjs').alias,
    );
    expect(substituted).toEqual(['signer']);
  });

  it('fails with a message that says why, if a streaming operation is ever called', async () => {
    const stub = await import('../../functions/handlers/runtime/no-event-streams.ts');
    expect(() => new stub.EventStreamSerde()).toThrow(/do not include AWS SDK event-stream support/);
    expect(() => stub.eventStreamSerdeProvider()).toThrow(/event-stream/);
  });
});
