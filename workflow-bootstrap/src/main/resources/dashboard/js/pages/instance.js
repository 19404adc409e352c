import { api, definition, isMissing, qs } from '../api.js';
import { ago, badge, confirmDialog, definitionLink, el, fmtTime, instanceLink, json, note, put, section, table } from '../dom.js';
import { drawGraph, legend } from '../graph.js';

const HISTORY_PAGE = 200;

/** Where the instance is, per step name, from its pointers, errors and history. */
export function stepStates(instance, events) {
  const states = {};
  for (const e of events) {
    const step = e.step || (e.type === 'StepCompleted' ? e.detail : null);
    if (!step) continue;
    const what = String(e.type || e.kind || '');
    if (/compensat/i.test(what)) states[step] = 'compensated';
    else if (what === 'StepCompleted' && !states[step]) states[step] = 'done';
  }
  const finished = ['COMPLETE', 'TERMINATED', 'FAILED'].includes(instance.status);
  for (const err of instance.errors || []) {
    if (err.step && (instance.status === 'FAILED' || !finished)) states[err.step] = 'failed';
  }
  const now = Date.now();
  for (const p of instance.pointers || []) {
    if (!p.step) continue;
    if (p.waitingFor) states[p.step] = 'waiting';
    else if (p.sleepUntil && new Date(p.sleepUntil).getTime() > now) states[p.step] = 'sleeping';
    else if (instance.status === 'FAILED') states[p.step] = 'failed';
    else if (!(states[p.step] === 'failed' && p.attempt > 1)) states[p.step] = 'active';
  }
  return states;
}

