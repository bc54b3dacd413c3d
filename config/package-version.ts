/**
 * The version in package.json: the `docuhook/<version>` User-Agent of local deliveries. The CDK
 * stack passes the same to the Lambdas as DOCUHOOK_VERSION (their bundles carry no package.json).
 *
 * config/ holds facts about the repository that the CDK app (lib/) and local mode share without
 * depending on each other; it imports nothing of the repository, and Lambda code (functions/)
 * never imports it, since it reads package.json when loaded.
 */
import { readFileSync } from 'node:fs';

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
