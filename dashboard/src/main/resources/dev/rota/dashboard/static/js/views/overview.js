// Overview: who leads, anything to be alarmed about (task types whose workers fall behind, the latest alert
// deliveries), masters and workers (capacity, in flight, last heartbeat), queue depth per task type, fires per
// minute and their lateness over the last hour (an inline SVG chart), runs that failed in the last 24 h, and a
// live feed of events.

import { get } from '../api.js';
import { h, replace, table, props } from '../dom.js';
import { deliveryBadge, duration, time, stateBadge } from '../format.js';
import * as events from '../events.js';
import { routes } from '../routes.js';
import { describe, isClusterEvent, isRunEvent, runOf, throttle } from '../live.js';
import { fireChart, fireSummary } from '../chart.js';

const BAD = ['FAILED', 'DEAD', 'TIMED_OUT'];
/** Alert deliveries shown, newest first. */
const ALERTS_SHOWN = 10;
/**
 * A delivery's status changes (PENDING to DELIVERED or FAILED) when the leader sends it, which no event tells:
 * the list is read again this often, besides after run and cluster events. One indexed query of ten rows.
 */
const ALERTS_REFRESH_MS = 10000;

export async function render(main, params, ctx) {
  const leader = h('div', { id: 'leader-card' });
  const backlog = h('div', { id: 'backlog' });
  const alerts = h('div', { id: 'alerts' });
  const members = h('div', { id: 'members' });
  const failures = h('div', { id: 'failures' });
  const chart = h('div', { id: 'fire-chart' });
  const feed = h('ol', { class: 'feed', id: 'feed', 'aria-live': 'polite' });
  main.append(
    h('h1', { text: 'Overview' }),
    leader,
    h('h2', { text: 'Alerts' }),
    backlog,
    alerts,
    members,
    h('h2', { text: 'Fires and lateness, last hour' }),
    h('p', { class: 'legend muted' }, h('span', { class: 'fires', text: 'fires per minute' }),
      h('span', { class: 'p50', text: 'lateness p50' }), h('span', { class: 'p99', text: 'lateness p99 (started − scheduled)' })),
    chart,
    h('h2', { text: 'Runs failed, timed out or dead in the last 24 hours' }),
    failures,
    h('h2', { text: 'Live events' }),
    h('p', { class: 'muted', id: 'feed-empty', text: 'Events appear here as they happen.' }),
    feed);

  const loadCluster = throttle(() => get(routes.cluster).then(c => showCluster(c, leader, members, backlog)).catch(ctx.fail));
  const loadAlerts = throttle(() => get(routes.alertDeliveries, { limit: ALERTS_SHOWN })
    .then(list => showAlerts(list, alerts))
    .catch(e => replace(alerts, h('p', { class: 'muted', id: 'alerts-unavailable', text: `Alert deliveries cannot be shown: ${e.message}` }))), 2000);
  const loadFailures = throttle(() => get(routes.runs, { state: BAD, from: new Date(Date.now() - 86400000).toISOString(), limit: 20 })
    .then(p => showFailures(p, failures)).catch(ctx.fail));
  // The chart and the queue depths follow the runs, at most every few seconds: each is an aggregate query.
  const loadStats = throttle(() => get(routes.fireStats, { minutes: 60 }).then(s => showStats(s, chart)).catch(ctx.fail), 5000);
  await Promise.all([loadCluster(), loadFailures(), loadStats(), loadAlerts()]);
  const loadLoad = throttle(() => loadCluster(), 2000);
  const timer = setInterval(loadAlerts, ALERTS_REFRESH_MS);

  const unsubscribe = events.subscribe((type, data) => {
    if (type === 'reconnected') { loadCluster(); loadFailures(); loadStats(); loadAlerts(); return; }
    if (isClusterEvent(type)) { loadCluster(); loadAlerts(); }
    const run = runOf(type, data);
    if (isRunEvent(type, data)) { loadStats(); loadLoad(); loadAlerts(); }
    if (isRunEvent(type, data) && (!run || !run.state || BAD.includes(run.state))) loadFailures();
    document.getElementById('feed-empty')?.remove();
    feed.prepend(h('li', { dataset: { type } }, time(new Date().toISOString()), ' ', describe(type, data)));
    while (feed.children.length > 30) feed.lastChild.remove();
  });
  return () => { clearInterval(timer); unsubscribe(); };
}

