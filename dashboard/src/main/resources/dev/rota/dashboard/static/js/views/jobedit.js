// A job's form, new or edit. The API validates; its problem+json names the field, and the message is
// shown next to that field (aria-invalid and aria-describedby, so a screen reader reads it too).

import { ApiError, call } from '../api.js';
import { h } from '../dom.js';
import { routes } from '../routes.js';

const FIELDS = [
  { name: 'name', label: 'Name', required: true, help: 'letters, digits, - and _' },
  { name: 'team', label: 'Team', help: 'empty: default' },
  { name: 'cron', label: 'Cron (Quartz, with seconds)', required: true, help: 'e.g. 0 */5 * * * ?' },
  { name: 'timeZone', label: 'Time zone', help: 'e.g. Europe/Paris; empty: UTC' },
  { name: 'taskType', label: 'Task type', required: true },
  { name: 'payload', label: 'Payload (JSON)', kind: 'textarea', wide: true },
  { name: 'misfirePolicy', label: 'Misfire policy', kind: 'select', options: ['', 'FIRE_ONCE', 'FIRE_ALL', 'SKIP'] },
  { name: 'misfireLimit', label: 'Misfire limit', type: 'number' },
  { name: 'concurrencyPolicy', label: 'Concurrency policy', kind: 'select', options: ['', 'ALLOW', 'FORBID', 'REPLACE'] },
  { name: 'maxAttempts', label: 'Max attempts', type: 'number' },
  { name: 'retryInitial', label: 'First retry after', help: 'e.g. 1s, 500ms, PT1S', duration: true },
  { name: 'retryMultiplier', label: 'Backoff multiplier', type: 'number', step: 'any' },
  { name: 'retryMax', label: 'Longest backoff', help: 'e.g. 5m', duration: true },
  { name: 'timeout', label: 'Timeout per attempt', help: 'empty: none', duration: true },
];

export async function render(main, params, ctx) {
  const editing = params.id !== undefined;
  let current = null;
  let etag = null;
  if (editing) {
    const res = await call('GET', routes.job(params.id));
    current = res.body;
    etag = res.etag || `"${current.version}"`;
  }
  if (!ctx.can('ADMIN')) {
    main.append(h('h1', { text: editing ? 'Edit job' : 'New job' }),
      h('p', { class: 'notice error', id: 'read-only', text: 'Only an admin token may add or change jobs.' }));
    return;
  }
  const form = h('form', { class: 'edit', id: 'job-form', novalidate: true },
    FIELDS.map(f => field(f, initial(current, f.name))),
    h('label', { class: 'wide' }, h('span', {}, h('input', { type: 'checkbox', name: 'enabled', id: 'job-enabled', checked: current ? current.enabled : true }), ' enabled')),
    h('p', { class: 'field-error wide', id: 'err-form', role: 'alert' }),
    h('div', { class: 'actions wide' },
      h('button', { type: 'submit', class: 'primary', id: 'save', text: editing ? 'Save changes' : 'Add job' }),
      h('a', { href: editing ? `#/jobs/${params.id}` : '#/jobs', text: 'Cancel' })));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors(form);
    let draft;
    try {
      draft = readDraft(form);
    } catch (e) {
      showErrors(form, e);
      return;
    }
    try {
      const res = editing
        ? await call('PUT', routes.job(params.id), { body: draft, ifMatch: etag })
        : await call('POST', routes.jobs, { body: draft });
      ctx.go(`#/jobs/${res.body.id}`, editing ? 'Saved.' : `Added job ${res.body.name}.`);
    } catch (e) {
      showErrors(form, e);
    }
  });
  main.append(h('h1', { text: editing ? `Edit job ${current.name}` : 'New job' }), form);
  form.elements.name.focus();
}

function initial(job, name) {
  if (!job) return '';
  const value = job[name];
  if (name === 'payload') return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
  return value ?? '';
}

function field(f, value) {
  const id = `job-${f.name}`;
  const attrs = { id, name: f.name, 'aria-describedby': `err-${f.name}${f.help ? ` help-${f.name}` : ''}`, required: f.required };
  let input;
  if (f.kind === 'textarea') input = h('textarea', attrs, value);
  else if (f.kind === 'select') input = h('select', attrs, f.options.map(o => h('option', { value: o, selected: o === value, text: o || 'default' })));
  else input = h('input', { ...attrs, type: f.type || 'text', step: f.step, value });
  return h('div', { class: f.wide ? 'wide' : null },
    h('label', { for: id }, f.label + (f.required ? ' (required)' : '')),
    input,
    f.help ? h('small', { class: 'muted', id: `help-${f.name}`, text: f.help }) : null,
    h('p', { class: 'field-error', id: `err-${f.name}`, role: 'alert' }));
}

function readDraft(form) {
  const draft = {};
  for (const f of FIELDS) {
    const v = form.elements[f.name].value.trim();
    if (v === '') continue;
    if (f.name === 'payload') draft.payload = parseJson(v);
    else if (f.type === 'number') draft[f.name] = Number(v);
    else if (f.duration) draft[f.name] = toIsoDuration(v);
    else draft[f.name] = v;
  }
  draft.enabled = form.elements.enabled.checked;
  return draft;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, { detail: `payload is not valid JSON: ${e.message}`, field: 'payload' });
  }
}

/** "500ms", "30s", "5m", "1h" or ISO "PT30S" to ISO-8601; anything else is sent as typed for the API to judge. */
export function toIsoDuration(v) {
  const m = v.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/i);
  if (!m) return v;
  const n = Number(m[1]);
  switch (m[2].toLowerCase()) {
    case 'ms': return `PT${n / 1000}S`;
    case 's': return `PT${n}S`;
    case 'm': case 'min': return `PT${n}M`;
    default: return `PT${n}H`;
  }
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showErrors(form, e) {
  const errors = e instanceof ApiError ? e.fieldErrors : {};
  let placed = false;
  for (const [fieldName, message] of Object.entries(errors)) {
    const name = fieldName.replace(/^\//, '').split(/[./]/)[0];
    const input = form.elements[name];
    const slot = form.querySelector(`#err-${CSS.escape(name)}`);
    if (input && slot) {
      slot.textContent = message;
      input.setAttribute('aria-invalid', 'true');
      if (!placed) input.focus();
      placed = true;
    }
  }
  if (!placed) form.querySelector('#err-form').textContent = e.message;
}
