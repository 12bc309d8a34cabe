// One job: its definition, next ten fire times in its zone, why it fired late or not at all (lateness and skips
// by reason over its last runs), last runs (live), and what may be done to it.

import { call, get, post } from '../api.js';
import { h, replace, table, props } from '../dom.js';
import { duration, enabledBadge, json, stateBadge, time, zonedTime } from '../format.js';
import * as events from '../events.js';
import { changed, markSeen, runOf, throttle, isJobEvent } from '../live.js';
import { routes } from '../routes.js';

/** How many of the job's last runs the lateness and skips are taken over (the API's default). */
const STATS_RUNS = 100;

export async function render(main, params, ctx) {
  const id = params.id;
  let job = null;
  let etag = null;
  const head = h('div', { id: 'job-head' });
  const actions = h('div', { class: 'actions', id: 'job-actions' });
  const definition = h('div', { id: 'job-definition' });
  const fires = h('div', { id: 'next-fires' });
  const runs = h('div', { id: 'job-runs' });
  const why = h('div', { id: 'job-why' });
  main.append(head, actions, h('h2', { text: 'Definition' }), definition,
    h('h2', { text: 'Next ten fire times' }), fires,
    h('h2', { text: `Why it did not fire on time: its last ${STATS_RUNS} runs` }), why,
    h('h2', { text: 'Last runs' }), runs);

  async function loadJob() {
    const res = await call('GET', routes.job(id));
    job = res.body;
    etag = res.etag || (job.version !== undefined ? `"${job.version}"` : null);
    replace(head, h('h1', {}, `Job ${job.name} `, enabledBadge(job.enabled)));
    replace(definition, props([
      ['Team', job.team], ['Schedule', h('code', { text: job.cron })], ['Time zone', job.timeZone],
      ['Task type', job.taskType], ['Payload', job.payload ? h('pre', { text: json(job.payload) }) : null],
      ['Misfire', `${job.misfirePolicy} (limit ${job.misfireLimit})`], ['Concurrency', job.concurrencyPolicy],
      ['Retries', retryText(job)], ['Timeout', duration(job.timeout)],
      ['Schedule problem', job.scheduleError ? h('span', { class: 'badge bad' }, `⚠ ${job.scheduleError}`) : null],
      ['Created', time(job.createdAt)], ['Updated', time(job.updatedAt)], ['Version', String(job.version)],
    ], 'job-props'));
    showActions();
  }

  function showActions() {
    const may = ctx.mayActOn(job.team);
    const buttons = [];
    if (ctx.can('OPERATOR') && may) {
      buttons.push(job.enabled
        ? h('button', { type: 'button', id: 'pause', onclick: () => act(routes.jobPause(id), 'Paused.') }, '❚❚ Pause')
        : h('button', { type: 'button', id: 'resume', onclick: () => act(routes.jobResume(id), 'Resumed.') }, '▶ Resume'));
      buttons.push(h('button', { type: 'button', id: 'trigger', onclick: trigger }, '⚡ Trigger now'));
    }
    if (ctx.can('ADMIN') && may) {
      buttons.push(h('a', { href: `#/jobs/${id}/edit`, id: 'edit', class: 'button', text: '✎ Edit' }));
      buttons.push(h('button', { type: 'button', id: 'delete', class: 'danger', onclick: remove }, '✕ Delete'));
    }
    if (!buttons.length) buttons.push(h('p', { class: 'muted', id: 'read-only', text: 'Your token may only look at this job.' }));
    replace(actions, buttons);
  }

  async function act(path, message) {
    try {
      await call('POST', path, { ifMatch: etag });
      ctx.notice(message);
      // A pause or a resume also removes the fires planned ahead, which sends no run event: read both.
      await Promise.all([loadJob().then(loadFires), loadRuns()]);
    } catch (e) {
      ctx.fail(e);
      if (e.status === 409 || e.status === 412) await loadJob();
    }
  }

  async function trigger() {
    try {
      const run = await post(routes.jobTrigger(id));
      ctx.notice(run && run.id !== undefined ? `Triggered: run #${run.id}.` : 'Triggered.');
      await loadRuns();
    } catch (e) { ctx.fail(e); }
  }

  async function remove() {
    if (!await ctx.confirm(`Delete job ${job.name}? Its runs are kept; its schedule stops.`, 'Delete job')) return;
    try {
      await call('DELETE', routes.job(id), { ifMatch: etag });
      ctx.go('#/jobs', `Deleted job ${job.name}.`);
    } catch (e) { ctx.fail(e); }
  }

  async function loadFires() {
    try {
      const list = await get(routes.jobPreview(id), { count: 10 });
      const times = Array.isArray(list) ? list : (list.fireTimes || list.times || list.items || []);
      replace(fires,
        !job.enabled ? h('p', { class: 'badge warn', id: 'paused-note' }, '❚❚ Paused: these times fire only after a resume.') : null,
        times.length
          ? h('ol', { id: 'fire-times' }, times.map(t => h('li', {}, zonedTime(t, job.timeZone))))
          : h('p', { class: 'muted', text: 'It will not fire again.' }));
    } catch (e) {
      replace(fires, h('p', { class: 'muted', text: `No fire times: ${e.message}` }));
    }
  }

  async function loadRuns() {
    const page = await get(routes.runs, { jobId: id, limit: 10 });
    if (!changed(`job-runs ${id}`, page)) return;
    markSeen(page.items || []);
    replace(runs, table([
      { label: 'Run', cell: r => h('a', { href: `#/runs/${r.id}`, text: `#${r.id}` }) },
      { label: 'State', cell: r => stateBadge(r.state) },
      { label: 'Scheduled', cell: r => time(r.scheduledAt) },
      { label: 'Attempt', cell: r => String(r.attempt), num: true },
      { label: 'Worker', cell: r => r.workerId },
      { label: 'Finished', cell: r => time(r.finishedAt) },
    ], page.items || [], { id: 'job-runs-table', empty: 'No runs yet.', rowAttrs: r => ({ dataset: { run: r.id, state: r.state } }) }));
  }

  async function loadWhy() {
    const s = await get(routes.jobStats(id), { runs: STATS_RUNS });
    if (!changed(`job-why ${id}`, s)) return;
    const ms = (v, key) => v === null || v === undefined
      ? h('span', { class: 'muted', text: 'none started' })
      : h('span', { dataset: { ms: String(v), stat: key } }, duration(v));
    replace(why,
      h('p', { class: 'muted', text: 'Lateness is started − scheduled of the runs that started (a retried run counts'
        + ' its latest attempt). Fires the misfire policy did not fire are not runs; they count as "misfire policy".' }),
      props([
        ['Runs', s.runs ? [h('span', { dataset: { stat: 'runs' } }, String(s.runs)), ' scheduled from ', time(s.from), ' to ', time(s.to)] : 'none yet'],
        ['Started', h('span', { dataset: { stat: 'started' } }, String(s.started))],
        ['Lateness p50', ms(s.p50LatenessMs, 'p50')],
        ['Lateness p99', ms(s.p99LatenessMs, 'p99')],
        ['Lateness max', ms(s.maxLatenessMs, 'max')],
        ['Skipped', h('span', { dataset: { stat: 'skipped' } }, String(s.skipped))],
      ], 'job-lateness'),
      h('h3', { text: 'Skips by reason' }),
      table([
        { label: 'Reason', cell: k => k.reason },
        { label: 'Runs', cell: k => String(k.count), num: true },
        { label: 'Latest scheduled', cell: k => time(k.lastAt) },
        { label: 'Latest error', cell: k => (k.example || '').slice(0, 200) },
      ], s.skips || [], { id: 'skips-table', empty: 'None of these runs was skipped.',
        rowAttrs: k => ({ dataset: { reason: k.reason, count: k.count } }) }));
  }

  await loadJob();
  await Promise.all([loadFires(), loadRuns(), loadWhy()]);
  // Aggregates over the last runs: read again after run events, at most every few seconds.
  const reloadWhy = throttle(() => loadWhy().catch(ctx.fail), 3000);
  const reloadRuns = throttle(() => { reloadWhy(); return loadRuns().catch(ctx.fail); });
  const reloadJob = throttle(() => loadJob().then(loadFires).catch(ctx.fail));
  return events.subscribe((type, data) => {
    if (type === 'reconnected') { reloadRuns(); reloadJob(); return; }
    const run = runOf(type, data);
    if (run && (String(run.jobId) === String(id) || (run.jobName === job.name && run.team === job.team))) reloadRuns();
    // A change of the job (a pause, a new cron) also removes its fires planned ahead, and a removal sends no
    // run event of its own: the runs are read again with the job.
    const about = data && typeof data.data === 'object' && data.data ? data.data : data;
    if (isJobEvent(type) && about && String(about.id ?? about.jobId) === String(id)) { reloadJob(); reloadRuns(); }
  });
}

function retryText(j) {
  if ((j.maxAttempts || 1) <= 1) return 'none (one attempt)';
  return `${j.maxAttempts} attempts, backoff ${duration(j.retryInitial)} ×${j.retryMultiplier} up to ${duration(j.retryMax)}`;
}
