// Sign-in: the token is checked against the API and kept in sessionStorage (gone when the tab closes).

import { h } from '../dom.js';
import { signIn, route } from '../app.js';

export function render(main, params, ctx) {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-error' });
  const error = h('p', { class: 'field-error', id: 'token-error', role: 'alert' });
  const form = h('form', { class: 'login', id: 'login-form' },
    h('h1', { text: 'Sign in to Rota' }),
    h('p', { class: 'muted', text: 'Paste an API token (made with rota tokens create). It is kept only in this tab.' }),
    h('label', { for: 'token', text: 'API token' }),
    input,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'signin', text: 'Sign in' })));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    error.textContent = '';
    try {
      await signIn(input.value.trim());
      const target = location.hash && !location.hash.startsWith('#/login') ? location.hash : '#/overview';
      if (location.hash === target) route(); else ctx.go(target);
    } catch (e) {
      error.textContent = e.status === 401 || e.status === 403 ? 'That token was refused.' : e.message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  main.append(form);
  input.focus();
}
