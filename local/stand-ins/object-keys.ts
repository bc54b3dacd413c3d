/**
 * S3 object keys the local stand-in accepts: s3rver turns a key into a file path under its folder,
 * so a key must stay a plain relative path — no `..` or `.` segment, no leading or doubled slash,
 * no backslash, NUL or other control character, and no `${filename}` (s3rver would put the
 * uploader's file name in its place, after any check).
 */
export function isSafeObjectKey(key: string): boolean {
  if (key.length === 0 || Buffer.byteLength(key) > 1024) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal upload placeholder, not a template
  if (/[\u0000-\u001f\u007f\\]/.test(key) || key.includes('${filename}')) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** The bucket and decoded key of a path-style S3 URL path (`/bucket/key…`); undefined when it is malformed. */
export function s3Target(path: string): { bucket: string; key?: string } | undefined {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match) return undefined;
  try {
    const bucket = decodeURIComponent(match[1]!);
    return match[2] === undefined ? { bucket } : { bucket, key: decodeURIComponent(match[2]) };
  } catch {
    return undefined;
  }
}
