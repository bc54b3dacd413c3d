// Webhook endpoints through the API: add (or add the built-in inbox), rotate the secret (shown
// once), send a test event, read the attempt log, recover, delete.
import { api, ApiError } from './api.js';
import { alertMessage, announce, badge, copyButton, h, replace, setText, statusTone, timeEl } from './dom.js';
import { createInbox, forgetInbox, inboxForEndpoint, loadInboxes, registerSecret } from './inbox.js';

const endpoints = new Map(); // id → { el, signature, logOpen, logEl, toggle }

export function initWebhooks() {
  const form = document.getElementById('webhook-form');
  const url = document.getElementById('webhook-url');
  const error = document.getElementById('webhook-form-error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const value = url.value.trim();
    if (!value) return showFormError('Enter the URL of your receiver, e.g. http://127.0.0.1:8000/webhooks.');
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await api('POST', '/v1/webhooks', { url: value });
      url.value = '';
      showSecret(created.url, created.secret, 'created');
      await refreshWebhooks();
    } catch (err) {
      showFormError(err.message);
    } finally {
      button.disabled = false;
    }
  });
  document.getElementById('add-inbox').addEventListener('click', async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    try {
      const inbox = await createInbox();
      let created;
      try {
        created = await api('POST', '/v1/webhooks', { url: inbox.url, description: 'docuhook dashboard inbox' });
      } catch (err) {
        await forgetInbox(inbox.id).catch(() => {});
        throw err;
      }
      await registerSecret(inbox.id, created.secret, created.id);
      showSecret(created.url, created.secret, 'created', true);
      await loadInboxes();
      await refreshWebhooks();
      announce('Inbox endpoint created. Deliveries appear in the Inbox panel.');
    } catch (err) {
      showFormError(err.message);
    } finally {
      button.disabled = false;
    }
  });
  document.getElementById('secret-dismiss').addEventListener('click', () => {
    document.getElementById('secret-box').hidden = true;
    replace(document.getElementById('secret-value'));
    document.getElementById('webhook-url').focus();
  });

  function showFormError(message) {
    error.textContent = message;
    error.hidden = false;
    alertMessage(message);
  }
}

export function resetWebhooks() {
  endpoints.clear();
  replace(document.getElementById('webhook-list'));
  document.getElementById('secret-box').hidden = true;
}

/** The secret, once: it is not kept anywhere in the page after "Done". */
function showSecret(url, secret, what, isInbox = false) {
  const box = document.getElementById('secret-box');
  setText(document.getElementById('secret-title'), what === 'rotated' ? 'New signing secret' : 'Signing secret');
  setText(document.getElementById('secret-url'), url);
  setText(
    document.getElementById('secret-note'),
    (what === 'rotated'
      ? 'Shown only now. The previous secret keeps signing for 24 hours, so switch your receiver over within that window.'
      : 'Shown only now: copy it into your receiver. It cannot be read back later (rotate to get a new one).') +
      (isInbox ? ' The built-in inbox already has it.' : ''),
  );
  replace(
    document.getElementById('secret-value'),
    h('code', { id: 'secret-code', class: 'secret' }, secret),
    ' ',
    copyButton(() => secret, 'Copy the secret'),
  );
  box.hidden = false;
  document.getElementById('secret-title').focus();
}

export async function refreshWebhooks() {
  const { webhooks } = await api('GET', '/v1/webhooks');
  const list = document.getElementById('webhook-list');
  document.getElementById('webhooks-empty').hidden = webhooks.length > 0;
  const seen = new Set();
  webhooks.forEach((endpoint, index) => {
    seen.add(endpoint.id);
    let item = endpoints.get(endpoint.id);
    if (!item) {
      item = build(endpoint);
      endpoints.set(endpoint.id, item);
    }
    const inbox = inboxForEndpoint(endpoint);
    const signature = JSON.stringify([endpoint, inbox?.id ?? null]);
    if (item.signature !== signature) {
      item.signature = signature;
      replace(item.status, badge(endpoint.status, statusTone(endpoint.status)), inbox ? badge('inbox', 'info') : null);
      setText(item.reason, endpoint.disabled_reason ? `Disabled: ${endpoint.disabled_reason}` : '');
      item.reason.hidden = !endpoint.disabled_reason;
      item.recover.hidden = endpoint.status === 'enabled';
      item.el.dataset.status = endpoint.status;
    }
    if (list.children[index] !== item.el) list.insertBefore(item.el, list.children[index] ?? null);
  });
  for (const [id, item] of endpoints) {
    if (!seen.has(id)) {
      item.el.remove();
      endpoints.delete(id);
    }
  }
}

/** Keeps open attempt logs fresh. */
export async function pollAttemptLogs() {
  await Promise.all([...endpoints.values()].filter((i) => i.logOpen).map((i) => loadLog(i)));
}

