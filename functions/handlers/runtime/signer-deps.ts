import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../adapters/aws/secrets-manager-store.ts';
import { GuardedHttpSender } from '../../adapters/http-sender.ts';
import type { SignerDeps } from '../../core/deps.ts';
import type { MessageVisibility, ObjectStore, UploadPresigner } from '../../core/ports.ts';
import { notWired, pipelineDepsFromEnv } from './pipeline-deps.ts';

/** The signer reads endpoint secrets and POSTs; it never touches uploads. */
export async function signerDepsFromEnv(): Promise<{ deps: SignerDeps; visibility: MessageVisibility }> {
  const base = pipelineDepsFromEnv();
  const deps: SignerDeps = {
    ...base,
    presigner: notWired<UploadPresigner>('the upload presigner'),
    objects: notWired<ObjectStore>('the object store'),
    secrets: new SecretsManagerStore(new SecretsManagerClient({})),
    http: new GuardedHttpSender({ allowLoopback: base.settings.localMode }),
  };
  return { deps, visibility: base.deliveryQueue };
}