/**
 * Whether a task type's workers fall behind: more runs wait (due but not dispatched, or queued but not started)
 * than its workers have free slots to start them now. The API's queue depths come from the run table, so any
 * master answers; the leader's own backlog monitor (RabbitMQ's ready count, start rate) is not in the API.
 */
export function behind(q) {
  const waiting = (q.due || 0) + (q.queued || 0);
  const free = Math.max(0, (q.workerCapacity || 0) - (q.running || 0));
  return waiting > free;
}

function showBacklog(queues, el) {
  const late = queues.filter(behind);
  if (!late.length) {
    replace(el, h('p', { class: 'muted', id: 'backlog-none', text: 'No backlog: every task type has worker slots free for its waiting runs.' }));
    return;
  }
  replace(el, h('ul', { class: 'warnings', id: 'backlog-list' }, late.map(q => {
    const free = Math.max(0, q.workerCapacity - q.running);
    const waiting = q.due + q.queued;
    return h('li', { dataset: { taskType: q.taskType } },
      h('span', { class: 'badge warn' }, '⚠ backlog'), ' ', h('strong', { text: q.taskType }),
      `: ${waiting} waiting (${q.due} due, ${q.queued} queued), `,
      q.workerCapacity ? `${free} of ${q.workerCapacity} worker slots free` : 'no worker serves it');
  })));
}

function showAlerts(list, el) {
  const items = Array.isArray(list) ? list : [];
  replace(el, table([
    { label: 'When', cell: d => time(d.createdAt) },
    { label: 'Alert', cell: d => d.kind },
    { label: 'About', cell: d => about(d.payload || {}) },
    { label: 'Status', cell: d => [deliveryBadge(d.status), d.attempts > 1 ? ` after ${d.attempts} attempts` : null] },
    { label: 'Detail', cell: d => d.status === 'DELIVERED' ? ['sent ', time(d.deliveredAt)]
      : (d.lastError || (d.lastStatus ? `HTTP ${d.lastStatus}` : (d.nextAttemptAt ? ['next try ', time(d.nextAttemptAt)] : '—'))) },
  ], items, { id: 'alerts-table', empty: 'No alert has been raised (or no alert rule matches what happened).',
    rowAttrs: d => ({ dataset: { delivery: d.id, kind: d.kind, status: d.status } }) }));
}

/** What an alert is about, from its payload: the job and run, a worker's lost runs, or the leaderless cluster. */
function about(p) {
  const runLink = id => h('a', { href: `#/runs/${id}`, text: `run #${id}` });
  if (Array.isArray(p.runs)) {
    return [`worker ${p.workerId || '?'}: `, p.runs.flatMap((r, i) => [i ? ', ' : null, runLink(r.runId)])];
  }
  if (p.runId !== undefined && p.runId !== null) {
    const who = p.jobName
      ? (p.jobId ? h('a', { href: `#/jobs/${p.jobId}`, text: `${p.team}/${p.jobName}` }) : `${p.team}/${p.jobName}`)
      : `${p.team} task ${p.taskType}`;
    return [who, ' ', runLink(p.runId), p.lateByMs !== undefined ? ` started ${duration(p.lateByMs)} late` : null];
  }
  if (p.kind === 'NO_LEADER') {
    return `no leader for ${duration(p.leaderlessForMs)} (last ${p.lastLeaderId || '?'}, epoch ${p.lastEpoch ?? '?'})`;
  }
  return p.team || '—';
}

