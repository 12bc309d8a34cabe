// The one door to the HTTP API. Every request carries the signed-in token as a Bearer token; every
// failure becomes an ApiError carrying the problem+json body, so forms can put a message next to the
// field it names.

export const BASE = '/api/v1';
const TOKEN_KEY = 'rota.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer: `status`, the problem document, and the input field it names (if any). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fieldErrors = fieldErrors(problem);
  }
}

// problem+json has no standard place for the field; accept the usual spellings.
function fieldErrors(problem) {
  const out = {};
  const list = problem.errors || problem.invalidParams || problem['invalid-params'] || [];
  for (const e of Array.isArray(list) ? list : []) {
    const name = e.field || e.name || e.pointer;
    if (name) out[name] = e.message || e.reason || e.detail || problem.detail;
  }
  if (problem.field && !out[problem.field]) out[problem.field] = problem.detail || problem.title;
  return out;
}

/** A key that makes a retried write act once; crypto.randomUUID needs a secure context, this does not. */
export function idempotencyKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}

function url(path, query) {
  const u = new URL(BASE + path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '') continue;
    u.searchParams.set(k, Array.isArray(v) ? v.join(',') : v);
  }
  return u.pathname + u.search;
}

/**
 * Calls the API. Returns {body, etag, status}. Writes (anything but GET) carry an Idempotency-Key;
 * pass `ifMatch` to make an update conditional on the version read.
 */
export async function call(method, path, { query, body, ifMatch, signal } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = idempotencyKey();
  if (ifMatch) headers['If-Match'] = ifMatch;
  let res;
  try {
    res = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'The server cannot be reached', detail: String(e.message || e) });
  }
  const text = await res.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = { detail: text }; }
  }
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new CustomEvent('rota:unauthorized'));
    throw new ApiError(res.status, parsed || { title: res.statusText });
  }
  return { body: parsed, etag: res.headers.get('ETag'), status: res.status };
}

export const get = (path, query, signal) => call('GET', path, { query, signal }).then(r => r.body);
export const post = (path, body, opts = {}) => call('POST', path, { body, ...opts }).then(r => r.body);
