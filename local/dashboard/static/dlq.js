// The dead-letter queues (only this account's messages) with a redrive button each.
import { api } from './api.js';
import { announce, alertMessage, h, replace, setText, timeEl } from './dom.js';

const NAMES = { delivery: 'Delivery DLQ', ingest: 'Ingest DLQ' };
const HELP = {
  delivery:
    'Webhook deliveries that failed every attempt. Fix the receiver, then redrive: they are sent again, signed afresh.',
  ingest: 'S3 upload events whose extraction crashed repeatedly. Redrive runs the extraction again.',
};
const panels = new Map();

export function resetDlq() {
  panels.clear();
  replace(document.getElementById('dlq-list'));
}

export async function pollDlq() {
  const { queues } = await api('GET', '/local/dlq');
  const list = document.getElementById('dlq-list');
  for (const q of queues) {
    let panel = panels.get(q.kind);
    if (!panel) {
      panel = build(q);
      panels.set(q.kind, panel);
      list.append(panel.el);
    }
    const signature = JSON.stringify(q);
    if (panel.signature === signature) continue;
    panel.signature = signature;
    setText(panel.count, `${q.count}${q.truncated ? '+' : ''} message${q.count === 1 ? '' : 's'}`);
    panel.count.dataset.count = String(q.count);
    panel.el.dataset.count = String(q.count);
    panel.button.disabled = q.count === 0 || panel.busy;
    setText(panel.button, q.count ? `Redrive ${q.count} to ${q.source}` : 'Nothing to redrive');
    if (q.messages.length === 0) {
      replace(panel.messages);
    } else {
      replace(
        panel.messages,
        ...q.messages.map((m) =>
          h(
            'li',
            { class: 'dlq-message' },
            h('span', { class: 'mono' }, m.event ?? m.document_id ?? m.message_id),
            ' ',
            h(
              'span',
              { class: 'hint' },
              m.endpoint_id ? `to ${m.endpoint_id} · ` : '',
              m.subject_id && m.subject_id !== m.endpoint_id ? `${m.subject_id} · ` : '',
              'sent ',
              timeEl(m.sent_at),
            ),
          ),
        ),
      );
    }
  }
}

function build(q) {
  const id = `dlq-${q.kind}`;
  const panel = { signature: '', busy: false };
  panel.count = h('span', { class: 'dlq-count', id: `${id}-count` });
  panel.button = h('button', { type: 'button', class: 'btn', 'aria-describedby': `${id}-count` }, 'Redrive');
  panel.messages = h('ul', { class: 'dlq-messages', 'aria-label': `${NAMES[q.kind]} messages` });
  panel.result = h('p', { class: 'hint', role: 'status' });
  panel.button.addEventListener('click', async () => {
    panel.busy = true;
    panel.button.disabled = true;
    try {
      const res = await api('POST', `/local/dlq/${q.kind}/redrive`, {});
      const text = `Moved ${res.moved} of ${res.total} message${res.total === 1 ? '' : 's'} back to ${q.source}.`;
      setText(panel.result, text);
      announce(text);
    } catch (err) {
      setText(panel.result, err.message);
      alertMessage(err.message);
    } finally {
      panel.busy = false;
      panel.signature = '';
      await pollDlq().catch(() => {});
    }
  });
  panel.el = h(
    'section',
    { class: 'dlq', 'aria-labelledby': `${id}-title`, dataset: { kind: q.kind } },
    h(
      'div',
      { class: 'dlq-head' },
      h('h3', { id: `${id}-title` }, NAMES[q.kind], ' ', h('span', { class: 'mono hint' }, q.queue)),
      panel.count,
    ),
    h('p', { class: 'hint' }, HELP[q.kind]),
    panel.messages,
    h('div', { class: 'actions' }, panel.button),
    panel.result,
  );
  return panel;
}
