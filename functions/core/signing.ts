/**
 * Both signature schemes (DESIGN §3). They live in the receiver package, so the signer and every
 * receiver that installs `@docuhook/receiver` run the same code.
 */
export * from '../../packages/receiver/src/index.ts';
