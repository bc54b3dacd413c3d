import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../core/ports.ts';

/**
 * Endpoint signing secrets in Secrets Manager, cached briefly: a signer handling a burst reads
 * each secret once, and a rotation reaches every signer within the cache lifetime.
 */
export class SecretsManagerStore implements SecretStore {
  private readonly cache = new Map<string, { value: string | undefined; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: { cacheSeconds?: number; kmsKeyId?: string } = {},
  ) {}

  async get(name: string): Promise<string | undefined> {
    const hit = this.cache.get(name);
    if (hit && hit.until > Date.now()) return hit.value;
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
    }
    this.cache.set(name, { value, until: Date.now() + (this.options.cacheSeconds ?? 30) * 1000 });
    return value;
  }

  async put(name: string, value: string): Promise<void> {
    this.cache.delete(name);
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
      await this.client.send(
        new CreateSecretCommand({ Name: name, SecretString: value, KmsKeyId: this.options.kmsKeyId }),
      );
    }
  }

  async delete(name: string): Promise<void> {
    this.cache.delete(name);
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
    }
  }
}
