// A definition's step graph as SVG: dagre (window.dagre, from its WebJar) lays it out, this draws it.
import { el, svg } from './dom.js';

/** What a node of each kind looks like: its shape and the small word shown above the name. */
const KINDS = {
  task: { shape: 'rect', label: '' },
  decide: { shape: 'diamond', label: 'decide' },
  if: { shape: 'diamond', label: 'if' },
  while: { shape: 'loop', label: '↻ while' },
  foreach: { shape: 'loop', label: '↻ for each' },
  parallel: { shape: 'parallel', label: '∥ parallel' },
  saga: { shape: 'saga', label: 'saga' },
  delay: { shape: 'pill', label: '⏱ delay' },
  schedule: { shape: 'pill', label: '⏱ schedule' },
  recur: { shape: 'pill', label: '⟳ recur' },
  waitFor: { shape: 'pill', label: '✉ wait for' },
  child: { shape: 'child', label: '⧉ child' },
  end: { shape: 'end', label: 'end' },
};

export const STATES = ['active', 'waiting', 'sleeping', 'failed', 'compensated', 'done'];

export function stepKind(step) {
  if (step.kind && KINDS[step.kind]) return step.kind;
  if (step.outcomes && Object.keys(step.outcomes).length > 0) return 'decide';
  return 'task';
}

let measureCanvas;
function textWidth(text, font = '13px system-ui, sans-serif') {
  measureCanvas = measureCanvas || document.createElement('canvas');
  const ctx = measureCanvas.getContext('2d');
  ctx.font = font;
  return ctx.measureText(text).width;
}

/** Nodes and edges of the definition, by step name; edges: next, outcome, branch (container to child), compensation. */
export function model(definition) {
  const steps = definition.steps || [];
  const byName = new Map(steps.map((s, i) => [s.name, i]));
  const nodes = steps.map((s, i) => ({ id: 's' + i, step: s, kind: stepKind(s) }));
  const edges = [];
  const target = name => (name === null || name === undefined ? null : byName.has(name) ? 's' + byName.get(name) : null);
  if (steps.length) edges.push({ from: 'start', to: 's0', type: 'next', label: '' });
  steps.forEach((s, i) => {
    const from = 's' + i;
    const outcomes = s.outcomes || {};
    const outcomeTargets = new Set();
    for (const [value, name] of Object.entries(outcomes)) {
      const to = target(name);
      if (to) {
        edges.push({ from, to, type: 'outcome', label: value });
        outcomeTargets.add(to);
      }
    }
    const next = target(s.next);
    if (next && !outcomeTargets.has(next)) edges.push({ from, to: next, type: 'next', label: Object.keys(outcomes).length ? 'otherwise' : '' });
    (s.children || []).forEach((name, b) => {
      const to = target(name);
      const kind = stepKind(s);
      const label = kind === 'parallel' ? `branch ${b + 1}` : kind === 'while' || kind === 'foreach' ? 'body' : kind === 'saga' ? 'steps' : '';
      if (to) edges.push({ from, to, type: 'branch', label });
    });
    const comp = target(s.compensation);
    if (comp) edges.push({ from, to: comp, type: 'compensation', label: 'undo' });
  });
  return { nodes, edges };
}

function size(node) {
  const w = Math.max(textWidth(node.step.name) + 36, node.kind === 'task' ? 90 : 110);
  const h = 44;
  if (KINDS[node.kind].shape === 'diamond') return { width: w + 40, height: 62 };
  return { width: w, height: h };
}

/** Positions from dagre; without it (the WebJar failed to load) a plain column, so the page still shows the steps. */
function layout(m) {
  const sizes = new Map(m.nodes.map(n => [n.id, size(n)]));
  sizes.set('start', { width: 18, height: 18 });
  if (window.dagre) {
    const g = new window.dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 42, edgesep: 14, marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const [id, s] of sizes) g.setNode(id, { ...s });
    m.edges.forEach((e, i) => {
      const lw = e.label ? textWidth(e.label, '11px system-ui, sans-serif') + 8 : 0;
      g.setEdge(e.from, e.to, { width: lw, height: e.label ? 16 : 0, labelpos: 'c', minlen: 1 }, 'e' + i);
    });
    window.dagre.layout(g);
    const pos = new Map(g.nodes().map(id => [id, g.node(id)]));
    const routes = m.edges.map((e, i) => g.edge({ v: e.from, w: e.to, name: 'e' + i }));
    const graph = g.graph();
    return { pos, routes, width: Math.ceil(graph.width || 200), height: Math.ceil(graph.height || 100), laidOutBy: 'dagre' };
  }
  const pos = new Map();
  let y = 20;
  const width = Math.max(...[...sizes.values()].map(s => s.width)) + 40;
  for (const [id, s] of sizes) {
    pos.set(id, { x: width / 2, y: y + s.height / 2, ...s });
    y += s.height + 30;
  }
  const routes = m.edges.map(e => {
    const a = pos.get(e.from), b = pos.get(e.to);
    return { points: [{ x: a.x, y: a.y + a.height / 2 }, { x: b.x, y: b.y - b.height / 2 }], x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  });
  return { pos, routes, width, height: y, laidOutBy: 'column' };
}

