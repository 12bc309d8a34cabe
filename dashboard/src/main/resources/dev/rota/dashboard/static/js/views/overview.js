// Overview: who leads, masters and workers, runs that failed in the last 24 h, and a live feed of events.

import { get } from '../api.js';
import { h, replace, table, props } from '../dom.js';
import { time, stateBadge } from '../format.js';
import * as events from '../events.js';
import { routes } from '../routes.js';
import { describe, isClusterEvent, isRunEvent, runOf, throttle } from '../live.js';

const BAD = ['FAILED', 'DEAD', 'TIMED_OUT'];

export async function render(main, params, ctx) {
  const leader = h('div', { id: 'leader-card' });
  const members = h('div', { id: 'members' });
  const failures = h('div', { id: 'failures' });
  const feed = h('ol', { class: 'feed', id: 'feed', 'aria-live': 'polite' });
  main.append(
    h('h1', { text: 'Overview' }),
    leader,
    members,
    h('h2', { text: 'Runs failed, timed out or dead in the last 24 hours' }),
    failures,
    h('h2', { text: 'Live events' }),
    h('p', { class: 'muted', id: 'feed-empty', text: 'Events appear here as they happen.' }),
    feed);

  const loadCluster = throttle(() => get(routes.cluster).then(c => showCluster(c, leader, members)).catch(ctx.fail));
  const loadFailures = throttle(() => get(routes.runs, { state: BAD, from: new Date(Date.now() - 86400000).toISOString(), limit: 20 })
    .then(p => showFailures(p, failures)).catch(ctx.fail));
  await Promise.all([loadCluster(), loadFailures()]);

  return events.subscribe((type, data) => {
    if (type === 'reconnected') { loadCluster(); loadFailures(); return; }
    if (isClusterEvent(type)) loadCluster();
    const run = runOf(type, data);
    if (isRunEvent(type, data) && (!run || !run.state || BAD.includes(run.state))) loadFailures();
    document.getElementById('feed-empty')?.remove();
    feed.prepend(h('li', { dataset: { type } }, time(new Date().toISOString()), ' ', describe(type, data)));
    while (feed.children.length > 30) feed.lastChild.remove();
  });
}

function showCluster(c, leader, members) {
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
      { label: 'In flight', cell: w => w.inFlight ?? '—', num: true },
      { label: 'Version', cell: w => w.version },
      { label: 'Started', cell: w => time(w.startedAt) },
    ], c.workers || [], { id: 'workers', empty: 'No worker is registered.' }));
  if (c.leaseHolder && c.leaseHolder !== c.leaderId && live.size) {
    members.prepend(h('p', { class: 'notice', text: `Handover under way: the lease is still held by ${c.leaseHolder}.` }));
  }
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
