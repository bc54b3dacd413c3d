/** `docuhook upload <files…> [--batch] [--wait]`: presigned uploads, optionally waiting for the outcome. */
import { setTimeout as sleep } from 'node:timers/promises';
import { postFile, type DocuhookClient, type UploadTicket } from '../api-client.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../output.ts';
import { clientFromSettings, numberSetting, type SettingFlags } from '../settings.ts';
import { checkUploadFiles, localUploadLimit } from '../upload-files.ts';

interface DocumentView {
  document_id: string;
  status: string;
  filename: string;
  data?: unknown;
  error?: { code: string; message: string };
}

export async function upload(
  files: string[],
  flags: SettingFlags & { batch?: boolean; wait?: boolean; json?: boolean; timeout?: string },
): Promise<number> {
  const timeoutMs = (numberSetting(flags.timeout, '--timeout', { min: 1, max: 86_400 }) ?? 120) * 1000;
  const client = clientFromSettings(flags);
  const say = (line: string) => {
    if (!flags.json) console.error(line);
  };
  const entries = checkUploadFiles(files, localUploadLimit());

  let tickets: UploadTicket[];
  let batchId: string | undefined;
  if (flags.batch) {
    const res = await client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: entries.map((e) => ({
        filename: e.filename,
        content_type: e.content_type,
        size_bytes: e.bytes.length,
      })),
    });
    batchId = res.batch_id;
    tickets = res.documents;
    say(`batch ${batchId}: ${tickets.length} document(s)`);
  } else {
    tickets = [];
    for (const e of entries)
      tickets.push(
        await client.request<UploadTicket>('POST', '/v1/uploads', {
          filename: e.filename,
          content_type: e.content_type,
          size_bytes: e.bytes.length,
        }),
      );
  }
  for (const [i, e] of entries.entries()) {
    await postFile(tickets[i]!, e.bytes, e.filename, e.content_type);
    say(`[${i + 1}/${entries.length}] uploaded ${e.filename} → ${tickets[i]!.document_id}`);
  }
  if (!flags.wait) {
    printJson(
      {
        batch_id: batchId ?? null,
        documents: tickets.map((t, i) => ({ document_id: t.document_id, filename: entries[i]!.filename })),
      },
      flags.json,
    );
    return 0;
  }
  const results = await waitForAll(
    client,
    tickets.map((t) => t.document_id),
    timeoutMs,
    say,
  );
  printJson({ batch_id: batchId ?? null, documents: results }, flags.json);
  return results.every((r) => r.status === 'completed') ? 0 : 1;
}

async function waitForAll(
  client: DocuhookClient,
  ids: string[],
  timeoutMs: number,
  say: (l: string) => void,
): Promise<DocumentView[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, DocumentView>();
  while (done.size < ids.length) {
    for (const id of ids.filter((x) => !done.has(x))) {
      const doc = await client.request<DocumentView>('GET', `/v1/documents/${id}`);
      if (doc.status === 'completed' || doc.status === 'failed') {
        done.set(id, doc);
        say(`${doc.filename}: ${doc.status}${doc.error ? ` (${doc.error.code})` : ''}`);
      }
    }
    if (done.size < ids.length) {
      if (Date.now() > deadline)
        throw new CliError(
          'TIMEOUT',
          `timed out after ${timeoutMs / 1000} s waiting for ${ids.length - done.size} document(s); raise --timeout or check them later with GET /v1/documents/<id>`,
        );
      await sleep(250);
    }
  }
  return ids.map((id) => done.get(id)!);
}
