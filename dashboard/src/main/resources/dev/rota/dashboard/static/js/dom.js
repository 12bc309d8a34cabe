// Building the page without innerHTML: every value from the API becomes a text node, so a job name or
// an error message can never inject markup.

/**
 * Creates an element. attrs: `class`, `text`, `on<Event>` handlers, `dataset` (object), booleans
 * (true sets the attribute, false/null/undefined leaves it out), anything else as an attribute.
 * Children: nodes, strings (as text), arrays (flattened); null and undefined are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table; columns: [{label, cell: row => node|string, num?}]. Labels repeat per cell for narrow screens. */
export function table(columns, rows, { id, empty = 'Nothing to show.', rowAttrs } = {}) {
  if (!rows.length) return h('p', { class: 'muted', id, text: empty });
  return h('div', { class: 'scroll' },
    h('table', { class: 'responsive', id },
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null, text: c.label })))),
      h('tbody', {}, rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {},
        columns.map(c => h('td', { class: c.num ? 'num' : null, 'data-label': c.label }, c.cell(r))))))));
}

/** A definition list from [label, value] pairs; null values show as a dash. */
export function props(pairs, id) {
  return h('dl', { class: 'props', id }, pairs.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v ?? '—')]));
}
