// The built-in inbox: a receiver on the dev server that verifies both signatures and keeps the
// last deliveries. Shown exactly as the receiver got them: request line, headers, raw body.
import { api } from './api.js';
import { emit } from './bus.js';
import { announce, badge, h, prettyJson, replace, timeEl } from './dom.js';

let inboxes = [];
let selected = null;
const state = new Map(); // inbox id → { lastSeq, deliveries: [] }
const MAX_SHOWN = 50;

export function initInbox() {
  document.getElementById('inbox-select').addEventListener('change', (e) => {
    selected = e.target.value || null;
    renderSelected(true);
  });
  document.getElementById('inbox-respond').addEventListener('change', async (e) => {
    if (!selected) return;
    const status = Number(e.target.value);
    const inbox = await api('PATCH', `/local/inboxes/${selected}`, { respond_status: status });
    announce(`The inbox now answers HTTP ${inbox.respond_status}.`);
    await loadInboxes();
  });
}

export function resetInbox() {
  inboxes = [];
  selected = null;
  state.clear();
  replace(document.getElementById('inbox-deliveries'));
}

export async function createInbox() {
  return api('POST', '/local/inboxes', {});
}

export async function forgetInbox(id) {
  await api('DELETE', `/local/inboxes/${id}`);
  state.delete(id);
}

export async function registerSecret(id, secret, endpointId) {
  return api('POST', `/local/inboxes/${id}/secrets`, { secret, endpoint_id: endpointId });
}

export function inboxForEndpoint(endpoint) {
  return inboxes.find((i) => i.endpoint_id === endpoint.id || i.url === endpoint.url) ?? null;
}

export async function loadInboxes() {
  ({ inboxes } = await api('GET', '/local/inboxes'));
  if (!inboxes.some((i) => i.id === selected)) selected = inboxes.at(-1)?.id ?? null;
  const select = document.getElementById('inbox-select');
  const signature = JSON.stringify(inboxes.map((i) => [i.id, i.url]));
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    replace(select, ...inboxes.map((i) => h('option', { value: i.id }, i.url)));
  }
  if (selected) select.value = selected;
  const none = inboxes.length === 0;
  document.getElementById('inbox-empty').hidden = !none;
  document.getElementById('inbox-controls').hidden = none;
  const current = inboxes.find((i) => i.id === selected);
  if (current) document.getElementById('inbox-respond').value = String(current.respond_status);
  renderSelected(false);
}

export async function pollInbox() {
  for (const inbox of inboxes) {
    const s = state.get(inbox.id) ?? { lastSeq: 0, deliveries: [] };
    state.set(inbox.id, s);
    const { deliveries } = await api('GET', `/local/inboxes/${inbox.id}/deliveries?after=${s.lastSeq}`);
    if (deliveries.length === 0) continue;
    s.lastSeq = Math.max(s.lastSeq, ...deliveries.map((d) => d.seq));
    s.deliveries = [...deliveries, ...s.deliveries].slice(0, MAX_SHOWN);
    emit('inbox-deliveries', deliveries);
    if (inbox.id === selected) {
      const list = document.getElementById('inbox-deliveries');
      for (const d of deliveries.slice().reverse()) list.prepend(renderDelivery(d));
      while (list.children.length > MAX_SHOWN) list.lastElementChild.remove();
      document.getElementById('inbox-waiting').hidden = true;
      const d = deliveries[0];
      announce(`Inbox received ${d.event ?? 'a request'}: ${verdict(d)}.`);
    }
  }
}

function renderSelected(force) {
  const list = document.getElementById('inbox-deliveries');
  if (!force && list.dataset.inbox === (selected ?? '')) return;
  list.dataset.inbox = selected ?? '';
  const s = selected ? state.get(selected) : null;
  replace(list, ...(s?.deliveries ?? []).map(renderDelivery));
  document.getElementById('inbox-waiting').hidden = !selected || (s?.deliveries.length ?? 0) > 0;
}

function verdict(d) {
  const v = d.verification;
  return v.standard.verified && v.docuparse.verified ? 'both signatures verified' : 'signature check failed';
}

const FAILURES = {
  MISSING_HEADERS: 'headers missing',
  NO_SECRET: 'no secret registered for this inbox',
  BAD_SIGNATURE: 'does not match the secret',
  TIMESTAMP_OUT_OF_TOLERANCE: 'timestamp outside the 5-minute window',
};

function schemeBadge(name, result) {
  if (result.verified) {
    const which = result.matched.includes('current')
      ? result.matched.includes('previous')
        ? 'current and previous secret'
        : 'current secret'
      : 'previous secret';
    return h(
      'li',
      { class: 'verify verify-ok' },
      badge('✓ verified', 'ok'),
      ' ',
      h('code', {}, name),
      ` with the ${which}`,
    );
  }
  return h(
    'li',
    { class: 'verify verify-bad' },
    badge('✗ not verified', 'bad'),
    ' ',
    h('code', {}, name),
    `: ${FAILURES[result.failure] ?? result.failure ?? 'failed'}`,
  );
}

function renderDelivery(d) {
  const raw = [
    `${d.method} ${d.path} HTTP/${d.http_version}`,
    ...d.headers.map(([k, v]) => `${k}: ${v}`),
    '',
    d.body,
  ].join('\n');
  const ok = d.responded_with >= 200 && d.responded_with < 300;
  return h(
    'li',
    { class: 'delivery', dataset: { event: d.event ?? '', seq: d.seq } },
    h(
      'div',
      { class: 'delivery-head' },
      h('h3', { class: 'delivery-event mono' }, d.event ?? `${d.method} request`),
      d.subject ? h('span', { class: 'mono hint' }, d.subject.document_id ?? d.subject.batch_id) : null,
      h(
        'span',
        { class: 'delivery-meta hint' },
        timeEl(d.received_at),
        ' · answered ',
        badge(String(d.responded_with), ok ? 'ok' : 'bad'),
      ),
    ),
    h(
      'ul',
      { class: 'verify-list', 'aria-label': 'Signature checks' },
      schemeBadge('webhook-signature', d.verification.standard),
      schemeBadge('X-DocuParse-Signature', d.verification.docuparse),
    ),
    h(
      'details',
      { class: 'doc-more' },
      h('summary', {}, `Request as received (${d.headers.length} headers, ${d.body_bytes} bytes)`),
      h(
        'pre',
        { class: 'code raw-request', tabindex: '0', 'aria-label': `Raw request: ${d.event ?? 'delivery'}` },
        raw,
      ),
      h('p', { class: 'hint sub' }, 'Body, formatted'),
      h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Body, formatted' }, prettyJson(d.body)),
    ),
  );
}
