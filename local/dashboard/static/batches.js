// Batch progress (GET /v1/batches/{id}) and `batch.completed`, also as the inbox received it.
import { api } from './api.js';
import { on } from './bus.js';
import { announce, badge, h, replace, setText, timeEl } from './dom.js';

const batches = new Map(); // batch_id → { el, view, inboxEvent, files, parts }

export function initBatches() {
  on('batch-created', ({ batch_id, total, filenames }) => track(batch_id, { total, filenames }));
  on('documents', (docs) => {
    for (const doc of docs) if (doc.batch_id) track(doc.batch_id, {});
  });
  on('inbox-deliveries', (deliveries) => {
    for (const d of deliveries) {
      const id = d.subject?.batch_id;
      if (d.event !== 'batch.completed' || !id) continue;
      const batch = track(id, {});
      if (!batch.inboxEvent) {
        batch.inboxEvent = d;
        update(batch);
      }
    }
  });
}

export function resetBatches() {
  batches.clear();
  replace(document.getElementById('batch-list'));
}

function track(batchId, { total, filenames }) {
  let batch = batches.get(batchId);
  if (!batch) {
    batch = {
      id: batchId,
      view: null,
      inboxEvent: null,
      files: filenames ?? null,
      total: total ?? null,
      el: null,
      announced: false,
      live: Boolean(filenames),
    };
    batch.el = build(batch);
    batches.set(batchId, batch);
    document.getElementById('batch-list').prepend(batch.el);
    document.getElementById('batches-empty').hidden = true;
    update(batch);
  }
  return batch;
}

export async function pollBatches() {
  const open = [...batches.values()].filter((b) => b.view?.status !== 'completed').slice(0, 20);
  await Promise.all(
    open.map(async (batch) => {
      try {
        batch.view = await api('GET', `/v1/batches/${encodeURIComponent(batch.id)}`);
      } catch (error) {
        if (error.status === 404) batch.view = { status: 'completed', summary: null, missing: true };
        else throw error;
      }
      update(batch);
    }),
  );
}

function build(batch) {
  const id = `batch-${batch.id}`;
  const parts = {
    title: h('h3', { class: 'batch-title mono', id: `${id}-title` }, batch.id),
    status: h('span', {}),
    progress: h('progress', { max: 1, value: 0, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-counts` }),
    counts: h('span', { class: 'batch-counts', id: `${id}-counts` }),
    event: h('p', { class: 'batch-event' }),
    files: h('p', { class: 'hint batch-files' }),
  };
  batch.parts = parts;
  return h(
    'li',
    { class: 'batch', dataset: { batchId: batch.id } },
    h('div', { class: 'batch-head' }, parts.title, parts.status),
    h('div', { class: 'batch-bar' }, parts.progress, parts.counts),
    parts.files,
    parts.event,
  );
}

function update(batch) {
  const { parts, view } = batch;
  const s = view?.summary;
  const total = s?.total ?? batch.total ?? 0;
  const ended = s ? s.succeeded + s.failed : 0;
  parts.progress.max = Math.max(1, total);
  parts.progress.value = ended;
  setText(
    parts.counts,
    s
      ? `${ended} of ${total} ended · ${s.succeeded} succeeded · ${s.failed} failed`
      : view?.missing
        ? 'not found'
        : `${total || '?'} documents`,
  );
  if (batch.files) setText(parts.files, batch.files.join(', '));
  const completed = view?.status === 'completed' && !view.missing;
  replace(
    parts.status,
    completed ? badge('completed', 'ok') : view?.missing ? badge('unknown', 'neutral') : badge('processing', 'busy'),
  );
  batch.el.dataset.status = completed ? 'completed' : 'processing';
  if (completed) {
    replace(
      parts.event,
      badge('batch.completed', 'ok'),
      ' ',
      view.completed_at ? ['at ', timeEl(view.completed_at)] : null,
      batch.inboxEvent ? [' · delivered to the inbox at ', timeEl(batch.inboxEvent.received_at)] : null,
    );
    if (!batch.announced) {
      batch.announced = true;
      if (batch.live) announce(`Batch ${batch.id} completed: ${s.succeeded} succeeded, ${s.failed} failed.`);
    }
  } else if (view) {
    batch.live = true;
  }
  if (!completed && batch.inboxEvent) {
    replace(
      parts.event,
      badge('batch.completed', 'ok'),
      ' delivered to the inbox at ',
      timeEl(batch.inboxEvent.received_at),
    );
  }
}
