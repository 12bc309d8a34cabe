// Jobs: server-side search and filters (team, task type, enabled or paused, failing: the latest finished run
// ended FAILED, TIMED_OUT or DEAD), cursor paging.

import { get } from '../api.js';
import { h, table } from '../dom.js';
import { enabledBadge } from '../format.js';
import { routes } from '../routes.js';
import { navigate, pager, readForm } from '../paging.js';

export async function render(main, params, ctx) {
  const q = {
    text: params.text || '', team: params.team || '', taskType: params.taskType || '',
    enabled: params.enabled || '', failing: params.failing || '', cursor: params.cursor || '',
  };
  const form = h('form', { class: 'filters', id: 'job-filters', role: 'search' },
    h('label', {}, 'Search name', h('input', { name: 'text', id: 'f-text', type: 'search', value: q.text })),
    h('label', {}, 'Team', h('input', { name: 'team', id: 'f-team', value: q.team, size: 12 })),
    h('label', {}, 'Task type', h('input', { name: 'taskType', id: 'f-task-type', value: q.taskType, size: 12 })),
    h('label', {}, 'Status', h('select', { name: 'enabled', id: 'f-enabled' },
      option('', 'any', q.enabled), option('true', 'enabled', q.enabled), option('false', 'paused', q.enabled))),
    h('label', {}, 'Last run', h('select', { name: 'failing', id: 'f-failing' },
      option('', 'any', q.failing), option('true', 'failing', q.failing), option('false', 'not failing', q.failing))),
    h('button', { type: 'submit', class: 'primary', text: 'Apply' }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    navigate('#/jobs', readForm(form));
  });
  main.append(
    h('h1', { text: 'Jobs' }),
    ctx.can('ADMIN') ? h('div', { class: 'actions' }, h('a', { href: '#/jobs/new', id: 'new-job', class: 'button', text: '+ New job' })) : null,
    form);
  const page = await get(routes.jobs, { q: q.text, team: q.team, taskType: q.taskType, enabled: q.enabled, failing: q.failing, cursor: q.cursor });
  main.append(
    table([
      { label: 'Job', cell: j => h('a', { href: `#/jobs/${j.id}`, text: j.name }) },
      { label: 'Team', cell: j => j.team },
      { label: 'Schedule', cell: j => h('code', { text: j.cron }) },
      { label: 'Zone', cell: j => j.timeZone },
      { label: 'Task type', cell: j => j.taskType },
      { label: 'Status', cell: j => [enabledBadge(j.enabled), j.scheduleError ? h('span', { class: 'badge bad', title: j.scheduleError }, '⚠ invalid schedule') : null] },
    ], page.items || [], { id: 'jobs-table', empty: 'No job matches.', rowAttrs: j => ({ dataset: { job: j.name } }) }),
    pager('jobs', '#/jobs', q, page));
}

function option(value, label, current) {
  return h('option', { value, selected: value === current, text: label });
}
