// The live stream. EventSource cannot send an Authorization header, so the stream is read with fetch
// and parsed here (the text/event-stream format: "event:", "data:", "id:" lines, a blank line ends an
// event). On a break it reconnects with backoff and tells subscribers to reload what they show, since
// events sent while it was away are gone.

import { BASE, token } from './api.js';

const listeners = new Set();
const statusListeners = new Set();
let controller = null;
let backoff = 500;
let lastId = null;

/** Calls fn(type, data) for every event; fn('reconnected') after a break. Returns an unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Calls fn(true|false) when the stream comes up or goes down. */
export function onStatus(fn) {
  statusListeners.add(fn);
}

function emit(type, data) {
  // Arrival time is kept so the browser test can measure commit-to-screen delay.
  window.__rotaLastEventAt = Date.now();
  for (const fn of [...listeners]) {
    try { fn(type, data); } catch (e) { console.error('event listener failed', e); }
  }
}

function status(up) {
  for (const fn of statusListeners) fn(up);
}

export function start() {
  if (controller) return;
  controller = new AbortController();
  loop(controller.signal, false);
}

export function stop() {
  if (controller) controller.abort();
  controller = null;
  status(false);
}

// A page left for another may stay in the back-forward cache with its stream open; a few of those use up the
// browser's connections to the master (six per host), and the next page's requests wait. Close the stream when
// the page is hidden, open it again if the page comes back.
let resume = false;
window.addEventListener('pagehide', () => {
  resume = controller !== null;
  if (resume) stop();
});
window.addEventListener('pageshow', e => {
  if (e.persisted && resume) start();
});

async function loop(signal, isRetry) {
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (token()) headers.Authorization = `Bearer ${token()}`;
      if (lastId) headers['Last-Event-ID'] = lastId;
      const res = await fetch(`${BASE}/events`, { headers, signal, cache: 'no-store' });
      if (res.status === 401) {
        window.dispatchEvent(new CustomEvent('rota:unauthorized'));
        return;
      }
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
      status(true);
      backoff = 500;
      if (isRetry) emit('reconnected', null);
      await read(res.body.getReader(), signal);
    } catch (e) {
      if (signal.aborted) return;
      console.warn('event stream broke', e);
    }
    status(false);
    isRetry = true;
    await new Promise(r => setTimeout(r, backoff));
    backoff = Math.min(backoff * 2, 10000);
  }
}

async function read(reader, signal) {
  const decoder = new TextDecoder();
  let buffer = '';
  let type = 'message';
  let data = [];
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (data.length) dispatch(type, data.join('\n'));
        type = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        continue;
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = val;
        else if (field === 'data') data.push(val);
        else if (field === 'id') lastId = val;
      }
    }
  }
}

function dispatch(type, text) {
  let data = text;
  try { data = JSON.parse(text); } catch { /* plain text event */ }
  // A stream may name the kind in the event line or inside the JSON; accept both.
  const kind = type !== 'message' ? type : (data && (data.type || data.kind)) || 'message';
  emit(kind, data);
}
