/**
 * Both signature schemes (docs/design.md §3.1). They live in the receiver package, so the signer and every
 * receiver that installs `@docuhook/receiver` run the same code.
 */
export * from '../../packages/receiver/src/index.ts';
