/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (lib/bundling.ts aliases
 * it): Lambda hands the function role's credentials to the process in its environment, so the
 * SDK's full default chain (SSO, profiles, process, IMDS, web identity, ≈ 95 KB) is dead weight.
 * The SDK's own environment provider does the work.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
