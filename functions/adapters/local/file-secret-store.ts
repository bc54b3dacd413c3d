/**
 * The local stand-in for Secrets Manager: one JSON file in the data directory, readable by its
 * owner only, written atomically (write, then rename) so a crash never leaves it half-written.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../../core/ports.ts';

export class FileSecretStore implements SecretStore {
  private secrets: Record<string, string>;

  constructor(private readonly file: string) {
    this.secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  }

  async get(name: string): Promise<string | undefined> {
    return Object.hasOwn(this.secrets, name) ? this.secrets[name] : undefined;
  }

  async put(name: string, value: string): Promise<void> {
    this.secrets = { ...this.secrets, [name]: value };
    this.flush();
  }

  async delete(name: string): Promise<void> {
    const { [name]: _gone, ...rest } = this.secrets;
    this.secrets = rest;
    this.flush();
  }

  private flush(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.secrets), { mode: 0o600 });
    renameSync(tmp, this.file);
    chmodSync(this.file, 0o600);
  }
}
