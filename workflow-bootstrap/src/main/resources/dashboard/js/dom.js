// Small DOM helpers. Everything that comes from the daemon goes in as text nodes or attribute values, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.setAttribute('class', v);
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in node) node.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected') node[k] = !!v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** el('a', {href: '#/x', class: 'y'}, 'text', child, ...) */
export function el(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(s)) return '';
  const abs = Math.abs(s);
  const text = abs < 60 ? `${abs}s` : abs < 3600 ? `${Math.round(abs / 60)}m` : abs < 86400 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86400)}d`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

/** A visible note; kind: info | warn | error | ok. */
export function note(text, kind = 'info') {
  return el('div', { class: `note note-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function badge(status) {
  const s = String(status || 'UNKNOWN');
  return el('span', { class: `badge status-${s.toLowerCase().replace(/[^a-z]/g, '')}` }, s);
}

export function section(title, ...children) {
  return el('section', { class: 'card' }, el('h2', {}, title), ...children);
}

export function table(headers, rows, attrs = {}) {
  return el('table', { class: 'grid', ...attrs },
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows));
}

export function json(value) {
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

export function instanceLink(id) {
  return el('a', { href: '#/instance/' + encodeURIComponent(id), class: 'mono' }, id);
}

export function definitionLink(key) {
  return el('a', { href: '#/definitions/' + encodeURIComponent(key) }, key);
}

/** A modal confirmation built from DOM nodes; resolves to the form's values, or null when cancelled. */
export function confirmDialog(title, message, { confirmLabel = 'Confirm', danger = false, fields = [] } = {}) {
  return new Promise(resolve => {
    const inputs = fields.map(f => {
      const input = f.multiline ? el('textarea', { name: f.name, rows: 4 }) : el('input', { name: f.name, type: 'text' });
      input.value = f.value || '';
      if (f.placeholder) input.placeholder = f.placeholder;
      return el('label', {}, el('span', {}, f.label), input);
    });
    const ok = el('button', { type: 'submit', class: danger ? 'danger' : 'primary', value: 'ok' }, confirmLabel);
    const cancel = el('button', { type: 'button', class: 'ghost' }, 'Cancel');
    const form = el('form', { method: 'dialog' }, el('h3', {}, title), el('p', {}, message), inputs, el('div', { class: 'actions' }, cancel, ok));
    const dialog = el('dialog', { class: 'confirm' }, form);
    let answered = false;
    const finish = value => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', () => finish(null));
    form.addEventListener('submit', e => {
      e.preventDefault();
      const values = {};
      for (const f of fields) values[f.name] = form.elements[f.name].value;
      finish(values);
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
  });
}

/** Replaces a node's children; null, undefined and false are left out (replaceChildren would write "null"). */
export function put(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter(c => c !== undefined && c !== null && c !== false)
    .map(c => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return node;
}
