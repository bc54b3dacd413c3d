// Small DOM helpers. Data only ever reaches the page as text nodes or attribute values
// (never innerHTML), so nothing a document, header or webhook body contains can run.

/**
 * h('button', { class: 'x', onclick: fn, 'aria-label': '…' }, 'text', child, …)
 * Strings and numbers become text nodes; null, undefined and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Sets text only when it changed (keeps screen readers and selections calm during polling). */
export function setText(el, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

const politeRegion = () => document.getElementById('announcer');
const alertRegion = () => document.getElementById('alerts');

/** Announces a short status message to screen readers (polite live region). */
export function announce(message) {
  const region = politeRegion();
  if (!region) return;
  // Re-setting the same text is not re-announced; clear first.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Announces an error assertively. */
export function alertMessage(message) {
  const region = alertRegion();
  if (!region) return;
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  const trim = (x) => x.toFixed(1).replace(/\.0$/, '');
  if (n < 1024 * 1024) return `${trim(n / 1024)} KB`;
  return `${trim(n / 1024 / 1024)} MB`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function timeEl(iso) {
  return h('time', { datetime: iso, title: iso }, formatTime(iso));
}

/** A status pill; the word is always present, colour only reinforces it. */
export function badge(text, tone) {
  return h('span', { class: `badge badge-${tone}` }, text);
}

export function statusTone(status) {
  return (
    {
      completed: 'ok',
      succeeded: 'ok',
      enabled: 'ok',
      verified: 'ok',
      failed: 'bad',
      rejected: 'bad',
      disabled: 'bad',
      error: 'bad',
      processing: 'busy',
      uploading: 'busy',
      awaiting_upload: 'wait',
      pending: 'wait',
      queued: 'wait',
    }[status] ?? 'neutral'
  );
}

/** A copy-to-clipboard button for a value. */
export function copyButton(getValue, label) {
  const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': label }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getValue());
      button.textContent = 'Copied';
      announce('Copied to the clipboard.');
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 2000);
  });
  return button;
}

/** Pretty JSON when the text parses, else the text itself. */
export function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