function shape(kind, w, h) {
  const x = -w / 2, y = -h / 2;
  switch (KINDS[kind].shape) {
    case 'diamond':
      return [svg('polygon', { class: 'shape', points: `0,${y} ${w / 2},0 0,${h / 2} ${x},0` })];
    case 'pill':
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: h / 2 })];
    case 'end':
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: h / 2 }), svg('rect', { class: 'inner', x: x + 3, y: y + 3, width: w - 6, height: h - 6, rx: (h - 6) / 2 })];
    case 'child':
    case 'saga':
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: 4 }), svg('rect', { class: 'inner', x: x + 3, y: y + 3, width: w - 6, height: h - 6, rx: 3 })];
    case 'parallel':
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: 4 }),
        svg('line', { class: 'bar', x1: x + 6, y1: y + 4, x2: x + 6, y2: y + h - 4 }),
        svg('line', { class: 'bar', x1: x + w - 6, y1: y + 4, x2: x + w - 6, y2: y + h - 4 })];
    case 'loop':
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: 12 })];
    default:
      return [svg('rect', { class: 'shape', x, y, width: w, height: h, rx: 6 })];
  }
}

function pathOf(points) {
  if (!points || !points.length) return '';
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/**
 * The graph of a definition as an SVG inside a scrollable box.
 * states: step name to one of STATES (the instance page marks where the instance is).
 */
export function drawGraph(definition, states = {}) {
  const m = model(definition);
  const l = layout(m);
  const root = svg('svg', {
    class: 'graph', width: l.width, height: l.height, viewBox: `0 0 ${l.width} ${l.height}`, role: 'img',
    'aria-label': `step graph of ${definition.key || definition.id || 'a workflow'}`, 'data-layout': l.laidOutBy,
  });
  const defs = svg('defs');
  for (const t of ['next', 'outcome', 'branch', 'compensation']) {
    defs.append(svg('marker', { id: 'arrow-' + t, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead arrow-' + t })));
  }
  root.append(defs);
  const edgeLayer = svg('g', { class: 'edges' });
  m.edges.forEach((e, i) => {
    const r = l.routes[i];
    const g = svg('g', { class: `edge edge-${e.type}`, 'data-from': e.from, 'data-to': e.to });
    g.append(svg('path', { d: pathOf(r.points), 'marker-end': `url(#arrow-${e.type})` }));
    if (e.label && r.x !== undefined) {
      g.append(svg('text', { x: r.x, y: r.y + 4, 'text-anchor': 'middle', class: 'edge-label' }, e.label));
    }
    edgeLayer.append(g);
  });
  root.append(edgeLayer);
  const nodeLayer = svg('g', { class: 'nodes' });
  const start = l.pos.get('start');
  if (start) nodeLayer.append(svg('circle', { class: 'start', cx: start.x, cy: start.y, r: 8 }, svg('title', {}, 'start')));
  for (const n of m.nodes) {
    const p = l.pos.get(n.id);
    const state = states[n.step.name];
    const g = svg('g', {
      class: `node kind-${n.kind}` + (state ? ` state-${state}` : ''), transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
      'data-step': n.step.name, 'data-kind': n.kind, 'data-state': state || null,
    });
    g.append(...shape(n.kind, p.width, p.height));
    const k = KINDS[n.kind].label;
    if (k) g.append(svg('text', { class: 'kind', y: -6, 'text-anchor': 'middle' }, k));
    g.append(svg('text', { class: 'name', y: k ? 11 : 5, 'text-anchor': 'middle' }, n.step.name));
    const tip = [`${n.kind}: ${n.step.name}`];
    if (state) tip.push(`now: ${state}`);
    if (n.step.maxAttempts > 1) tip.push(`attempts: ${n.step.maxAttempts}`);
    if (n.step.onError) tip.push(`on error: ${n.step.onError}`);
    g.append(svg('title', {}, tip.join('\n')));
    nodeLayer.append(g);
  }
  root.append(nodeLayer);
  return el('div', { class: 'graph-box' }, root);
}

export function legend(withStates) {
  const items = withStates
    ? STATES.map(s => el('span', { class: `legend-item state-${s}` }, el('i', {}), s))
    : [['next', 'next step'], ['outcome', 'decision outcome'], ['branch', 'branch / body'], ['compensation', 'compensation']]
      .map(([t, text]) => el('span', { class: `legend-item edge-${t}` }, el('i', {}), text));
  return el('div', { class: 'legend' }, items);
}
