// Times in the viewer's zone with UTC on hover; states as a word plus a symbol, colour only a hint.

import { h } from './dom.js';

const local = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
});

/** A <time> element: local time as text, ISO UTC in the datetime attribute and the title. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted', text: '—' });
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h('span', { text: String(iso) });
  const utc = d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
  return h('time', { datetime: d.toISOString(), title: utc, text: local.format(d) });
}

/** A time in a named zone (a job's fire times), UTC on hover. */
export function zonedTime(iso, zone) {
  const d = new Date(typeof iso === 'string' ? iso.replace(/\[.*\]$/, '') : iso);
  if (Number.isNaN(d.getTime())) return h('span', { text: String(iso) });
  let text;
  try {
    text = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium', timeZone: zone || undefined }).format(d)
      + (zone ? ` (${zone})` : '');
  } catch {
    text = local.format(d);
  }
  return h('time', { datetime: d.toISOString(), title: `${d.toISOString()} UTC; your time ${local.format(d)}`, text });
}

/** An ISO-8601 duration (PT1.5S) or milliseconds as short text. */
export function duration(value) {
  if (value === null || value === undefined || value === '') return '—';
  let ms = value;
  if (typeof value === 'string') {
    const m = value.match(/^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/);
    if (!m) return value;
    ms = ((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000;
  }
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
  return `${Math.floor(ms / 3600000)} h ${Math.round((ms % 3600000) / 60000)} min`;
}

export function between(fromIso, toIso) {
  if (!fromIso || !toIso) return '—';
  return duration(new Date(toIso) - new Date(fromIso));
}

const STATES = {
  SCHEDULED: ['◷', 'info'], QUEUED: ['⋯', 'info'], RUNNING: ['▶', 'info'], SUCCEEDED: ['✓', 'good'],
  FAILED: ['✗', 'bad'], DEAD: ['☠', 'bad'], TIMED_OUT: ['⌛', 'bad'], CANCELLED: ['⊘', 'warn'], SKIPPED: ['↷', 'neutral'],
};

export const RUN_STATES = Object.keys(STATES);

/** A run state as a badge: symbol and word, class for colour. */
export function stateBadge(state) {
  const [symbol, tone] = STATES[state] || ['?', 'neutral'];
  return h('span', { class: `badge ${tone}`, dataset: { state } }, `${symbol} ${state}`);
}

const DELIVERIES = { PENDING: ['◷', 'info'], DELIVERED: ['✓', 'good'], FAILED: ['✗', 'bad'] };

/** An alert delivery's status as a badge: symbol and word, class for colour. */
export function deliveryBadge(status) {
  const [symbol, tone] = DELIVERIES[status] || ['?', 'neutral'];
  return h('span', { class: `badge ${tone}`, dataset: { status } }, `${symbol} ${status}`);
}

export function enabledBadge(enabled) {
  return enabled
    ? h('span', { class: 'badge good', dataset: { enabled: 'true' } }, '● enabled')
    : h('span', { class: 'badge warn', dataset: { enabled: 'false' } }, '❚❚ paused');
}

/** A datetime-local input's value (viewer's zone) as ISO UTC, or null. */
export function localInputToIso(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO UTC as a datetime-local input's value in the viewer's zone. */
export function isoToLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Pretty JSON text from a JSON string or value. */
export function json(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}
