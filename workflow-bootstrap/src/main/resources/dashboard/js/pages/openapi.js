import { api, isMissing } from '../api.js';
import { el, json, note } from '../dom.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

function schemaText(s) {
  if (!s) return '';
  if (s.$ref) return String(s.$ref).split('/').pop();
  if (s.type === 'array') return schemaText(s.items) + '[]';
  return [s.type, s.format, s.enum ? `(${s.enum.join(' | ')})` : null].filter(Boolean).join(' ');
}

export default async function openapiPage(page, ctx) {
  let doc;
  try {
    doc = await api('/api/v1/openapi.json');
  } catch (e) {
    page.append(el('h1', {}, 'API'), note(isMissing(e) ? 'This daemon does not describe its API yet (GET /api/v1/openapi.json).' : e.message, isMissing(e) ? 'warn' : 'error'));
    return;
  }
  if (!ctx.alive) return;
  const search = el('input', { type: 'search', id: 'api-search', placeholder: 'filter operations' });
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const params = [...(item.parameters || []), ...(op.parameters || [])];
      const body = op.requestBody && op.requestBody.content;
      const details = el('details', { class: 'operation', 'data-path': path, 'data-method': m },
        el('summary', {}, el('span', { class: 'method method-' + m }, m.toUpperCase()), el('span', { class: 'mono path' }, path), el('span', { class: 'muted' }, op.summary || '')),
        op.description ? el('p', {}, op.description) : null,
        params.length ? el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ['name', 'in', 'required', 'type', 'description'].map(h => el('th', {}, h)))),
          el('tbody', {}, params.map(p => el('tr', {}, el('td', { class: 'mono' }, p.name || p.$ref || ''), el('td', {}, p.in || ''), el('td', {}, p.required ? 'yes' : ''),
            el('td', { class: 'mono' }, schemaText(p.schema)), el('td', {}, p.description || ''))))) : null,
        body ? el('div', {}, el('h4', {}, 'Request body'), Object.entries(body).map(([type, c]) => el('div', {}, el('span', { class: 'mono' }, type), c.schema ? json(c.schema) : null))) : null,
        op.responses ? el('div', {}, el('h4', {}, 'Responses'), el('ul', {}, Object.entries(op.responses).map(([code, r]) =>
          el('li', {}, el('span', { class: 'mono' }, code), ' ', (r && r.description) || '')))) : null);
      ops.push({ text: `${m} ${path} ${op.summary || ''} ${(op.tags || []).join(' ')}`.toLowerCase(), node: details });
    }
  }
  const list = el('div', { class: 'operations' }, ops.map(o => o.node));
  search.addEventListener('input', () => {
    const t = search.value.toLowerCase();
    for (const o of ops) o.node.hidden = t && !o.text.includes(t);
  });
  const info = doc.info || {};
  page.append(el('h1', {}, 'API'),
    el('section', { class: 'card' }, el('h2', {}, `${info.title || 'API'} ${info.version || ''}`), info.description ? el('p', {}, info.description) : null,
      el('p', { class: 'muted' }, `OpenAPI ${doc.openapi || '?'} · ${ops.length} operations · the document itself: GET /api/v1/openapi.json`),
      search, list));
}