function showCluster(c, leader, members, backlog) {
  showBacklog(c.queues || [], backlog);
  const live = new Set((c.masters || []).map(m => m.id));
  replace(leader, h('div', { class: 'cards' },
    card('Leader', c.leaderId || 'none', 'leader'),
    card('Epoch', c.epoch ?? '—', 'epoch'),
    card('Masters', (c.masters || []).length, 'master-count'),
    card('Workers', (c.workers || []).length, 'worker-count'),
    card('Worker capacity', (c.workers || []).reduce((s, w) => s + (w.capacity || 0), 0), 'capacity')));
  if (!c.leaderId) leader.prepend(h('p', { class: 'notice error', text: 'No master leads: nothing is being dispatched.' }));
  replace(members,
    h('h2', { text: 'Masters' }),
    table([
      { label: 'Master', cell: m => m.id },
      { label: 'Role', cell: m => m.id === c.leaderId ? h('span', { class: 'badge good' }, '★ leader') : h('span', { class: 'badge neutral' }, 'standby') },
      { label: 'Address', cell: m => m.address },
      { label: 'Version', cell: m => m.version },
      { label: 'Started', cell: m => time(m.startedAt) },
    ], c.masters || [], { id: 'masters', empty: 'No master is registered.' }),
    h('h2', { text: 'Workers' }),
    table([
      { label: 'Worker', cell: w => w.id },
      { label: 'Host', cell: w => w.host },
      { label: 'Task types', cell: w => (w.taskTypes || []).join(', ') },
      { label: 'Capacity', cell: w => String(w.capacity ?? '—'), num: true },
      { label: 'In flight', cell: w => String(w.inFlight ?? '—'), num: true },
      { label: 'Last heartbeat', cell: w => w.lastHeartbeat ? time(w.lastHeartbeat) : 'idle' },
      { label: 'Version', cell: w => w.version },
      { label: 'Started', cell: w => time(w.startedAt) },
    ], c.workers || [], { id: 'workers', empty: 'No worker is registered.', rowAttrs: w => ({ dataset: { worker: w.id } }) }),
    h('h2', { text: 'Queues' }),
    table([
      { label: 'Task type', cell: q => q.taskType },
      { label: 'Keeping up', cell: q => behind(q) ? h('span', { class: 'badge warn' }, '⚠ behind') : h('span', { class: 'badge good' }, '✓ yes') },
      { label: 'Due, not dispatched', cell: q => String(q.due), num: true },
      { label: 'Queued', cell: q => String(q.queued), num: true },
      { label: 'Running', cell: q => String(q.running), num: true },
      { label: 'Worker capacity', cell: q => q.workerCapacity ? String(q.workerCapacity) : h('span', { class: 'badge bad' }, 'no worker'), num: true },
    ], c.queues || [], { id: 'queues', empty: 'No task type has workers or waiting runs.', rowAttrs: q => ({ dataset: { taskType: q.taskType } }) }));
  if (c.leaseHolder && c.leaseHolder !== c.leaderId && live.size) {
    members.prepend(h('p', { class: 'notice', text: `Handover under way: the lease is still held by ${c.leaseHolder}.` }));
  }
}

function showStats(stats, el) {
  replace(el, h('p', { id: 'fire-summary', text: fireSummary(stats) }), fireChart(stats));
}

function showFailures(page, el) {
  const items = page.items || [];
  replace(el,
    h('p', { id: 'failure-count' }, h('strong', { text: `${items.length}${page.next ? '+' : ''}` }), items.length === 1 ? ' run' : ' runs',
      ' · ', h('a', { href: `#/runs?state=FAILED,DEAD,TIMED_OUT&from=${encodeURIComponent(new Date(Date.now() - 86400000).toISOString())}`, text: 'see all' })),
    table([
      { label: 'Run', cell: r => h('a', { href: `#/runs/${r.id}`, text: `#${r.id}` }) },
      { label: 'Job', cell: r => r.jobName || r.taskType },
      { label: 'State', cell: r => stateBadge(r.state) },
      { label: 'Scheduled', cell: r => time(r.scheduledAt) },
      { label: 'Error', cell: r => (r.error || '').slice(0, 120) },
    ], items, { id: 'failures-table', empty: 'None.' }));
}

function card(label, value, id) {
  return h('div', { class: 'card' }, h('div', { class: 'label', text: label }), h('div', { class: 'value', id, text: String(value) }));
}
