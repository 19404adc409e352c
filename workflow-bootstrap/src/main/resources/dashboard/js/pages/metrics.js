import { api, isMissing } from '../api.js';
import { badge, el, note, put, section, table } from '../dom.js';

const UPLOT = '../../webjars/uplot/1.6.30/dist/uPlot.esm.js';

const CHARTS = [
  { id: 'chart-throughput', title: 'Throughput (per minute)', series: [['started', 'started', '#3b82f6'], ['completed', 'completed', '#16a34a']] },
  { id: 'chart-failures', title: 'Failures (per minute)', series: [['failed', 'failed', '#dc2626']] },
  { id: 'chart-latency', title: 'Latency (ms)', series: [['p50Ms', 'p50', '#7c3aed'], ['p99Ms', 'p99', '#f59e0b']] },
];

function state(s) {
  return badge(s === undefined || s === null ? 'UNKNOWN' : s);
}

export default async function metricsPage(page, ctx) {
  const charts = el('div', { class: 'charts', id: 'charts' });
  const states = el('div', { id: 'states' });
  const ready = el('div', { id: 'readiness' });
  page.append(el('h1', {}, 'Metrics · last hour'), charts, el('div', { class: 'columns' }, section('Breakers, store and broker', states), section('Readiness', ready)));

  let uPlot = null;
  try {
    uPlot = (await import(UPLOT)).default;
  } catch (e) {
    charts.append(note('The chart library did not load: ' + e.message, 'warn'));
  }
  const plots = new Map();

  function drawCharts(series) {
    const xs = series.map(p => Math.floor(new Date(p.at).getTime() / 1000));
    for (const c of CHARTS) {
      const data = [xs, ...c.series.map(([field]) => series.map(p => (typeof p[field] === 'number' ? p[field] : null)))];
      if (plots.has(c.id)) {
        plots.get(c.id).setData(data);
        continue;
      }
      const box = el('div', { class: 'chart card', id: c.id }, el('h2', {}, c.title));
      charts.append(box);
      const width = Math.max(280, Math.min(520, (charts.clientWidth || 900) / 3 - 24));
      const opts = {
        width, height: 180,
        series: [{}, ...c.series.map(([, label, stroke]) => ({ label, stroke, width: 2, points: { show: false } }))],
        axes: [{ stroke: '#64748b' }, { stroke: '#64748b' }],
        legend: { show: true },
      };
      plots.set(c.id, new uPlot(opts, data, box));
    }
  }

  async function load() {
    try {
      const stats = await api('/api/v1/stats?minutes=60');
      if (!ctx.alive) return;
      if (uPlot) drawCharts(stats.series || []);
      const breakers = Object.entries(stats.breakers || {});
      put(states,
        el('dl', { class: 'facts' }, el('dt', {}, 'store'), el('dd', {}, state(stats.store)), el('dt', {}, 'broker'), el('dd', {}, state(stats.broker))),
        breakers.length ? table(['breaker', 'state'], breakers.map(([n, s]) => el('tr', {}, el('td', { class: 'mono' }, n), el('td', {}, state(s))))) : note('No circuit breaker.'));
    } catch (e) {
      if (!ctx.alive) return;
      if (!charts.querySelector('.note')) {
        put(charts, note(isMissing(e) ? 'Charts: this daemon has no statistics endpoint yet (GET /api/v1/stats); its raw meters are at /metrics.' : 'Statistics: ' + e.message, isMissing(e) ? 'info' : 'warn'));
      }
      put(states, note('Breakers, store and broker state come with the statistics endpoint; the readiness report beside shows what the daemon knows today.', 'info'));
    }
    try {
      const r = await api('/health/ready');
      if (!ctx.alive) return;
      put(ready, readiness(r));
    } catch (e) {
      if (!ctx.alive) return;
      put(ready, e.status === 503 ? note('The daemon reports itself not ready: ' + e.message, 'error') : note(e.message, 'warn'));
    }
  }

  function readiness(r) {
    const comps = Object.entries(r.components || {});
    return el('div', {}, el('p', {}, 'status ', state(r.status)),
      comps.length ? table(['component', 'status', 'detail'], comps.map(([n, c]) => el('tr', {}, el('td', { class: 'mono' }, n), el('td', {}, state(c && c.status)),
        el('td', {}, c && typeof c === 'object' ? (c.detail ?? JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'status')))) : String(c))))) : null);
  }

  await load();
  ctx.poll(load);
}
