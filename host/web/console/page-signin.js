// The sign-in form: POST /console/api/signin → the session (cookie) and its CSRF token.
import { errorText, post } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { languageButtons } from './language-switch.js';

export function renderSignin({ onSignedIn, languageSwitch }) {
  const name = el('input', { name: 'name', autocomplete: 'username', required: true, maxlength: 64, testid: 'signin-name' });
  const password = el('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 256,
    testid: 'signin-password',
  });
  const error = el('p', { class: 'error', role: 'alert', testid: 'signin-error', hidden: true });
  const button = el('button', { type: 'submit', class: 'primary', testid: 'signin-submit' }, t('signin.submit'));

  async function submit(event) {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    const answer = await post('/console/api/signin', { name: name.value, password: password.value });
    button.disabled = false;
    if (answer.ok && answer.data && answer.data.operator) {
      onSignedIn(answer.data);
      return;
    }
    if (answer.status === 401) {
      error.textContent = t('signin.bad');
    } else if (answer.status === 429) {
      const wait = Number.parseInt(answer.headers.get('Retry-After') || '', 10);
      error.textContent = Number.isFinite(wait) ? t('signin.limited', wait) : t('signin.limited_later');
    } else {
      error.textContent = errorText(answer);
    }
    error.hidden = false;
    password.value = '';
    password.focus();
  }

  const languages = languageButtons('p', languageSwitch);
  const form = el(
    'form',
    { class: 'signin', testid: 'signin-form', onsubmit: submit },
    el('h1', {}, t('brand')),
    el('h2', {}, t('signin.heading')),
    el('label', {}, t('signin.name'), name),
    el('label', {}, t('signin.password'), password),
    error,
    button,
    languages,
  );
  setTimeout(() => name.focus(), 0);
  return el('div', { class: 'signin-page' }, form);
}
