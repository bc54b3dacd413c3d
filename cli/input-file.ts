/** Files named on the command line: reading them with clear errors, and the type to declare for them. */
import { readFileSync, statSync } from 'node:fs';
import { sniffFileType, validateUpload, type FileKind } from '../functions/core/file-type.ts';
import { CliError } from './errors.ts';

/**
 * The bytes and size of a file; a missing, unreadable or non-regular one (a directory) is a
 * CliError naming it. A file over `maxBytes` is not read (bytes empty): the size tells the caller.
 */
export function readInputFile(path: string, maxBytes = Number.POSITIVE_INFINITY): { bytes: Uint8Array; size: number } {
  try {
    const stat = statSync(path);
    if (!stat.isFile())
      throw new CliError(
        'FILE_UNREADABLE',
        `Cannot read ${path}: it is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}; pass a file.`,
      );
    return { size: stat.size, bytes: stat.size > maxBytes ? new Uint8Array() : new Uint8Array(readFileSync(path)) };
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('FILE_NOT_FOUND', `Cannot read ${path}: no such file.`);
    throw new CliError(
      'FILE_UNREADABLE',
      `Cannot read ${path}: ${code === 'EACCES' ? 'permission denied' : (err as Error).message}.`,
    );
  }
}

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  xml: 'application/xml',
};

export function contentTypeOf(filename: string): string {
  return BY_EXTENSION[filename.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}

const BY_KIND: Partial<Record<FileKind, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  xml: 'application/xml',
  gif: 'image/gif',
  webp: 'image/webp',
  zip: 'application/zip',
  text: 'text/plain',
};

/**
 * The content type to declare: the extension's when it names one (so a mismatch with the bytes
 * is refused, not guessed at), else what the bytes are, so an extensionless PDF is a PDF.
 */
export function contentTypeFor(filename: string, bytes: Uint8Array): string {
  const byName = contentTypeOf(filename);
  if (byName !== 'application/octet-stream') return byName;
  return BY_KIND[sniffFileType(bytes.subarray(0, 4096))] ?? byName;
}

/**
 * A file the pipeline would accept (its checks: validateUpload, on the head it reads), with the
 * content type to declare for it; else a CliError, whose message starts with the path if `named`.
 */
export function readAcceptedFile(
  path: string,
  maxBytes: number,
  named = false,
): { bytes: Uint8Array; contentType: string } {
  const { bytes, size } = readInputFile(path, maxBytes);
  const contentType = contentTypeFor(path, bytes);
  const check = validateUpload({ head: bytes.subarray(0, 4096), size, declaredContentType: contentType, maxBytes });
  if (!check.ok) throw new CliError(check.code, named ? `${path}: ${check.message}` : check.message);
  return { bytes, contentType };
}
