/**
 * The files of one `docuhook upload`, every one checked before any upload is created (exists,
 * readable, what its bytes are, size: the checks the pipeline runs on an upload), so that a bad
 * file fails the command whole, named, and leaves no document behind.
 */
import { basename } from 'node:path';
import { loadSettings } from '../functions/core/settings.ts';
import { CliError } from './errors.ts';
import { readAcceptedFile } from './input-file.ts';

/** Named as the API's upload request names them. */
export interface UploadFile {
  filename: string;
  content_type: string;
  bytes: Uint8Array;
}

/** The API's limit as local mode sets it (MAX_UPLOAD_BYTES, 20 MB by default). */
export function localUploadLimit(): number {
  return loadSettings({ MAX_UPLOAD_BYTES: process.env.MAX_UPLOAD_BYTES || undefined }).maxUploadBytes;
}

/** The files in order, or one CliError naming every bad one (with the first one's code). */
export function checkUploadFiles(paths: string[], maxBytes: number): UploadFile[] {
  const files: UploadFile[] = [];
  const problems: CliError[] = [];
  for (const path of paths) {
    try {
      const { bytes, contentType } = readAcceptedFile(path, maxBytes, true);
      files.push({ filename: basename(path), content_type: contentType, bytes });
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      problems.push(err);
    }
  }
  if (problems.length === 0) return files;
  throw new CliError(problems[0]!.code, `${problems.map((p) => p.message).join(' ')} Nothing was uploaded.`);
}
