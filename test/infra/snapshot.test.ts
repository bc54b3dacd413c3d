/**
 * The whole template, as a snapshot. Bundling is skipped and asset hashes are masked, so the
 * snapshot changes with the infrastructure, not with every edit of the handlers' source.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { buildApp } from './support.ts';

function stable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `<asset-hash>${ext ?? ''}`)
      .replace(/"docuhook [0-9.]+[^"]*\(dev\)/g, '"docuhook <version> (dev)')
      .replace(/"DOCUHOOK_VERSION":"[^"]*"/g, '"DOCUHOOK_VERSION":"<version>"'),
  );
}

it('matches the template snapshot', () => {
  const { stack } = buildApp();
  expect(stable(Template.fromStack(stack).toJSON())).toMatchSnapshot();
});
