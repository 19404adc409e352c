import { api, definition } from '../api.js';
import { el, note, section, table } from '../dom.js';
import { drawGraph, legend, stepKind } from '../graph.js';

export default async function definitionsPage(page, ctx) {
  const list = await api('/api/v1/definitions');
  if (!ctx.alive) return;
  const items = list.items || [];
  const byId = new Map();
  for (const d of items) {
    if (!byId.has(d.id)) byId.set(d.id, []);
    byId.get(d.id).push(d);
  }
  const selected = ctx.route.args[0] || (items.find(d => !String(d.id).startsWith('reactory.')) || items[0] || {}).key;
  const side = el('aside', { class: 'card side' }, el('h2', {}, `Workflows (${byId.size})`),
    el('ul', { class: 'definition-list' }, [...byId.entries()].map(([id, versions]) =>
      el('li', {}, el('span', { class: 'def-id' }, id), el('span', { class: 'versions' },
        versions.map(v => el('a', { href: '#/definitions/' + encodeURIComponent(v.key), class: v.key === selected ? 'active' : null, title: v.key }, v.version)))))));
  const detail = el('div', { class: 'detail' });
  page.append(el('div', { class: 'split' }, side, detail));
  if (!items.length) {
    detail.append(note('No workflow is registered on this daemon.'));
    return;
  }
  if (!selected) return;
  let d;
  try {
    d = await definition(selected);
  } catch (e) {
    detail.append(section(selected, note(`The daemon did not give this definition: ${e.message}`, 'warn')));
    return;
  }
  if (!ctx.alive) return;
  const steps = d.steps || [];
  const hasKinds = steps.some(s => s.kind !== undefined);
  detail.append(
    section(d.key,
      el('dl', { class: 'facts' },
        el('dt', {}, 'category'), el('dd', {}, d.category || '—'),
        el('dt', {}, 'auto start'), el('dd', {}, d.autoStart ? 'yes' : 'no'),
        el('dt', {}, 'steps'), el('dd', {}, String(steps.length))),
      el('div', { class: 'actions' },
        el('a', { class: 'button', href: '#/instances?definition=' + encodeURIComponent(d.id) }, 'Instances of this workflow'),
        el('a', { class: 'button ghost', href: '#/instances?definition=' + encodeURIComponent(d.id) + '&version=' + encodeURIComponent(d.version) }, `Instances of ${d.version}`)),
      hasKinds ? null : note('This daemon does not describe step kinds, branches or compensations yet: containers are drawn as plain steps and their branches unlinked.', 'info'),
      drawGraph(d), legend(false)),
    section('Steps', table(['#', 'name', 'kind', 'next', 'outcomes', 'branches', 'compensation', 'on error', 'attempts'],
      steps.map((s, i) => el('tr', {},
        el('td', {}, String(i)), el('td', { class: 'mono' }, s.name), el('td', {}, stepKind(s)), el('td', {}, s.next ?? '—'),
        el('td', {}, Object.entries(s.outcomes || {}).map(([k, v]) => `${k} → ${v}`).join(', ') || '—'),
        el('td', {}, (s.children || []).join(', ') || '—'), el('td', {}, s.compensation || '—'),
        el('td', {}, s.onError || '—'), el('td', {}, String(s.maxAttempts ?? 1)))))));
}
