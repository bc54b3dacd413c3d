/**
 * Credentials of local mode's DynamoDB and S3 stand-ins. Like AWS, the stand-ins answer only
 * requests signed with a secret they know: docuhook's SDK clients sign with one made for this run
 * (never written down), and upload URLs with one kept in the data directory (mode 0600), because an
 * upload URL issued before a restart must still work after it (see s3-port.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StandInCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function newStandInCredentials(prefix = 'LOCALRUN'): StandInCredentials {
  return {
    accessKeyId: `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/** The upload-signing credentials of a data directory, made on its first start. */
export function uploadSigningCredentials(dataDir: string): StandInCredentials {
  const file = join(dataDir, 'upload-signing-key.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<StandInCredentials>;
    if (
      typeof saved.accessKeyId === 'string' &&
      typeof saved.secretAccessKey === 'string' &&
      saved.secretAccessKey.length >= 32
    ) {
      return { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey };
    }
  }
  const made = newStandInCredentials('LOCALUPLOAD');
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
  return made;
}
