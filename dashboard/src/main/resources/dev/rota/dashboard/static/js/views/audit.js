// Audit log: who did what, to what, when, with the row before and after; newest first, paged.

import { get } from '../api.js';
import { h, table } from '../dom.js';
import { json, time } from '../format.js';
import { pager } from '../paging.js';
import { routes } from '../routes.js';

export async function render(main, params) {
  const q = { cursor: params.cursor || '' };
  const page = await get(routes.audit, { cursor: q.cursor });
  main.append(h('h1', { text: 'Audit log' }),
    table([
      { label: 'When', cell: e => time(e.at || e.createdAt) },
      { label: 'Who', cell: e => e.actor },
      { label: 'What', cell: e => h('code', { text: e.action }) },
      { label: 'Target', cell: e => e.target },
      { label: 'Team', cell: e => e.team || '—' },
      { label: 'Change', cell: e => change(e) },
    ], page.items || [], { id: 'audit-table', empty: 'Nothing recorded yet.' }),
    pager('audit', '#/audit', q, page));
}

function change(e) {
  if (!e.before && !e.after) return '';
  return h('details', {}, h('summary', { text: 'before / after' }),
    h('pre', { text: `before: ${json(e.before) ?? 'none'}\nafter: ${json(e.after) ?? 'none'}` }));
}
