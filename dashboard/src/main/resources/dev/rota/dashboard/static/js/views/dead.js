// Dead letters: runs that ended DEAD (every attempt failed, or the broker dead-lettered the message), each
// with a re-run; then the messages the leader parked (results it could not apply) and rejected
// (submissions, results, announcements it refused), with a re-run where the message names a run that can
// be re-run. The two message lists need a token for all teams; a team's token sees a note instead.

import { get, post } from '../api.js';
import { h, replace, table } from '../dom.js';
import { stateBadge, time } from '../format.js';
import * as events from '../events.js';
import { changed, markSeen, runOf, throttle } from '../live.js';
import { pager } from '../paging.js';
import { routes } from '../routes.js';

const RERUNNABLE = ['FAILED', 'TIMED_OUT', 'CANCELLED', 'DEAD'];

function clip(text, n) {
  if (!text) return '';
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

export async function render(main, params, ctx) {
  const q = { cursor: params.cursor || '' };
  const list = h('div', { id: 'dead-list' });
  const parked = h('div', { id: 'parked' });
  const rejected = h('div', { id: 'rejected' });
  main.append(h('h1', { text: 'Dead letters' }),
    h('p', { class: 'muted', text: 'Runs that are DEAD: every attempt failed, or the broker gave up delivering the message.' }),
    list,
    h('h2', { text: 'Parked messages' }),
    h('p', { class: 'muted', text: 'Results and dead letters the leader could not apply, kept as received.' }), parked,
    h('h2', { text: 'Rejected messages' }),
    h('p', { class: 'muted', text: 'Submissions, results and worker announcements the leader refused, with the reason.' }), rejected);

  let shown = new Set();
  let heldRuns = new Set();

  async function load() {
    const page = await get(routes.runs, { state: ['DEAD'], cursor: q.cursor });
    if (!changed('dead', page)) return;
    const items = page.items || [];
    shown = new Set(items.map(r => String(r.id)));
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
      await Promise.all([load(), loadHeld()]);
    } catch (e) { ctx.fail(e); }
  }

  async function loadHeld() {
    await Promise.all([
      showHeld(parked, routes.parked, 'parked'),
      showHeld(rejected, routes.rejected, 'rejected'),
    ]);
  }

  async function showHeld(el, path, id) {
    if (!ctx.mayActOn(null)) {
      replace(el, h('p', { class: 'muted', id: `${id}-none`, text: 'Messages may be about any team: they need a token for all teams.' }));
      return;
    }
    const items = await get(path, { limit: 100 });
    items.forEach(m => { if (m.runId) heldRuns.add(String(m.runId)); });
    replace(el, table([
      { label: 'Id', cell: m => String(m.id), num: true },
      { label: 'Source', cell: m => m.source },
      { label: 'Reason', cell: m => m.reason },
      { label: 'Body', cell: m => h('code', { class: 'body', title: `${m.bodyBytes} bytes`, text: clip(m.body, 160) }) },
      { label: 'Run', cell: m => m.runId ? [h('a', { href: `#/runs/${m.runId}`, text: `#${m.runId}` }), ' ', stateBadge(m.runState)] : '—' },
      { label: 'At', cell: m => time(m.at) },
      { label: 'Action', cell: m => m.runId && RERUNNABLE.includes(m.runState) && ctx.can('OPERATOR')
        ? h('button', { type: 'button', dataset: { rerun: m.runId }, onclick: () => rerun({ id: m.runId }) }, '↻ Re-run') : '' },
    ], items, { id: `${id}-table`, empty: `No ${id} messages.`, rowAttrs: m => ({ dataset: { message: m.id, run: m.runId ?? '' } }) }));
  }

  await load();
  await loadHeld().catch(ctx.fail);
  const reload = throttle(() => Promise.all([load(), loadHeld()]).catch(ctx.fail));
  return events.subscribe((type, data) => {
    const run = runOf(type, data);
    // Only a run turning DEAD, or one of those shown (or named by a held message) changing, can change these lists.
    if (type === 'reconnected' || (run && (run.state === 'DEAD' || shown.has(String(run.id)) || heldRuns.has(String(run.id))))) reload();
  });
}
