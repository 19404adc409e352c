import { api, isMissing } from '../api.js';
import { confirmDialog, el, instanceLink, note, put, section, table } from '../dom.js';
import { FILTER_KEYS, STATUSES, describe, filterFrom, selection, toInstant, toLocal } from '../filters.js';

const ACTIONS = { suspend: 'Suspend', resume: 'Resume', terminate: 'Terminate' };

export default async function bulkPage(page, ctx) {
  const query = ctx.route.query;
  const ids = query.get('selection') ? selection.get() : [];
  const bySelection = ids.length > 0;
  const filter = filterFrom(query);

  const action = el('select', { name: 'action', id: 'bulk-action' }, Object.entries(ACTIONS).map(([v, t]) => el('option', { value: v }, t)));
  const reason = el('input', { name: 'reason', id: 'bulk-reason', type: 'text', placeholder: 'why (kept in the audit log)' });
  const inputs = {};
  const filterFields = FILTER_KEYS.map(k => {
    let input;
    if (k === 'status') {
      input = el('select', { name: k, id: 'bulk-' + k }, el('option', { value: '' }, 'any status'), STATUSES.map(s => el('option', { value: s, selected: s === filter.status }, s)));
    } else {
      input = el('input', { name: k, id: 'bulk-' + k, type: k === 'from' || k === 'to' ? 'datetime-local' : 'text' });
      input.value = k === 'from' || k === 'to' ? toLocal(filter[k]) : filter[k] || '';
    }
    inputs[k] = input;
    return el('label', { class: 'field' }, el('span', {}, k === 'q' ? 'text in data' : k), input);
  });
  const preview = el('button', { type: 'button', id: 'bulk-preview' }, 'Preview');
  const apply = el('button', { type: 'button', class: 'danger', id: 'bulk-apply', disabled: true }, 'Apply…');
  const result = el('div', { id: 'bulk-result' });
  let previewed = null;

  const request = extra => {
    const body = { action: action.value, ...extra };
    if (reason.value.trim()) body.reason = reason.value.trim();
    if (bySelection) body.ids = ids;
    else {
      const f = {};
      for (const k of FILTER_KEYS) {
        let v = String(inputs[k].value || '').trim();
        if (k === 'from' || k === 'to') v = toInstant(v);
        if (v) f[k] = v;
      }
      body.filter = f;
    }
    return body;
  };
  const invalidate = () => {
    previewed = null;
    apply.disabled = true;
  };
  [action, ...Object.values(inputs)].forEach(i => i.addEventListener('change', invalidate));

  preview.addEventListener('click', async () => {
    invalidate();
    try {
      const body = request({ preview: true });
      const r = await api('/api/v1/instances/bulk', { method: 'POST', body });
      previewed = { body, matched: r.matched };
      put(result, note(`${r.matched} instance${r.matched === 1 ? '' : 's'} would be ${action.value === 'terminate' ? 'terminated' : action.value + 'd'}.`, 'info'));
      result.firstChild.id = 'bulk-matched';
      result.firstChild.dataset.matched = String(r.matched);
      apply.disabled = r.matched === 0;
    } catch (e) {
      put(result, note(isMissing(e) ? 'Bulk actions are not available on this daemon (POST /api/v1/instances/bulk).' : 'Preview refused: ' + e.message, isMissing(e) ? 'warn' : 'error'));
    }
  });

  apply.addEventListener('click', async () => {
    if (!previewed) return;
    const verb = ACTIONS[action.value];
    const what = bySelection ? `${ids.length} selected instances` : `${previewed.matched} instances matching ${describe(previewed.body.filter)}`;
    const ok = await confirmDialog(`${verb} ${previewed.matched} instance${previewed.matched === 1 ? '' : 's'}?`,
      `${verb}: ${what}.` + (action.value === 'terminate' ? ' Terminated instances cannot be resumed.' : ''), { confirmLabel: verb, danger: action.value === 'terminate' });
    if (!ok) return;
    apply.disabled = true;
    try {
      const r = await api('/api/v1/instances/bulk', { method: 'POST', body: { ...previewed.body, preview: false } });
      const refused = r.refused || [];
      put(result,
        el('div', { class: 'note note-ok', id: 'bulk-done', 'data-done': String(r.done), 'data-matched': String(r.matched) },
          `${verb}: ${r.done} of ${r.matched} done, ${refused.length} refused.`),
        refused.length ? section('Refused', table(['instance', 'code', 'why'], refused.map(x => el('tr', {},
          el('td', {}, instanceLink(x.id)), el('td', { class: 'mono' }, x.code), el('td', {}, x.message))))) : null);
      if (bySelection) selection.clear();
    } catch (e) {
      put(result, note(`${verb} refused: ${e.message}`, 'error'));
    } finally {
      previewed = null;
    }
  });

  page.append(el('h1', {}, 'Bulk actions'),
    section(bySelection ? `On a selection of ${ids.length} instance${ids.length === 1 ? '' : 's'}` : 'On every instance matching a filter',
      bySelection
        ? el('ul', { class: 'selection' }, ids.slice(0, 50).map(i => el('li', {}, instanceLink(i))), ids.length > 50 ? el('li', { class: 'muted' }, `and ${ids.length - 50} more`) : null)
        : el('div', { class: 'filters inline-grid' }, filterFields),
      el('div', { class: 'filters inline-grid' },
        el('label', { class: 'field' }, el('span', {}, 'action'), action),
        el('label', { class: 'field wide' }, el('span', {}, 'reason'), reason)),
      el('p', { class: 'muted' }, 'Preview counts what the action would touch; Apply asks once more, then runs it. Every instance is audited with you as the caller; the ones the daemon refuses are listed.'),
      el('div', { class: 'actions' }, preview, apply),
      result));
}
