/**
 * The version in package.json: the `docuhook/<version>` User-Agent of local deliveries. The CDK
 * stack passes the same to the Lambdas as DOCUHOOK_VERSION (their bundles carry no package.json).
 */
import { readFileSync } from 'node:fs';

export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
