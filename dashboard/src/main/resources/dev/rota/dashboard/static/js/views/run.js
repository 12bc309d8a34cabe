// One run: state, each attempt with its worker and timings, result JSON, error, the handler's log of each
// attempt (attempts[].log, sent by the worker with the final result), the timeline of its state changes;
// re-run and cancel. Live while open.

import { get, post } from '../api.js';
import { h, replace, table, props } from '../dom.js';
import { between, duration, json, stateBadge, time } from '../format.js';
import * as events from '../events.js';
import { markSeen, runOf, throttle } from '../live.js';
import { routes } from '../routes.js';

const RERUNNABLE = ['FAILED', 'TIMED_OUT', 'CANCELLED', 'DEAD'];
const ACTIVE = ['SCHEDULED', 'QUEUED', 'RUNNING'];

export async function render(main, params, ctx) {
  const id = params.id;
  const body = h('div', { id: 'run-detail' });
  main.append(body);

  async function load() {
    const detail = await get(routes.run(id));
    const run = detail.run || detail;
    markSeen([run]);
    const actions = [];
    if (ctx.can('OPERATOR') && ctx.mayActOn(run.team)) {
      if (RERUNNABLE.includes(run.state)) actions.push(h('button', { type: 'button', id: 'rerun', onclick: () => act('rerun', run) }, '↻ Re-run'));
      if (ACTIVE.includes(run.state)) actions.push(h('button', { type: 'button', id: 'cancel', class: 'danger', onclick: () => act('cancel', run) }, '⊘ Cancel'));
    }
    const attempts = detail.attempts || [];
    const timeline = detail.timeline || [];
    replace(body,
      h('h1', {}, `Run #${run.id} `, stateBadge(run.state)),
      h('div', { class: 'actions', id: 'run-actions' }, actions),
      props([
        ['Job', run.jobId ? h('a', { href: `#/jobs/${run.jobId}`, text: run.jobName }) : (run.jobName || 'one-off task')],
        ['Team', run.team], ['Task type', run.taskType],
        ['Scheduled', time(run.scheduledAt)], ['Due', time(run.dueAt)], ['Dispatched', time(run.dispatchedAt)],
        ['Started', time(run.startedAt)], ['Finished', time(run.finishedAt)],
        ['Lateness (dispatched − scheduled)', between(run.scheduledAt, run.dispatchedAt)],
        ['Ran for', between(run.startedAt, run.finishedAt)],
        ['Attempt', `${run.attempt}${run.maxAttempts ? ` of ${run.maxAttempts}` : ''} (${run.failures} failed)`],
        ['Worker', run.workerId], ['Epoch', run.epoch === null || run.epoch === undefined ? null : String(run.epoch)],
        ['Timeout', duration(run.timeout)], ['Idempotency key', run.idempotencyKey],
        ['Triggered by', detail.triggeredBy || null],
      ], 'run-props'),
      h('h2', { text: 'Error' }),
      run.error ? h('pre', { id: 'run-error', text: run.error }) : h('p', { class: 'muted', id: 'run-error-none', text: 'No error.' }),
      h('h2', { text: 'Result' }),
      run.result ? h('pre', { id: 'run-result', text: json(run.result) }) : h('p', { class: 'muted', text: 'No result.' }),
      h('h2', { text: 'Log' }),
      logView(attempts),
      h('h2', { text: 'Attempts' }),
      table([
        { label: 'Attempt', cell: a => String(a.attempt), num: true },
        { label: 'Outcome', cell: a => a.outcome ? stateBadge(a.outcome) : h('span', { class: 'badge info' }, '▶ open') },
        { label: 'Worker', cell: a => a.workerId },
        { label: 'Epoch', cell: a => String(a.epoch), num: true },
        { label: 'Dispatched', cell: a => time(a.dispatchedAt) },
        { label: 'Started', cell: a => time(a.startedAt) },
        { label: 'Finished', cell: a => time(a.finishedAt) },
        { label: 'Took', cell: a => between(a.startedAt, a.finishedAt) },
        { label: 'Error', cell: a => a.error || '' },
      ], attempts, { id: 'attempts', empty: 'Not dispatched yet.' }),
      h('h2', { text: 'Timeline' }),
      timeline.length
        ? h('ol', { class: 'timeline', id: 'timeline' }, timeline.map(s => h('li', {}, time(s.at), ' ', h('strong', { text: s.what }), s.detail ? ` — ${s.detail}` : '')))
        : h('p', { class: 'muted', text: 'Nothing yet.' }));
  }

  async function act(what, run) {
    if (what === 'cancel' && !await ctx.confirm(`Cancel run #${run.id}? A worker running it is told to stop.`, 'Cancel run')) return;
    try {
      await post(what === 'rerun' ? routes.runRerun(id) : routes.runCancel(id));
      ctx.notice(what === 'rerun' ? `Run #${id} scheduled again.` : `Run #${id} cancelled.`);
      await load();
    } catch (e) { ctx.fail(e); }
  }

  // Listen before the first read: a run that ends while it is being read (a short task opened right
  // after its submission) would otherwise send its last event to no one and stay shown unfinished.
  const reload = throttle(() => load().catch(ctx.fail));
  const unsubscribe = events.subscribe((type, data) => {
    const run = runOf(type, data);
    if (type === 'reconnected' || (run && String(run.id) === String(id))) reload();
  });
  try {
    await load();
  } catch (e) {
    unsubscribe();
    throw e;
  }
  return unsubscribe;
}

function logView(attempts) {
  const logged = attempts.filter(a => typeof a.log === 'string' && a.log !== '');
  if (!logged.length) {
    const why = attempts.some(a => a.outcome) ? 'The handler logged nothing.' : 'No attempt has finished yet.';
    return h('p', { class: 'muted', id: 'run-log-none', text: why });
  }
  // Each attempt that logged gets its own block, newest last, as the attempts table lists them.
  return h('div', { id: 'run-logs' }, logged.map(a => h('section', { class: 'attempt-log', dataset: { attempt: String(a.attempt) } },
    h('h3', { text: `Attempt ${a.attempt}${a.outcome ? ` (${a.outcome.toLowerCase()})` : ''}${a.workerId ? ` on ${a.workerId}` : ''}` }),
    h('pre', { class: 'log', id: `run-log-${a.attempt}`, text: a.log }))));
}
