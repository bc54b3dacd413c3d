/** s3rver's file store, confined: no key reaches a path outside its folder, whatever the caller. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
import { afterAll, describe, expect, it } from 'vitest';
import { confineStore } from '../../local/stand-ins/confine-store.ts';

const root = mkdtempSync(join(tmpdir(), 'docuhook-confine-'));
const folder = join(root, 's3');
mkdirSync(folder);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('confineStore', () => {
  const store = new FilesystemStore(folder);
  confineStore(store);

  it('keeps ordinary keys working', async () => {
    await store.putBucket('b');
    await store.putObject({
      bucket: 'b',
      key: 'uploads/a/doc',
      content: Readable.from([Buffer.from('x')]),
      metadata: {},
    });
    expect(await store.existsObject('b', 'uploads/a/doc')).toBe(true);
  });

  it('refuses keys and buckets that would leave the folder, writing and deleting nothing there', async () => {
    const put = (bucket: string, key: string) =>
      store.putObject({ bucket, key, content: Readable.from([Buffer.from('x')]), metadata: {} });
    await expect(put('b', '../../../pwned')).rejects.toThrow(/outside the local S3 folder/);
    await expect(put('..', 'pwned')).rejects.toThrow(/outside/);
    await expect(store.deleteObject('b', '../../s3')).rejects.toThrow(/outside/);
    expect(readdirSync(root)).toEqual(['s3']);
    expect(existsSync(folder)).toBe(true);
  });
});
