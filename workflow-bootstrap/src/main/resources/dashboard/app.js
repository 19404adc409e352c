// The dashboard: a hash-routed single page. Pages are modules under js/pages; each gets a context that
// stops its polling when the page is left.
import { api, token, ApiError } from './js/api.js';
import { el, note, put } from './js/dom.js';
import definitionsPage from './js/pages/definitions.js';
import instancesPage from './js/pages/instances.js';
import instancePage from './js/pages/instance.js';
import bulkPage from './js/pages/bulk.js';
import metricsPage from './js/pages/metrics.js';
import openapiPage from './js/pages/openapi.js';
import loginPage from './js/pages/login.js';

const ROUTES = [
  { name: 'definitions', title: 'Definitions', nav: true, render: definitionsPage },
  { name: 'instances', title: 'Instances', nav: true, render: instancesPage },
  { name: 'instance', title: 'Instance', nav: false, render: instancePage },
  { name: 'bulk', title: 'Bulk actions', nav: true, render: bulkPage },
  { name: 'metrics', title: 'Metrics', nav: true, render: metricsPage },
  { name: 'api', title: 'API', nav: true, render: openapiPage },
  { name: 'login', title: 'Sign in', nav: false, render: loginPage },
];

const POLL_MS = 3000;
let current = null;
let needsToken = false;

/** '#/instances/x?status=FAILED' → {name: 'instances', args: ['x'], query: URLSearchParams} */
function parse(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const parts = path.split('/').filter(Boolean).map(p => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { name: parts[0] || 'definitions', args: parts.slice(1), query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function context(route) {
  const cleanups = [];
  const ctx = {
    alive: true,
    route,
    onLeave: fn => cleanups.push(fn),
    /** Re-runs fn every 3 s while the tab is visible, never two at once. */
    poll(fn, ms = POLL_MS) {
      let busy = false;
      const tick = async () => {
        if (busy || document.hidden || !ctx.alive) return;
        busy = true;
        try {
          await fn();
        } catch (e) {
          console.warn('refresh failed', e);
        } finally {
          busy = false;
        }
      };
      const handle = setInterval(tick, ms);
      cleanups.push(() => clearInterval(handle));
      return tick;
    },
    navigate: hash => {
      location.hash = hash;
    },
    leave() {
      ctx.alive = false;
      cleanups.splice(0).forEach(fn => fn());
    },
  };
  return ctx;
}

function drawNav(active) {
  const nav = document.getElementById('nav');
  put(nav, ...ROUTES.filter(r => r.nav).map(r =>
    el('a', { href: '#/' + r.name, class: r.name === active || (active === 'instance' && r.name === 'instances') ? 'active' : null }, r.title)));
  const session = document.getElementById('session');
  put(session);
  if (token.get()) {
    session.append(el('button', { type: 'button', class: 'ghost small', onclick: () => { token.clear(); location.hash = '#/login'; } }, 'Sign out'));
  } else if (needsToken) {
    session.append(el('a', { href: '#/login' }, 'Sign in'));
  }
}

async function show() {
  if (current) current.leave();
  const route = parse(location.hash);
  const def = ROUTES.find(r => r.name === route.name);
  const main = document.getElementById('main');
  const ctx = context(route);
  current = ctx;
  drawNav(route.name);
  if (!def) {
    put(main, note('No such page: ' + route.name, 'warn'));
    return;
  }
  document.title = def.title + ' · Workflow runner';
  const page = el('div', { class: 'page page-' + def.name, 'data-page': def.name });
  put(main, page);
  try {
    await def.render(page, ctx, { needsToken, onSignedIn: () => { needsToken = true; } });
  } catch (e) {
    if (!ctx.alive) return;
    if (e instanceof ApiError && e.status === 401) return; // the unauthorized handler has moved to the login page
    page.append(note((e && e.message) || String(e), 'error'));
  }
}

window.addEventListener('workflow:unauthorized', () => {
  needsToken = true;
  const route = parse(location.hash);
  if (route.name !== 'login') {
    sessionStorage.setItem('workflow.dashboard.return', location.hash);
    location.hash = '#/login';
  }
});

async function start() {
  // Does this daemon want a token? Ask once without assuming; a 401 sends the page to the login form.
  try {
    await api('/health/ready');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) needsToken = true;
  }
  window.addEventListener('hashchange', show);
  if (needsToken && !token.get() && parse(location.hash).name !== 'login') {
    sessionStorage.setItem('workflow.dashboard.return', location.hash || '#/definitions');
    location.hash = '#/login';
    return; // hashchange shows it
  }
  show();
}

start();
