/**
 * The extraction sandbox's worker thread: reads one document at a time with the offline
 * extractor. Its heap is capped by the sandbox's resourceLimits and the sandbox terminates it
 * at the deadline, so a hostile document costs this thread only. It owns its OCR workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractExpense, OcrPool } from '../index.ts';
import { toFailure } from './failures.ts';
import { CLOSE, type SandboxJob, type SandboxReply, type SandboxWorkerData } from './protocol.ts';

const port = parentPort!;
const ocr = new OcrPool({ poolSize: (workerData as SandboxWorkerData).ocrPoolSize });

port.on('message', async (job: SandboxJob | typeof CLOSE) => {
  if (job === CLOSE) {
    await ocr.close();
    port.close();
    return;
  }
  let reply: SandboxReply;
  try {
    const result = await extractExpense(job.bytes, {
      contentType: job.contentType,
      maxPages: job.maxPages,
      timeoutMs: job.timeoutMs,
      ocr,
    });
    reply = { id: job.id, ok: true, result };
  } catch (err) {
    reply = { id: job.id, ok: false, failure: toFailure(err) };
  }
  port.postMessage(reply);
});
