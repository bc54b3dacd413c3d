// The dashboard's entry point: the API key, the panels, and the polling loop.
import { api, apiKey, setUnauthorizedHandler } from './api.js';
import { initBatches, pollBatches, resetBatches } from './batches.js';
import { announce, formatBytes, setText } from './dom.js';
import { pollDlq, resetDlq } from './dlq.js';
import { pollDocuments, resetDocuments } from './documents.js';
import { initInbox, loadInboxes, pollInbox, resetInbox } from './inbox.js';
import { initUploads } from './uploads.js';
import { initWebhooks, pollAttemptLogs, refreshWebhooks, resetWebhooks } from './webhooks.js';
import { on } from './bus.js';

let generation = 0; // bumps on every connect/disconnect, so stale loops stop

function every(ms, fn) {
  const mine = generation;
  const tick = async () => {
    if (mine !== generation) return;
    if (!document.hidden) {
      try {
        await fn();
        setOffline(false);
      } catch (error) {
        if (error?.status === 0) setOffline(true);
      }
    }
    if (mine === generation) setTimeout(tick, ms);
  };
  tick();
}

function setOffline(offline) {
  const banner = document.getElementById('offline');
  if (banner.hidden !== offline) return;
  banner.hidden = !offline;
}

async function connect(key, { quiet = false } = {}) {
  const error = document.getElementById('api-key-error');
  const input = document.getElementById('api-key');
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  let session;
  try {
    session = await api('GET', '/local/session', undefined, { key });
  } catch (err) {
    if (quiet) {
      apiKey.clear();
      return showConnect();
    }
    error.textContent =
      err.status === 401
        ? 'That API key is not valid. Copy the "API key" line npm start printed (it starts with dh_).'
        : err.message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  apiKey.set(key);
  input.value = '';
  generation++;
  resetAll();
  setText(document.getElementById('session-account'), session.account_id);
  setText(
    document.getElementById('limits'),
    `Accepted: PDF, PNG, JPEG, TIFF and XML invoices, up to ${formatBytes(session.limits.max_upload_bytes)} each` +
      ` (${session.limits.max_batch_documents} per batch). Upload URLs expire after ${Math.round(session.limits.upload_url_ttl_seconds / 60)} minutes.`,
  );
  document.getElementById('connect').hidden = true;
  document.getElementById('session').hidden = false;
  document.getElementById('app').hidden = false;
  if (!quiet) {
    announce('Connected. The dashboard updates every second.');
    document.getElementById('upload-h').focus();
  }
  await loadInboxes().catch(() => {});
  every(1000, pollDocuments);
  every(1000, pollBatches);
  every(1000, pollInbox);
  every(2000, pollAttemptLogs);
  every(3000, pollDlq);
  every(5000, async () => {
    await loadInboxes();
    await refreshWebhooks();
  });
}

function resetAll() {
  resetDocuments();
  resetBatches();
  resetWebhooks();
  resetInbox();
  resetDlq();
}

function showConnect() {
  generation++;
  document.getElementById('connect').hidden = false;
  document.getElementById('session').hidden = true;
  document.getElementById('app').hidden = true;
  resetAll();
}

function disconnect(message) {
  apiKey.clear();
  showConnect();
  const input = document.getElementById('api-key');
  if (message) {
    const error = document.getElementById('api-key-error');
    error.textContent = message;
    error.hidden = false;
  }
  input.focus();
}

document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = document.getElementById('api-key').value.trim();
  if (!key) {
    const error = document.getElementById('api-key-error');
    error.textContent = 'Enter the API key npm start printed.';
    error.hidden = false;
    document.getElementById('api-key').setAttribute('aria-invalid', 'true');
    return;
  }
  void connect(key);
});
document.getElementById('disconnect').addEventListener('click', () => {
  disconnect();
  announce('API key removed from this tab.');
});
setUnauthorizedHandler(() => {
  if (!document.getElementById('app').hidden) disconnect('The API key stopped working; enter it again.');
});
on('uploaded', () => {
  void pollDocuments().catch(() => {});
});

initUploads();
initBatches();
initWebhooks();
initInbox();

const stored = apiKey.get();
if (stored) void connect(stored, { quiet: true });
else showConnect();
