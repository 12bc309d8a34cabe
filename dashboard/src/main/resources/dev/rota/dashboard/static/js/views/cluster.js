// Cluster: leader, epoch, masters, workers; fail over the leader (admin, after a confirmation) and
// watch the handover live: each change of leader or epoch is added to the handover log as it arrives.

import { get, post } from '../api.js';
import { h, replace, table } from '../dom.js';
import { time } from '../format.js';
import * as events from '../events.js';
import { isClusterEvent, throttle } from '../live.js';
import { routes } from '../routes.js';

export async function render(main, params, ctx) {
  const summary = h('div', { id: 'cluster-summary' });
  const handover = h('ol', { class: 'timeline', id: 'handover' });
  const actions = h('div', { class: 'actions', id: 'cluster-actions' });
  main.append(h('h1', { text: 'Cluster' }), summary, actions, h('h2', { text: 'Leadership changes seen on this page' }),
    h('p', { class: 'muted', text: 'Each change appears here as the events stream reports it.' }), handover);
  let last = null;

  if (ctx.can('ADMIN') && !ctx.me.team) {
    actions.append(h('button', { type: 'button', class: 'danger', id: 'failover', onclick: failover }, '⇄ Fail over the leader…'));
  } else {
    actions.append(h('p', { class: 'muted', id: 'failover-denied', text: 'Failing over the leader needs an admin token for all teams.' }));
  }

  async function failover() {
    const leader = last && last.leaderId;
    if (!await ctx.confirm(`Ask ${leader || 'the leader'} to step down? Another master takes over; dispatch pauses for a moment.`, 'Fail over')) return;
    try {
      const res = await post(routes.failover);
      const asked = res && res.askedToStepDown;
      note(`asked ${asked || leader || 'the leader'} to step down`);
      ctx.notice(`Failover requested${asked ? `: ${asked} steps down` : ''}.`);
    } catch (e) { ctx.fail(e); }
  }

  function note(text) {
    handover.append(h('li', {}, time(new Date().toISOString()), ' ', text));
  }

  async function load() {
    const c = await get(routes.cluster);
    if (last && (last.leaderId !== c.leaderId || last.epoch !== c.epoch || last.leaseHolder !== c.leaseHolder)) {
      note(describeLeadership(c));
    }
    last = c;
    replace(summary,
      h('p', { id: 'cluster-leader' }, 'Leader: ', h('strong', { id: 'leader', text: c.leaderId || 'none' }), `, epoch `, h('strong', { id: 'epoch', text: String(c.epoch) }),
        c.leaseHolder && c.leaseHolder !== c.leaderId ? ` (lease still held by ${c.leaseHolder})` : ''),
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
        { label: 'Capacity', cell: w => String(w.capacity), num: true },
        { label: 'Started', cell: w => time(w.startedAt) },
      ], c.workers || [], { id: 'workers', empty: 'No worker is registered.' }));
  }

  await load();
  const reload = throttle(() => load().catch(ctx.fail));
  return events.subscribe((type, data) => {
    if (type === 'reconnected' || isClusterEvent(type)) reload();
  });
}

// A new leader is elected in ZooKeeper first and takes its epoch in PostgreSQL a moment later; until
// then the lease row still names the old one, and saying "leads" would be early.
function describeLeadership(c) {
  if (!c.leaderId) return `no leader (epoch ${c.epoch} held by ${c.leaseHolder || 'nobody'})`;
  if (c.leaseHolder && c.leaseHolder !== c.leaderId) return `${c.leaderId} elected, taking over from ${c.leaseHolder} (epoch ${c.epoch})`;
  return `${c.leaderId} leads, epoch ${c.epoch}`;
}
