// Dead letters: runs that ended DEAD (every attempt failed, or the broker dead-lettered the message),
// and parked messages if the API lists them, each with a re-run.

import { get, post } from '../api.js';
import { h, replace, table } from '../dom.js';
import { stateBadge, time } from '../format.js';
import * as events from '../events.js';
import { isRunEvent, markSeen, throttle } from '../live.js';
import { pager } from '../paging.js';
import { routes } from '../routes.js';

export async function render(main, params, ctx) {
  const q = { cursor: params.cursor || '' };
  const list = h('div', { id: 'dead-list' });
  const parked = h('div', { id: 'parked' });
  main.append(h('h1', { text: 'Dead letters' }),
    h('p', { class: 'muted', text: 'Runs that are DEAD: every attempt failed, or the broker gave up delivering the message.' }),
    list, h('h2', { text: 'Parked messages' }), parked);

  async function load() {
    const page = await get(routes.runs, { state: ['DEAD'], cursor: q.cursor });
    const items = page.items || [];
    markSeen(items);
    replace(list, table([
      { label: 'Run', cell: r => h('a', { href: `#/runs/${r.id}`, text: `#${r.id}` }) },
      { label: 'Job', cell: r => r.jobName || r.taskType },
      { label: 'Team', cell: r => r.team },
      { label: 'State', cell: r => stateBadge(r.state) },
      { label: 'Scheduled', cell: r => time(r.scheduledAt) },
      { label: 'Attempts', cell: r => String(r.attempt), num: true },
      { label: 'Error', cell: r => (r.error || '').slice(0, 160) },
      { label: 'Action', cell: r => ctx.can('OPERATOR') && ctx.mayActOn(r.team)
        ? h('button', { type: 'button', dataset: { rerun: r.id }, onclick: () => rerun(r) }, '↻ Re-run') : '' },
    ], items, { id: 'dead-table', empty: 'No dead runs.', rowAttrs: r => ({ dataset: { run: r.id, state: r.state } }) }),
    pager('dead', '#/dead', q, page));
  }

  async function rerun(r) {
    try {
      await post(routes.runRerun(r.id));
      ctx.notice(`Run #${r.id} scheduled again.`);
      await load();
    } catch (e) { ctx.fail(e); }
  }

  await load();
  replace(parked, h('p', { class: 'muted', id: 'parked-none', text: 'The API does not list parked messages yet; runs the broker dead-lettered end DEAD and are listed above.' }));
  const reload = throttle(() => load().catch(ctx.fail));
  return events.subscribe((type, data) => {
    if (type === 'reconnected' || isRunEvent(type, data)) reload();
  });
}
