// Runs: filters by state, team, job, task type and time range (in the viewer's zone), cursor paging,
// live updates of the first page, and bulk re-run or cancel of a filter after a dry-run count.

import { call, get } from '../api.js';
import { h, replace, table } from '../dom.js';
import { RUN_STATES, isoToLocalInput, localInputToIso, stateBadge, time } from '../format.js';
import * as events from '../events.js';
import { isRunEvent, markSeen, throttle } from '../live.js';
import { navigate, pager } from '../paging.js';
import { routes } from '../routes.js';

let lastStates = new Map();

export async function render(main, params, ctx) {
  const q = {
    state: params.state || '', team: params.team || '', job: params.job || '', taskType: params.taskType || '',
    from: params.from || '', to: params.to || '', text: params.text || '', cursor: params.cursor || '',
  };
  const states = new Set(q.state ? q.state.split(',') : []);
  const form = h('form', { class: 'filters', id: 'run-filters', role: 'search' },
    h('fieldset', {}, h('legend', { text: 'State' }),
      RUN_STATES.map(s => h('label', {}, h('input', { type: 'checkbox', name: 'state', value: s, id: `f-state-${s}`, checked: states.has(s) }), s))),
    h('label', {}, 'Team', h('input', { name: 'team', id: 'f-team', value: q.team, size: 10 })),
    h('label', {}, 'Job', h('input', { name: 'job', id: 'f-job', value: q.job, size: 14 })),
    h('label', {}, 'Task type', h('input', { name: 'taskType', id: 'f-task-type', value: q.taskType, size: 10 })),
    h('label', {}, 'Scheduled from (your time)', h('input', { type: 'datetime-local', name: 'from', id: 'f-from', value: isoToLocalInput(q.from) })),
    h('label', {}, 'to', h('input', { type: 'datetime-local', name: 'to', id: 'f-to', value: isoToLocalInput(q.to) })),
    h('label', {}, 'Text', h('input', { type: 'search', name: 'text', id: 'f-text', value: q.text, size: 12 })),
    h('button', { type: 'submit', class: 'primary', id: 'apply', text: 'Apply' }),
    h('a', { href: '#/runs', text: 'Clear' }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = form.elements;
    const picked = [...form.querySelectorAll('input[name=state]:checked')].map(i => i.value);
    navigate('#/runs', {
      state: picked.join(','), team: f.team.value.trim(), job: f.job.value.trim(), taskType: f.taskType.value.trim(),
      from: localInputToIso(f.from.value), to: localInputToIso(f.to.value), text: f.text.value.trim(),
    });
  });
  const bulk = h('div', { class: 'actions', id: 'bulk' });
  if (ctx.can('OPERATOR')) {
    bulk.append(
      h('button', { type: 'button', id: 'bulk-rerun', onclick: () => runBulk(routes.bulkRerun, 're-run') }, '↻ Re-run matching…'),
      h('button', { type: 'button', id: 'bulk-cancel', onclick: () => runBulk(routes.bulkCancel, 'cancel') }, '⊘ Cancel matching…'));
  }
  const list = h('div', { id: 'runs-list' });
  main.append(h('h1', { text: 'Runs' }), form, bulk, list);

  const apiQuery = () => ({
    state: q.state ? q.state.split(',') : undefined, team: q.team, job: q.job, taskType: q.taskType,
    from: q.from, to: q.to, q: q.text,
  });

  async function runBulk(path, verb) {
    try {
      const filter = apiQuery();
      const dry = await call('POST', path, { query: { ...filter, dryRun: true } }).then(r => r.body);
      const matched = dry.matched ?? (dry.changed || []).length;
      if (dry.dryRun === false) throw new Error('the server did not do a dry run');
      const one = matched === 1;
      const Verb = verb[0].toUpperCase() + verb.slice(1);
      if (!await ctx.confirm(`${matched} run${one ? ' matches' : 's match'} this filter. ${Verb} ${one ? 'it' : 'them'}?`, `${Verb} ${matched}`)) return;
      const done = await call('POST', path, { query: { ...filter, dryRun: false } }).then(r => r.body);
      ctx.notice(`${verb}: ${(done.changed || []).length} changed${(done.skipped || []).length ? `, ${done.skipped.length} skipped` : ''}.`);
      await load();
    } catch (e) { ctx.fail(e); }
  }

  async function load() {
    const page = await get(routes.runs, { ...apiQuery(), cursor: q.cursor });
    const items = page.items || [];
    const before = lastStates;
    lastStates = new Map(items.map(r => [r.id, r.state]));
    replace(list,
      table([
        { label: 'Run', cell: r => h('a', { href: `#/runs/${r.id}`, text: `#${r.id}` }) },
        { label: 'Job', cell: r => r.jobId ? h('a', { href: `#/jobs/${r.jobId}`, text: r.jobName }) : (r.jobName || h('span', { class: 'muted', text: 'one-off' })) },
        { label: 'Team', cell: r => r.team },
        { label: 'Task type', cell: r => r.taskType },
        { label: 'State', cell: r => stateBadge(r.state) },
        { label: 'Scheduled', cell: r => time(r.scheduledAt) },
        { label: 'Attempt', cell: r => String(r.attempt), num: true },
        { label: 'Worker', cell: r => r.workerId },
        { label: 'Finished', cell: r => time(r.finishedAt) },
      ], items, {
        id: 'runs-table', empty: 'No run matches.',
        rowAttrs: r => ({ dataset: { run: r.id, state: r.state }, class: before.size && before.get(r.id) !== r.state ? 'flash' : null }),
      }),
      pager('runs', '#/runs', q, page));
    markSeen(items);
  }

  await load();
  if (q.cursor) return undefined;
  const reload = throttle(() => load().catch(ctx.fail));
  return events.subscribe((type, data) => {
    if (type === 'reconnected' || isRunEvent(type, data)) reload();
  });
}
