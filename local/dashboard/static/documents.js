// The live list of documents: GET /v1/documents every second, status and extracted fields.
import { api } from './api.js';
import { emit } from './bus.js';
import { announce, badge, h, replace, setText, statusTone, timeEl } from './dom.js';

const items = new Map(); // document_id → { el, signature, status }
let firstLoad = true;

const SUMMARY_FIELDS = [
  ['merchant', 'Merchant'],
  ['invoice_id', 'Invoice number'],
  ['date', 'Date'],
  ['due_date', 'Due'],
  ['subtotal', 'Subtotal'],
  ['tax', 'Tax'],
  ['total', 'Total'],
  ['customer_name', 'Customer'],
];

export function resetDocuments() {
  items.clear();
  firstLoad = true;
  replace(document.getElementById('document-list'));
}

export async function pollDocuments() {
  const { documents } = await api('GET', '/v1/documents?limit=50');
  render(documents);
  emit('documents', documents);
}

function render(documents) {
  const list = document.getElementById('document-list');
  document.getElementById('documents-empty').hidden = documents.length > 0;
  setText(
    document.getElementById('documents-count'),
    documents.length ? `${documents.length}${documents.length === 50 ? '+' : ''}` : '',
  );
  const seen = new Set();
  documents.forEach((doc, index) => {
    seen.add(doc.document_id);
    const signature = JSON.stringify([doc.status, doc.updated_at, doc.data ?? null, doc.error ?? null]);
    let item = items.get(doc.document_id);
    if (!item) {
      item = { el: h('li', { class: 'doc', dataset: { documentId: doc.document_id } }), signature: '', status: null };
      items.set(doc.document_id, item);
    }
    if (item.signature !== signature) {
      fill(item.el, doc);
      if (!firstLoad && item.status !== doc.status && (doc.status === 'completed' || doc.status === 'failed')) {
        announce(
          doc.status === 'completed'
            ? `${doc.filename} completed${doc.data?.merchant ? `: ${doc.data.merchant}` : ''}${doc.data?.total ? `, total ${doc.data.total} ${doc.data.currency ?? ''}` : ''}.`
            : `${doc.filename} failed: ${doc.error?.message ?? doc.error?.code ?? 'unknown error'}`,
        );
      }
      item.signature = signature;
      item.status = doc.status;
    }
    if (list.children[index] !== item.el) list.insertBefore(item.el, list.children[index] ?? null);
  });
  for (const [id, item] of items) {
    if (!seen.has(id)) {
      item.el.remove();
      items.delete(id);
    }
  }
  firstLoad = false;
}

function fill(el, doc) {
  const open = [...el.querySelectorAll('details')].map((d) => d.open);
  el.dataset.status = doc.status;
  const label = { awaiting_upload: 'awaiting upload' }[doc.status] ?? doc.status;
  const children = [
    h(
      'div',
      { class: 'doc-head' },
      h('h3', { class: 'doc-name' }, doc.filename),
      badge(label, statusTone(doc.status)),
      h('span', { class: 'doc-time' }, timeEl(doc.created_at)),
    ),
    h(
      'p',
      { class: 'doc-ids mono' },
      h('span', { 'aria-label': 'Document id' }, doc.document_id),
      doc.batch_id ? h('span', { 'aria-label': 'Batch id' }, ` · ${doc.batch_id}`) : null,
    ),
  ];
  if (doc.data) {
    const d = doc.data;
    const money = (v) => (v === null || v === undefined ? null : `${v} ${d.currency ?? ''}`.trim());
    const dl = h('dl', { class: 'fields' });
    for (const [key, name] of SUMMARY_FIELDS) {
      const raw = d[key];
      const value = ['subtotal', 'tax', 'total'].includes(key) ? money(raw) : raw;
      if (value === null || value === undefined || value === '') continue;
      dl.append(h('div', { class: `field field-${key}` }, h('dt', {}, name), h('dd', {}, String(value))));
    }
    children.push(dl);
    const warnings = Array.isArray(d.warnings) ? d.warnings : [];
    if (warnings.length)
      children.push(
        h(
          'p',
          { class: 'doc-warning' },
          `Warnings: ${warnings.map((w) => (typeof w === 'string' ? w : (w?.code ?? JSON.stringify(w)))).join(', ')}`,
        ),
      );
    if (Array.isArray(d.line_items) && d.line_items.length) {
      children.push(
        h(
          'details',
          { class: 'doc-more' },
          h('summary', {}, `Line items (${d.line_items.length})`),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h(
                'thead',
                {},
                h('tr', {}, ...['Description', 'Qty', 'Unit price', 'Total'].map((t) => h('th', { scope: 'col' }, t))),
              ),
              h(
                'tbody',
                {},
                ...d.line_items.map((li) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, li.description ?? ''),
                    h('td', { class: 'num' }, li.quantity ?? ''),
                    h('td', { class: 'num' }, li.unit_price ?? ''),
                    h('td', { class: 'num' }, li.total ?? ''),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    }
    children.push(
      h(
        'details',
        { class: 'doc-more' },
        h('summary', {}, 'Payload data (JSON)'),
        h('pre', { class: 'code' }, JSON.stringify(d, null, 2)),
      ),
    );
  }
  if (doc.error) {
    children.push(h('p', { class: 'doc-error' }, h('strong', {}, doc.error.code), ` ${doc.error.message ?? ''}`));
  }
  if (doc.status === 'awaiting_upload' && doc.upload_expires_at) {
    children.push(
      h('p', { class: 'hint' }, 'Waiting for the file; the upload URL expires at ', timeEl(doc.upload_expires_at), '.'),
    );
  }
  replace(el, children);
  el.querySelectorAll('details').forEach((d, i) => {
    if (open[i]) d.open = true;
  });
}
