import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import { CachedEndpointStore } from '../../core/cached-endpoint-store.ts';
import type { SignerDeps } from '../../core/deps.ts';
import type { MessageVisibility } from '../../core/ports.ts';
import { pipelineDepsFromEnv } from './pipeline-deps.ts';

/** The signer reads endpoint secrets and POSTs; it never touches uploads. */
export async function signerDepsFromEnv(): Promise<{ deps: SignerDeps; visibility: MessageVisibility }> {
  const base = pipelineDepsFromEnv();
  const deps: SignerDeps = {
    ...base,
    endpoints: new CachedEndpointStore(base.endpoints, base.clock),
    secrets: new SecretsManagerStore(new SecretsManagerClient({})),
    http: new GuardedHttpSender({ allowLoopback: base.settings.localMode }),
  };
  return { deps, visibility: base.deliveryQueue };
}
