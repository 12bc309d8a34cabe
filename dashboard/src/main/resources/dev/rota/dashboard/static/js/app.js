// The shell: sign-in, who is signed in, hash routes to views, the confirmation dialog, notices.
// Each view is `render(main, params, ctx)` and may return a function that undoes its subscriptions.

import { ApiError, get, setToken, token } from './api.js';
import * as events from './events.js';
import { h, replace } from './dom.js';
import { routes } from './routes.js';

const ROLES = ['VIEWER', 'OPERATOR', 'ADMIN'];
const VIEWS = {
  login: () => import('./views/login.js'),
  overview: () => import('./views/overview.js'),
  jobs: () => import('./views/jobs.js'),
  job: () => import('./views/job.js'),
  jobedit: () => import('./views/jobedit.js'),
  runs: () => import('./views/runs.js'),
  run: () => import('./views/run.js'),
  dead: () => import('./views/dead.js'),
  cluster: () => import('./views/cluster.js'),
  audit: () => import('./views/audit.js'),
};

const main = document.getElementById('main');
const notice = document.getElementById('notice');
let cleanup = null;
let me = null;
let renderSeq = 0;
let pendingNotice = null;

/** What views get: who is signed in, what they may do, and the shared dialogs. */
const ctx = {
  get me() { return me; },
  /** Whether the signed-in role includes `role` (viewer < operator < admin). */
  can(role) {
    if (!me) return false;
    return ROLES.indexOf(String(me.role).toUpperCase()) >= ROLES.indexOf(role.toUpperCase());
  },
  /** The signed-in principal may act on a team (null team: cluster-wide). */
  mayActOn(team) {
    return !!me && (!me.team || me.team === team);
  },
  notice(message, isError = false) {
    notice.className = isError ? 'notice error' : 'notice';
    notice.textContent = message;
  },
  clearNotice() {
    notice.textContent = '';
  },
  /** Shows an error, naming the status and the problem's detail. */
  fail(e) {
    if (e && e.name === 'AbortError') return;
    const msg = e instanceof ApiError ? `${e.message}${e.status ? ` (HTTP ${e.status})` : ''}` : String(e && e.message || e);
    ctx.notice(msg, true);
  },
  confirm(text, okLabel = 'Confirm') {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-ok').textContent = okLabel;
    dialog.returnValue = '';
    return new Promise(resolve => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
      document.getElementById('confirm-cancel').focus();
    });
  },
  /** Navigates; `message`, if given, is shown on the page arrived at (a notice is cleared on navigation). */
  go(hash, message) {
    pendingNotice = message || null;
    location.hash = hash;
  },
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  const params = Object.fromEntries(new URLSearchParams(qs || ''));
  params.query = new URLSearchParams(qs || '');
  if (!parts.length) return { view: 'overview', params };
  const [head, id, sub] = parts;
  if (head === 'jobs' && id === 'new') return { view: 'jobedit', params };
  if (head === 'jobs' && id && sub === 'edit') return { view: 'jobedit', params: { ...params, id } };
  if (head === 'jobs' && id) return { view: 'job', params: { ...params, id } };
  if (head === 'runs' && id) return { view: 'run', params: { ...params, id } };
  return { view: VIEWS[head] ? head : 'overview', params };
}

async function route() {
  const seq = ++renderSeq;
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error(e); }
    cleanup = null;
  }
  ctx.clearNotice();
  if (pendingNotice) {
    ctx.notice(pendingNotice);
    pendingNotice = null;
  }
  let { view, params } = parseHash();
  if (!me) view = 'login';
  document.getElementById('top').hidden = view === 'login';
  for (const a of document.querySelectorAll('[data-nav]')) {
    const current = a.dataset.nav === view || (a.dataset.nav === 'jobs' && (view === 'job' || view === 'jobedit'))
      || (a.dataset.nav === 'runs' && view === 'run');
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const module = await VIEWS[view]();
  if (seq !== renderSeq) return;
  replace(main);
  main.dataset.view = view;
  main.dataset.hash = location.hash;
  delete main.dataset.ready;
  try {
    const undo = await module.render(main, params, ctx);
    if (seq === renderSeq) {
      cleanup = typeof undo === 'function' ? undo : null;
      // The browser test reads this mark: when a view first showed its data.
      if (!performance.getEntriesByName(`rota:rendered:${view}`).length) performance.mark(`rota:rendered:${view}`);
      main.dataset.ready = 'true';
    } else if (typeof undo === 'function') undo();
  } catch (e) {
    ctx.fail(e);
    if (seq === renderSeq) main.dataset.ready = 'failed';
  }
}

/** Checks a token against the API and learns its role; throws ApiError when it is refused. */
export async function signIn(value) {
  setToken(value);
  try {
    me = await whoAmI();
  } catch (e) {
    setToken(null);
    me = null;
    throw e;
  }
  showWho();
  events.start();
}

async function whoAmI() {
  const body = await get(routes.me);
  return { name: body.name || body.tokenName || body.principal, role: String(body.role || 'VIEWER').toUpperCase(), team: body.team || null };
}

function showWho() {
  replace(document.getElementById('who'),
    me ? `${me.name} · ${me.role.toLowerCase()}${me.team ? ` · team ${me.team}` : ' · all teams'}` : '');
}

function signOut(message) {
  setToken(null);
  me = null;
  events.stop();
  showWho();
  if (location.hash === '#/login') {
    pendingNotice = message || null;
    route();
  } else {
    ctx.go('#/login', message);
  }
}

events.onStatus(up => {
  const el = document.getElementById('live');
  el.dataset.state = up ? 'on' : 'off';
  el.textContent = up ? 'live' : 'live: reconnecting';
});
window.addEventListener('rota:unauthorized', () => {
  if (me) signOut('The token was refused; sign in again.');
});
document.getElementById('signout').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);

// A master started with --insecure-local answers without a token (loopback only); then no sign-in is needed.
async function signInWithoutToken() {
  try {
    me = await whoAmI();
  } catch {
    me = null;
    return;
  }
  showWho();
  events.start();
}

(async () => {
  try {
    if (token()) await signIn(token());
    else await signInWithoutToken();
  } catch (e) {
    ctx.fail(e);
  }
  await route();
})();

export { ctx, route, h };
