// Every call to the daemon: same origin, the bearer token from session storage, never a cookie.

const TOKEN_KEY = 'workflow.dashboard.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: t => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The endpoint is not on this daemon (yet): the page shows a note instead of the feature. */
export function isMissing(e) {
  return e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501);
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json', 'X-Workflow-Caller': 'dashboard' };
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'network', 'the daemon did not answer: ' + e.message);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.status === 401) window.dispatchEvent(new CustomEvent('workflow:unauthorized'));
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText || 'HTTP ' + res.status);
  }
  return data;
}

/** '?a=1&b=2' of the non-empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

const definitionCache = new Map();

/** One definition by key (nameSpace.name@version), kept for the page's life. */
export function definition(key) {
  if (!definitionCache.has(key)) {
    const p = api('/api/v1/definitions/' + encodeURIComponent(key));
    p.catch(() => definitionCache.delete(key));
    definitionCache.set(key, p);
  }
  return definitionCache.get(key);
}
