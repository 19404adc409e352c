import { api, isMissing, qs } from '../api.js';
import { ago, badge, el, fmtTime, instanceLink, note, put, table } from '../dom.js';
import { FILTER_KEYS, STATUSES, describe, filterFrom, selection, toInstant, toLocal } from '../filters.js';

const LIMITS = ['20', '50', '100', '200'];

export default async function instancesPage(page, ctx) {
  const query = ctx.route.query;
  const filter = filterFrom(query);
  const sort = query.get('sort') || '-createdAt';
  const limit = LIMITS.includes(query.get('limit')) ? query.get('limit') : '50';
  const cursor = { after: query.get('after') || '', offset: query.get('offset') || '' };
  const chosen = new Set();

  const defs = await api('/api/v1/definitions').catch(() => ({ items: [] }));
  if (!ctx.alive) return;
  const ids = [...new Set((defs.items || []).map(d => d.id))];

  // ---- filter form: its values go to the page address, so a filter can be bookmarked and shared
  const field = (name, label, input) => el('label', { class: 'field' }, el('span', {}, label), input);
  const definitionSelect = el('select', { name: 'definition', id: 'filter-definition' },
    el('option', { value: '' }, 'any workflow'), ids.map(id => el('option', { value: id, selected: id === filter.definition }, id)));
  const statusSelect = el('select', { name: 'status', id: 'filter-status' },
    el('option', { value: '' }, 'any status'), STATUSES.map(s => el('option', { value: s, selected: s === filter.status }, s)));
  const input = (name, placeholder, type = 'text') => {
    const i = el('input', { name, id: 'filter-' + name, type, placeholder });
    i.value = type === 'datetime-local' ? toLocal(filter[name]) : filter[name] || '';
    return i;
  };
  const sortSelect = el('select', { name: 'sort', id: 'filter-sort' },
    el('option', { value: '-createdAt', selected: sort === '-createdAt' }, 'newest first'),
    el('option', { value: 'createdAt', selected: sort === 'createdAt' }, 'oldest first'));
  const limitSelect = el('select', { name: 'limit' }, LIMITS.map(l => el('option', { value: l, selected: l === limit }, l + ' a page')));
  const auto = el('input', { type: 'checkbox', id: 'auto-refresh', checked: sessionStorage.getItem('workflow.dashboard.auto') !== 'off' });
  const form = el('form', { class: 'card filters', id: 'filters' },
    field('definition', 'Workflow', definitionSelect), field('version', 'Version', input('version', '1.0.0')),
    field('status', 'Status', statusSelect), field('from', 'Created from', input('from', '', 'datetime-local')),
    field('to', 'Created before', input('to', '', 'datetime-local')), field('reference', 'Reference', input('reference', 'business key')),
    field('q', 'Text in data', input('q', 'free text')), field('sort', 'Order', sortSelect), field('limit', 'Page', limitSelect),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', id: 'apply-filter' }, 'Filter'),
      el('a', { class: 'button ghost', href: '#/instances' }, 'Reset'),
      el('label', { class: 'inline' }, auto, ' auto-refresh')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const f = new FormData(form);
    const next = {};
    for (const k of FILTER_KEYS) {
      let v = String(f.get(k) || '').trim();
      if (k === 'from' || k === 'to') v = toInstant(v);
      if (v) next[k] = v;
    }
    next.sort = f.get('sort');
    next.limit = f.get('limit');
    ctx.navigate('#/instances' + qs(next));
  });
  auto.addEventListener('change', () => sessionStorage.setItem('workflow.dashboard.auto', auto.checked ? 'on' : 'off'));

  const counts = el('div', { class: 'counts', id: 'status-counts' });
  const notes = el('div', { class: 'notes' });
  const body = el('tbody', {});
  const pager = el('div', { class: 'pager' });
  const selectAll = el('input', { type: 'checkbox', title: 'select every row of this page' });
  const bulkBar = el('div', { class: 'bulkbar' });
  const list = el('table', { class: 'grid', id: 'instance-table' },
    el('thead', {}, el('tr', {}, el('th', {}, selectAll), el('th', {}, 'id'), el('th', {}, 'workflow'), el('th', {}, 'status'),
      el('th', {}, 'reference'), el('th', { class: 'sortable' }, el('a', { href: '#/instances' + qs({ ...filter, sort: sort === 'createdAt' ? '-createdAt' : 'createdAt', limit }) }, 'created ' + (sort === 'createdAt' ? '▲' : '▼'))),
      el('th', {}, 'updated'))),
    body);
  page.append(el('h1', {}, 'Instances'), form, counts, notes, el('section', { class: 'card' }, bulkBar, list, pager));

  const drawBulkBar = () => {
    put(bulkBar,
      el('span', { class: 'muted' }, `Filter: ${describe(filter)}`),
      el('a', { class: 'button ghost small', id: 'bulk-filter', href: '#/bulk' + qs(filter) }, 'Bulk action on this filter…'),
      el('button', {
        type: 'button', class: 'ghost small', id: 'bulk-selection', disabled: chosen.size === 0,
        onclick: () => { selection.set([...chosen]); ctx.navigate('#/bulk?selection=1'); },
      }, `Bulk action on selection (${chosen.size})…`));
  };
  selectAll.addEventListener('change', () => {
    body.querySelectorAll('input[type=checkbox]').forEach(c => {
      c.checked = selectAll.checked;
      if (c.checked) chosen.add(c.value); else chosen.delete(c.value);
    });
    drawBulkBar();
  });
  drawBulkBar();

  async function loadCounts() {
    try {
      const c = await api('/api/v1/instances/counts' + qs({ definition: filter.definition, version: filter.version }));
      if (!ctx.alive) return;
      put(counts, ...STATUSES.map(s => el('a', {
        class: 'count' + (filter.status === s ? ' active' : ''), 'data-status': s,
        href: '#/instances' + qs({ ...filter, status: filter.status === s ? '' : s, sort, limit }),
      }, badge(s), el('strong', {}, String(c[s] ?? 0)))));
    } catch (e) {
      if (!ctx.alive) return;
      put(counts, note(isMissing(e) ? 'Counts per status: not available on this daemon (GET /api/v1/instances/counts).' : 'Counts per status: ' + e.message, isMissing(e) ? 'info' : 'warn'));
    }
  }

  async function loadList() {
    const params = { ...filter, sort, limit };
    if (cursor.after) params.after = cursor.after;
    else if (cursor.offset) params.offset = cursor.offset;
    const res = await api('/api/v1/instances' + qs(params));
    if (!ctx.alive) return;
    let items = res.items || [];
    // A daemon without the newer filters ignores them; say so, and narrow this page to what the page can check.
    const warnings = [];
    const cursorPaging = Object.prototype.hasOwnProperty.call(res, 'next');
    if (!cursorPaging) {
      const ignored = ['version', 'reference', 'q'].filter(k => filter[k]);
      if (ignored.length) warnings.push(`This daemon does not filter by ${ignored.join(', ')}: ${filter.q ? 'the text filter is not applied; ' : ''}version and reference are checked on this page only.`);
      if (filter.version) items = items.filter(i => String(i.definition).endsWith('@' + filter.version));
      if (filter.reference) items = items.filter(i => i.reference === filter.reference);
      items = [...items].sort((a, b) => (sort === 'createdAt' ? 1 : -1) * String(a.createdAt).localeCompare(String(b.createdAt)));
    }
    put(notes, ...warnings.map(w => note(w, 'info')));
    put(body, ...(items.length ? items.map(i => {
      const box = el('input', { type: 'checkbox', value: i.id, checked: chosen.has(i.id), 'aria-label': 'select ' + i.id });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(i.id); else chosen.delete(i.id);
        drawBulkBar();
      });
      return el('tr', { 'data-id': i.id, 'data-status': i.status },
        el('td', {}, box), el('td', {}, instanceLink(i.id)), el('td', { class: 'mono' }, i.definition), el('td', {}, badge(i.status)),
        el('td', { class: 'mono' }, i.reference || '—'), el('td', { title: fmtTime(i.createdAt) }, ago(i.createdAt)),
        el('td', { title: fmtTime(i.updatedAt) }, ago(i.updatedAt)));
    }) : [el('tr', {}, el('td', { colspan: 7, class: 'muted empty' }, 'No instance matches.'))]));
    const nextHash = cursorPaging
      ? (res.next ? '#/instances' + qs({ ...filter, sort, limit, after: res.next }) : null)
      : (res.nextOffset !== null && res.nextOffset !== undefined ? '#/instances' + qs({ ...filter, sort, limit, offset: res.nextOffset }) : null);
    const atStart = !cursor.after && !cursor.offset;
    put(pager,
      el('span', { class: 'muted' }, `${items.length} shown` + (cursor.offset ? `, from #${Number(cursor.offset) + 1}` : '')),
      atStart ? null : el('a', { class: 'button ghost small', href: '#/instances' + qs({ ...filter, sort, limit }) }, '⇤ First page'),
      nextHash ? el('a', { class: 'button ghost small', id: 'next-page', href: nextHash }, 'Next page →') : null);
  }

  await Promise.all([loadCounts(), loadList().catch(e => put(notes, note(e.message, 'error')))]);
  ctx.poll(async () => {
    if (!auto.checked) return;
    await Promise.all([loadCounts(), loadList()]);
  });
}