function build(endpoint) {
  const id = endpoint.id;
  const item = { id, url: endpoint.url, signature: '', logOpen: false };
  item.status = h('span', { class: 'endpoint-badges' });
  item.reason = h('p', { class: 'doc-error', hidden: true });
  item.message = h('p', { class: 'endpoint-message', role: 'status' });
  item.logEl = h('div', { class: 'attempt-log', id: `log-${id}`, hidden: true });
  const name = `${endpoint.url}`;
  const button = (label, onclick, extra = {}) =>
    h('button', { type: 'button', class: 'btn btn-small', onclick, ...extra }, label);
  item.toggle = button('Attempt log', () => toggleLog(item), {
    'aria-expanded': 'false',
    'aria-controls': `log-${id}`,
    'aria-label': `Attempt log of ${name}`,
  });
  item.recover = button('Recover', () => recover(item), {
    hidden: true,
    'aria-label': `Recover ${name}: re-enable it and re-send failed deliveries of the last 24 hours`,
  });
  let armed = null;
  const del = button(
    'Delete',
    async () => {
      if (!armed) {
        del.textContent = 'Confirm delete';
        del.classList.add('btn-danger');
        armed = setTimeout(() => {
          armed = null;
          del.textContent = 'Delete';
          del.classList.remove('btn-danger');
        }, 5000);
        return;
      }
      clearTimeout(armed);
      armed = null;
      await remove(item);
    },
    { 'aria-label': `Delete ${name}` },
  );
  item.el = h(
    'li',
    { class: 'endpoint', dataset: { endpointId: id } },
    h('div', { class: 'endpoint-head' }, h('h3', { class: 'endpoint-url mono' }, endpoint.url), item.status),
    h(
      'p',
      { class: 'endpoint-meta hint' },
      h('span', { class: 'mono' }, id),
      ' · created ',
      timeEl(endpoint.created_at),
      ' · ',
      endpoint.events.join(', '),
    ),
    item.reason,
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': `Actions for ${name}` },
      button('Send test event', () => test(item), { 'aria-label': `Send test event to ${name}` }),
      button('Rotate secret', () => rotate(item), { 'aria-label': `Rotate secret of ${name}` }),
      item.toggle,
      item.recover,
      del,
    ),
    item.message,
    item.logEl,
  );
  return item;
}

function say(item, text) {
  setText(item.message, text);
}

async function act(item, fn) {
  try {
    await fn();
  } catch (err) {
    say(item, err instanceof ApiError ? `${err.code}: ${err.message}` : err.message);
  }
}

function test(item) {
  return act(item, async () => {
    const res = await api('POST', `/v1/webhooks/${item.id}/test`);
    say(item, `Test event queued (${res.message_id}).`);
    if (item.logOpen) setTimeout(() => loadLog(item).catch(() => {}), 1000);
  });
}

function rotate(item) {
  return act(item, async () => {
    const res = await api('POST', `/v1/webhooks/${item.id}/rotate-secret`);
    const inbox = inboxForEndpoint({ id: item.id, url: item.url });
    if (inbox) await registerSecret(inbox.id, res.secret, item.id);
    say(
      item,
      `Secret rotated. The previous one keeps signing until ${new Date(res.previous_secret_expires_at).toLocaleString()}.`,
    );
    showSecret(item.url, res.secret, 'rotated', Boolean(inbox));
  });
}

function recover(item) {
  return act(item, async () => {
    const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const res = await api('POST', `/v1/webhooks/${item.id}/recover`, { since });
    say(item, `Re-enabled; ${res.requeued} failed deliveries re-sent.`);
    await refreshWebhooks();
  });
}

function remove(item) {
  return act(item, async () => {
    const inbox = inboxForEndpoint({ id: item.id, url: item.url });
    await api('DELETE', `/v1/webhooks/${item.id}`);
    if (inbox) await forgetInbox(inbox.id).catch(() => {});
    announce(`Endpoint ${item.url} deleted.`);
    document.getElementById('webhook-url').focus();
    await loadInboxes();
    await refreshWebhooks();
  });
}

async function toggleLog(item) {
  item.logOpen = !item.logOpen;
  item.toggle.setAttribute('aria-expanded', String(item.logOpen));
  item.logEl.hidden = !item.logOpen;
  if (item.logOpen) await act(item, () => loadLog(item));
}

async function loadLog(item) {
  const { attempts } = await api('GET', `/v1/webhooks/${item.id}/deliveries?limit=20`);
  const signature = JSON.stringify(attempts);
  if (item.logSignature === signature) return;
  item.logSignature = signature;
  if (attempts.length === 0) {
    replace(item.logEl, h('p', { class: 'hint' }, 'No delivery attempts yet.'));
    return;
  }
  replace(
    item.logEl,
    h('h4', { class: 'log-title', id: `log-${item.id}-title` }, 'Delivery attempts, newest first'),
    h(
      'ul',
      { class: 'attempts', tabindex: '0', 'aria-labelledby': `log-${item.id}-title` },
      ...attempts.map((a) =>
        h(
          'li',
          { class: `attempt attempt-${a.outcome}` },
          h(
            'div',
            { class: 'attempt-line' },
            badge(a.outcome, statusTone(a.outcome)),
            h('span', { class: 'mono attempt-event' }, a.event),
            h('span', {}, `attempt ${a.attempt}`),
            h('span', {}, a.status_code === null ? 'no response' : `HTTP ${a.status_code}`),
            h('span', {}, `${a.latency_ms} ms`),
            h('span', { class: 'attempt-time' }, timeEl(a.at)),
          ),
          a.error || a.response_excerpt
            ? h('p', { class: 'attempt-detail mono' }, a.error ?? a.response_excerpt)
            : null,
        ),
      ),
    ),
  );
}
