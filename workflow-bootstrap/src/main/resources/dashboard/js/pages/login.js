import { api, token, ApiError } from '../api.js';
import { el, note, put } from '../dom.js';

export default async function loginPage(page, ctx, app) {
  const input = el('input', { type: 'password', name: 'token', id: 'token', autocomplete: 'off', required: true, placeholder: 'WORKFLOW_ADMIN_TOKEN' });
  const message = el('div', { class: 'message' });
  const form = el('form', { class: 'card login', id: 'login-form' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'The daemon asks for its admin token (WORKFLOW_ADMIN_TOKEN). It is kept in this tab\'s session storage only and sent as an Authorization: Bearer header.'),
    el('label', { for: 'token' }, 'Token'), input,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Sign in')),
    message);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    token.set(input.value.trim());
    put(message);
    try {
      await api('/api/v1/definitions');
      app.onSignedIn();
      const back = sessionStorage.getItem('workflow.dashboard.return');
      sessionStorage.removeItem('workflow.dashboard.return');
      ctx.navigate(back && !back.startsWith('#/login') ? back : '#/definitions');
    } catch (err) {
      token.clear();
      put(message, note(err instanceof ApiError && err.status === 401 ? 'The daemon refused this token.' : err.message, 'error'));
    }
  });
  page.append(form);
  input.focus();
}
