// Filters live in the hash (#/jobs?team=a&cursor=...), so a filtered page can be bookmarked and the
// back button works. Cursors are opaque: "previous" is the cursor we came from, kept per list.

import { h } from './dom.js';

const history = new Map();

/** Sets the hash to `base` plus the non-empty values of `query`. */
export function navigate(base, query) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== null && v !== undefined && v !== '') qs.set(k, v);
  }
  const s = qs.toString();
  location.hash = s ? `${base}?${s}` : base;
}

/** Previous / next / first controls for a page answer with a `next` cursor. */
export function pager(list, base, query, page) {
  const key = base + JSON.stringify({ ...query, cursor: undefined });
  const stack = history.get(key) || [];
  history.set(key, stack);
  const cursor = query.cursor || null;
  const prev = h('button', { type: 'button', id: `${list}-prev`, disabled: !cursor, text: '← Previous' });
  const next = h('button', { type: 'button', id: `${list}-next`, disabled: !page.next, text: 'Next →' });
  prev.addEventListener('click', () => navigate(base, { ...query, cursor: stack.pop() || null }));
  next.addEventListener('click', () => {
    stack.push(cursor);
    navigate(base, { ...query, cursor: page.next });
  });
  const shown = (page.items || []).length;
  return h('div', { class: 'pager' }, prev, next,
    h('span', { class: 'muted', text: `${shown} shown${page.next ? ', more on the next page' : ''}` }));
}

/** Reads a filter form into an object of its non-empty named values (checkbox groups joined by commas). */
export function readForm(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') {
      if (el.checked) out[el.name] = out[el.name] ? `${out[el.name]},${el.value}` : el.value;
    } else if (el.value !== '') {
      out[el.name] = el.value;
    }
  }
  return out;
}
