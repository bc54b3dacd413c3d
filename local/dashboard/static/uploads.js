// Uploads exactly as any browser client does it: ask the API for a presigned POST
// (POST /v1/uploads, or POST /v1/batches for several files), then send the file straight to S3
// as multipart/form-data with every presigned field and the file last, with XMLHttpRequest so
// each file gets a progress bar.
import { api, ApiError } from './api.js';
import { emit, on } from './bus.js';
import { announce, alertMessage, badge, formatBytes, h, setText, statusTone } from './dom.js';

const BY_EXTENSION = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  xml: 'application/xml',
};
const CONCURRENCY = 4;

/** The browser's type, or one from the extension when the browser has none (TIFF, XML often). */
export function contentTypeOf(file) {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}

let seq = 0;
/** document_id → upload item, so the row can show how extraction ended. */
const byDocument = new Map();

export function initUploads() {
  const input = document.getElementById('file-input');
  const zone = document.getElementById('dropzone');

  input.addEventListener('change', () => {
    const files = [...input.files];
    input.value = '';
    if (files.length) startUploads(files);
  });

  let depth = 0;
  zone.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) startUploads(files);
  });
  // A file dropped next to the zone would otherwise make the browser navigate to it.
  window.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  window.addEventListener('drop', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });

  const clear = document.getElementById('clear-uploads');
  clear.addEventListener('click', () => {
    for (const row of [...document.querySelectorAll('#upload-list > li.is-ended')]) row.remove();
    clear.hidden = true;
    document.getElementById('file-input').focus();
  });

  on('documents', (docs) => {
    for (const doc of docs) {
      const item = byDocument.get(doc.document_id);
      if (item) showDocumentStatus(item, doc);
    }
  });
}

function hasFiles(e) {
  return [...(e.dataTransfer?.types ?? [])].includes('Files');
}

export async function startUploads(files) {
  const items = files.map((file) => makeItem(file));
  const list = document.getElementById('upload-list');
  for (const item of items.slice().reverse()) list.prepend(item.row);
  document.getElementById('uploads-empty')?.setAttribute('hidden', '');
  announce(`${items.length} file${items.length === 1 ? '' : 's'} queued for upload.`);
  const asBatch = document.getElementById('as-batch').checked && items.length > 1;
  if (asBatch) await uploadBatch(items);
  else await runLimited(items, CONCURRENCY, uploadOne);
}

function makeItem(file) {
  const id = `upload-${++seq}`;
  const progress = h('progress', {
    max: 100,
    value: 0,
    'aria-labelledby': `${id}-name`,
    'aria-describedby': `${id}-state`,
  });
  const state = h('span', { class: 'upload-state', id: `${id}-state` }, 'Waiting');
  const pill = badge('queued', 'wait');
  const message = h('p', { class: 'upload-message', hidden: true });
  const docLink = h('span', { class: 'upload-doc mono' });
  const row = h(
    'li',
    { class: 'upload-item', id, dataset: { filename: file.name } },
    h(
      'div',
      { class: 'upload-head' },
      h('span', { class: 'upload-name', id: `${id}-name` }, file.name),
      h('span', { class: 'upload-size' }, formatBytes(file.size)),
      pill,
    ),
    h('div', { class: 'upload-bar' }, progress, state),
    docLink,
    message,
  );
  return {
    id,
    file,
    contentType: contentTypeOf(file),
    row,
    progress,
    state,
    pill,
    message,
    docLink,
    documentId: null,
    ended: false,
  };
}

function setPill(item, text) {
  item.pill.className = `badge badge-${statusTone(text)}`;
  setText(item.pill, text);
}

function markEnded(item) {
  item.ended = true;
  item.row.classList.add('is-ended');
  document.getElementById('clear-uploads').hidden = false;
}

function fail(item, error) {
  markEnded(item);
  setPill(item, 'rejected');
  item.row.classList.add('is-error');
  setText(item.state, 'Not uploaded');
  item.progress.value = 0;
  item.message.hidden = false;
  item.message.replaceChildren(
    h('strong', {}, explain(item, error)),
    error instanceof ApiError
      ? h('span', { class: 'error-detail' }, ` ${error.code}: ${stripPrefix(error.message)}`)
      : null,
  );
  alertMessage(`${item.file.name} was not uploaded. ${explain(item, error)}`);
}

function stripPrefix(message) {
  return message.replace(/^Invalid request: /, '').replace(/^documents\.\d+\./, '');
}