export default async function instancePage(page, ctx) {
  const id = ctx.route.args[0];
  if (!id) {
    page.append(note('No instance id in the address.', 'warn'));
    return;
  }
  const path = '/api/v1/instances/' + encodeURIComponent(id);
  const head = el('div', { class: 'instance-head' });
  const actions = el('div', { class: 'actions', id: 'instance-actions' });
  const message = el('div', { class: 'message', id: 'action-message' });
  const summary = el('dl', { class: 'facts', id: 'instance-summary' });
  const graphBox = el('div', { id: 'instance-graph' });
  const pointers = el('div', {});
  const errors = el('div', { id: 'instance-errors' });
  const data = el('div', { id: 'instance-data' });
  const timeline = el('div', { id: 'timeline' });
  const commands = el('div', {});
  page.append(head, actions, message,
    el('div', { class: 'columns' },
      el('div', {}, section('Summary', summary), section('Where it is', pointers), section('Errors', errors)),
      el('div', {}, section('Graph', graphBox, legend(true)))),
    el('div', { class: 'columns' }, section('History', timeline), el('div', {}, section('Data', data), section('Commands', commands))));

  let instance = null;
  let events = [];
  let historyMissing = false;
  let historyNext = null;
  let graphKey = null;
  let drawnStates = '';
  let def = null;

  async function loadHistory(more) {
    if (historyMissing) return;
    try {
      const after = more ? historyNext : (events.length ? events[events.length - 1].revision : undefined);
      const res = await api(path + '/history' + qs({ after, limit: HISTORY_PAGE }));
      events = events.concat((res.events || []).filter(e => !events.length || e.revision > events[events.length - 1].revision));
      historyNext = res.next ?? null;
    } catch (e) {
      if (!isMissing(e)) throw e;
      historyMissing = true;
    }
  }

  function drawTimeline() {
    const shown = historyMissing ? ((instance.history && instance.history.events) || []) : events;
    const items = shown.map(e => el('li', { class: 'event kind-' + String(e.kind || '').toLowerCase().replace(/[^a-z]/g, ''), 'data-type': e.type || '' },
      el('span', { class: 'when', title: fmtTime(e.at) }, fmtTime(e.at)),
      el('span', { class: 'rev' }, e.revision !== undefined ? '#' + e.revision : ''),
      el('span', { class: 'what' }, e.type || e.kind || 'event'),
      e.step ? el('span', { class: 'step mono' }, e.step) : null,
      e.detail ? el('span', { class: 'detail' }, e.detail) : null,
      e.error ? el('span', { class: 'detail error' }, typeof e.error === 'string' ? e.error : `${e.error.type || ''} ${e.error.message || ''}`) : null,
      e.origin ? el('span', { class: 'origin muted' }, 'by ' + (typeof e.origin === 'string' ? e.origin : [e.origin.actor, e.origin.entryPoint].filter(Boolean).join(' via '))) : null));
    put(timeline,
      historyMissing ? note('The history endpoint is not available on this daemon: these are the events this daemon saw since it started (lost on restart).', 'info') : null,
      items.length ? el('ol', { class: 'timeline' }, items) : note('No event recorded.'),
      !historyMissing && historyNext !== null ? el('button', {
        type: 'button', class: 'ghost small', id: 'history-more',
        onclick: async () => { await loadHistory(true); drawTimeline(); },
      }, 'Older events are loaded; load more…') : null);
  }

  async function act(command, label, danger) {
    const fields = command === 'resume' ? [] : [{ name: 'reason', label: 'Reason (audited)', value: '' }];
    const answer = await confirmDialog(`${label} ${id}?`, command === 'terminate' ? 'A terminated instance cannot be resumed.' : `The instance will be ${command}d.`,
      { confirmLabel: label, danger, fields });
    if (!answer) return;
    try {
      const body = answer.reason ? { reason: answer.reason } : {};
      const r = await api(path + '/' + command, { method: 'POST', body });
      put(message, note(`${label}: the instance is now ${r.status}.`, 'ok'));
    } catch (e) {
      put(message, note(`${label} refused: ${e.message}`, 'error'));
    }
    await refresh();
  }

  async function publish(waiting) {
    const answer = await confirmDialog('Publish the awaited event', `The instance waits for event “${waiting.name}” with key “${waiting.key}”.`, {
      confirmLabel: 'Publish', fields: [
        { name: 'name', label: 'Event name', value: waiting.name },
        { name: 'key', label: 'Key', value: waiting.key },
        { name: 'data', label: 'Data (JSON, optional)', value: '', multiline: true, placeholder: '{"amount": 3}' }],
    });
    if (!answer) return;
    let payload;
    try {
      payload = answer.data.trim() ? JSON.parse(answer.data) : undefined;
    } catch (e) {
      put(message, note('The data is not JSON: ' + e.message, 'error'));
      return;
    }
    try {
      const r = await api('/api/v1/events', { method: 'POST', body: { name: answer.name, key: answer.key, data: payload } });
      put(message, note(`Event ${r.id} published.`, 'ok'));
    } catch (e) {
      put(message, note('Publishing refused: ' + e.message, 'error'));
    }
    await refresh();
  }

  function draw() {
    const i = instance;
    put(head, el('h1', {}, el('span', { class: 'mono', id: 'instance-id' }, i.id), ' ', badge(i.status)),
      el('p', { class: 'muted' }, 'of ', definitionLink(i.definition), i.reference ? ` · reference ${i.reference}` : ''));
    const finished = ['COMPLETE', 'TERMINATED', 'FAILED'].includes(i.status);
    const waiting = (i.pointers || []).map(p => p.waitingFor).find(Boolean);
    put(actions,
      i.status === 'RUNNABLE' ? el('button', { type: 'button', id: 'action-suspend', onclick: () => act('suspend', 'Suspend') }, 'Suspend') : null,
      i.status === 'SUSPENDED' ? el('button', { type: 'button', id: 'action-resume', onclick: () => act('resume', 'Resume') }, 'Resume') : null,
      !finished ? el('button', { type: 'button', class: 'danger', id: 'action-terminate', onclick: () => act('terminate', 'Terminate', true) }, 'Terminate') : null,
      waiting && !finished ? el('button', { type: 'button', id: 'action-publish', onclick: () => publish(waiting) }, `Publish “${waiting.name}”…`) : null);
    const lease = i.lease;
    const facts = [
      ['created', `${fmtTime(i.createdAt)} (${ago(i.createdAt)})`], ['updated', `${fmtTime(i.updatedAt)} (${ago(i.updatedAt)})`],
      ['completed', fmtTime(i.completedAt)], ['revision', String(i.revision ?? '—')], ['next run', fmtTime(i.nextExecution)],
      ['lease owner', lease ? `${lease.owner} until ${fmtTime(lease.until)}` : 'none'],
    ];
    put(summary, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
      el('dt', {}, 'parent'), el('dd', {}, i.parent ? instanceLink(i.parent) : '—'),
      el('dt', {}, 'children'), el('dd', {}, (i.children || []).length ? (i.children || []).flatMap((c, n) => [n ? ', ' : null, instanceLink(c)]) : '—'));
    put(pointers, (i.pointers || []).length
      ? table(['step', 'attempt', 'sleeping until', 'waiting for'], i.pointers.map(p => el('tr', {},
        el('td', { class: 'mono' }, p.step ?? String(p.stepId)), el('td', {}, String(p.attempt ?? '')), el('td', {}, p.sleepUntil ? `${fmtTime(p.sleepUntil)} (${ago(p.sleepUntil)})` : '—'),
        el('td', {}, p.waitingFor ? `${p.waitingFor.name} / ${p.waitingFor.key}` : '—'))))
      : note(finished ? 'Finished: no step is running.' : 'No pointer.'));
    put(errors, (i.errors || []).length
      ? table(['step', 'attempt', 'type', 'message', 'at'], i.errors.map(e => el('tr', { class: 'error-row' },
        el('td', { class: 'mono' }, e.step), el('td', {}, String(e.attempt)), el('td', { class: 'mono' }, e.type), el('td', {}, e.message), el('td', {}, fmtTime(e.at)))))
      : note('No error.', 'ok'));
    put(data, json(i.data));
    put(commands, (i.commands || []).length
      ? table(['at', 'by', 'command', 'outcome', 'detail'], i.commands.map(c => el('tr', {},
        el('td', {}, fmtTime(c.at)), el('td', { class: 'mono' }, `${c.actor} (${c.entryPoint})`), el('td', {}, c.command), el('td', {}, c.outcome), el('td', {}, c.detail || ''))))
      : note('No command recorded.'));
    drawTimeline();
  }

  async function drawInstanceGraph() {
    if (graphKey !== instance.definition) {
      graphKey = instance.definition;
      try {
        def = await definition(instance.definition);
      } catch (e) {
        def = null;
        put(graphBox, note('The definition is not available: ' + e.message, 'warn'));
        return;
      }
    }
    if (!def) return;
    const states = stepStates(instance, historyMissing ? ((instance.history && instance.history.events) || []) : events);
    const key = JSON.stringify(states);
    if (key === drawnStates && graphBox.firstChild) return;
    drawnStates = key;
    put(graphBox, drawGraph(def, states));
    // A tall graph scrolls inside its box: bring where the instance is into view.
    const box = graphBox.querySelector('.graph-box');
    const here = box && box.querySelector('.state-active, .state-waiting, .state-sleeping, .state-failed');
    if (here) {
      const r = here.getBoundingClientRect(), b = box.getBoundingClientRect();
      box.scrollTop += r.top - b.top - b.height / 2 + r.height / 2;
    }
  }

  async function refresh() {
    const [i] = await Promise.all([api(path), loadHistory(false)]);
    if (!ctx.alive) return;
    instance = i;
    draw();
    await drawInstanceGraph();
  }

  try {
    await refresh();
  } catch (e) {
    put(page, note(`Instance ${id}: ${e.message}`, e.status === 404 ? 'warn' : 'error'));
    return;
  }
  ctx.poll(refresh);
}
