// The instance filter as it appears in the page address and in API queries.
export const FILTER_KEYS = ['definition', 'version', 'status', 'from', 'to', 'reference', 'q'];
export const STATUSES = ['RUNNABLE', 'SUSPENDED', 'COMPLETE', 'TERMINATED', 'FAILED'];

export function filterFrom(query) {
  const f = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) f[k] = v;
  }
  return f;
}

export function describe(filter) {
  const parts = Object.entries(filter).map(([k, v]) => `${k} = ${v}`);
  return parts.length ? parts.join(', ') : 'all instances';
}

/** datetime-local input value to ISO-8601 instant, and back. */
export function toInstant(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const SELECTION_KEY = 'workflow.dashboard.selection';

export const selection = {
  get: () => {
    try {
      return JSON.parse(sessionStorage.getItem(SELECTION_KEY) || '[]');
    } catch {
      return [];
    }
  },
  set: ids => sessionStorage.setItem(SELECTION_KEY, JSON.stringify(ids)),
  clear: () => sessionStorage.removeItem(SELECTION_KEY),
};