/** A sentence a person can act on, from the API's error. */
function explain(item, error) {
  if (!(error instanceof ApiError)) return error.message;
  switch (error.code) {
    case 'UNSUPPORTED_MEDIA_TYPE':
      return `This file type (${item.contentType}) is not accepted. Upload a PDF, PNG, JPEG, TIFF or XML invoice.`;
    case 'FILE_TOO_LARGE':
      return `The file is too large (${formatBytes(item.file.size)}).`;
    case 'UNAUTHORIZED':
      return 'The API key was refused; enter it again.';
    default:
      return stripPrefix(error.message);
  }
}

async function uploadOne(item) {
  setPill(item, 'uploading');
  setText(item.state, 'Requesting an upload URL…');
  let ticket;
  try {
    ticket = await api('POST', '/v1/uploads', {
      filename: item.file.name,
      content_type: item.contentType,
      size_bytes: item.file.size,
    });
  } catch (error) {
    return fail(item, error);
  }
  await send(item, ticket);
}

/** One POST /v1/batches; a file the API refuses is marked and the batch asked again without it. */
async function uploadBatch(items) {
  const pending = items.slice();
  for (const item of pending) {
    setPill(item, 'uploading');
    setText(item.state, 'Requesting upload URLs…');
  }
  while (pending.length > 0) {
    let res;
    try {
      res = await api('POST', '/v1/batches', {
        documents: pending.map((i) => ({
          filename: i.file.name,
          content_type: i.contentType,
          size_bytes: i.file.size,
        })),
      });
    } catch (error) {
      const index = error instanceof ApiError ? /documents\.(\d+)\./.exec(error.message)?.[1] : undefined;
      const culprit = index === undefined ? undefined : pending[Number(index)];
      if (!culprit) {
        for (const item of pending) fail(item, error);
        return;
      }
      fail(culprit, error);
      pending.splice(Number(index), 1);
      continue;
    }
    emit('batch-created', {
      batch_id: res.batch_id,
      total: pending.length,
      filenames: pending.map((i) => i.file.name),
    });
    for (const item of pending) item.row.dataset.batchId = res.batch_id;
    await runLimited(
      pending.map((item, n) => [item, res.documents[n]]),
      CONCURRENCY,
      ([item, ticket]) => send(item, ticket),
    );
    return;
  }
}

async function send(item, ticket) {
  item.documentId = ticket.document_id;
  byDocument.set(ticket.document_id, item);
  item.row.dataset.documentId = ticket.document_id;
  setText(item.docLink, ticket.document_id);
  setText(item.state, 'Uploading 0 %');
  try {
    await postForm(ticket.upload, item.file, (fraction) => {
      const pct = Math.round(fraction * 100);
      item.progress.value = pct;
      setText(item.state, `Uploading ${pct} %`);
    });
  } catch (error) {
    return fail(item, error);
  }
  item.progress.value = 100;
  setPill(item, 'processing');
  setText(item.state, 'Uploaded; extracting…');
  announce(`${item.file.name} uploaded; extraction started.`);
  emit('uploaded', { document_id: ticket.document_id });
}

/** The presigned POST: every field as given, the file last (S3 ignores fields after the file). */
function postForm(upload, file, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method ?? 'POST', upload.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      reject(new Error(`The storage service refused the upload (HTTP ${xhr.status}${s3Message(xhr.responseText)}).`));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload to storage failed: network error or CORS.')));
    xhr.addEventListener('timeout', () => reject(new Error('The upload to storage timed out.')));
    xhr.send(form);
  });
}

/** `: Code — Message` from an S3 XML error, read as data (never as markup). */
function s3Message(xml) {
  if (!xml) return '';
  try {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const code = doc.querySelector('Code')?.textContent ?? '';
    const message = doc.querySelector('Message')?.textContent ?? '';
    return code || message ? `: ${[code, message].filter(Boolean).join(' — ')}` : '';
  } catch {
    return '';
  }
}

function showDocumentStatus(item, doc) {
  if (item.ended || item.pill.textContent === 'uploading' || item.pill.textContent === 'queued') return;
  if (doc.status === 'completed' || doc.status === 'failed') {
    markEnded(item);
    item.row.classList.add(doc.status === 'completed' ? 'is-done' : 'is-failed');
    setPill(item, doc.status);
    setText(item.state, doc.status === 'completed' ? 'Extracted' : `Failed: ${doc.error?.code ?? 'error'}`);
  }
}

async function runLimited(items, limit, fn) {
  const queue = items.slice();
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length) await fn(queue.shift());
  });
  await Promise.all(workers);
}
