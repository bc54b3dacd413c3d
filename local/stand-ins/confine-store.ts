/**
 * Keeps s3rver's files inside its folder whatever key reaches it (the front door already refuses
 * unsafe keys; this holds for keys it never sees, such as those inside a signed DeleteObjects body).
 */
import { isAbsolute, relative, resolve } from 'node:path';

interface PathMaker {
  rootDirectory: string;
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key?: string, resource?: string): string;
}

export function confineStore(store: PathMaker): void {
  const root = resolve(store.rootDirectory);
  const inside = (path: string) => {
    const rel = relative(root, resolve(path));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`refused: ${path} is outside the local S3 folder`);
    return path;
  };
  const bucketPath = store.getBucketPath.bind(store);
  const resourcePath = store.getResourcePath.bind(store);
  store.getBucketPath = (bucket) => inside(bucketPath(bucket));
  store.getResourcePath = (bucket, key, resource) => inside(resourcePath(bucket, key, resource));
}
