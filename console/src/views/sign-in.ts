import { h, replaceChildren } from '../dom.js';
import type { Problem } from '../errors.js';
import { problemView } from './problem.js';

/**
 * The sign-in form: paste a token, submit. `onSubmit` resolves when the attempt is over; a
 * failure comes back through `showProblem` so the form stays put with the API's message.
 * `retry`, when given, signs in again with the token already held (see `showSignIn`).
 */
export function signInView(onSubmit: (token: string) => Promise<void>, problem: Problem | null, retry: (() => Promise<void>) | null = null): HTMLElement {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const alert = h('div', { class: 'alert-region', role: 'alert' });
  if (problem !== null) replaceChildren(alert, problemView('Sign-in failed', problem));
  const retryButton =
    retry === null
      ? null
      : h('button', {
          type: 'button',
          id: 'retry-sign-in',
          class: 'secondary',
          onclick: () => {
            (retryButton as HTMLButtonElement).disabled = true;
            (retryButton as HTMLButtonElement).textContent = 'Signing in…';
            void retry();
          },
        }, 'Try again with the same token');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  // Where a slow sign-in says why (the SDK waiting out a 429 or an unreachable server).
  const status = h('p', { id: 'sign-in-status', class: 'hint', role: 'status' });
  const form = h(
    'form',
    {
      class: 'sign-in card',
      'aria-labelledby': 'sign-in-title',
      onsubmit: (event: Event) => {
        event.preventDefault();
        // The printed curl line carries "Bearer <token>"; pasting all of it is an easy slip.
        const token = input.value.trim().replace(/^bearer\s+/i, '');
        if (token === '') {
          replaceChildren(alert, problemView('Sign-in failed', { message: 'Paste an access token first.', trackingId: null, status: null }));
          input.focus();
          return;
        }
        button.disabled = true;
        button.textContent = 'Signing in…';
        replaceChildren(alert);
        void onSubmit(token).finally(() => {
          button.disabled = false;
          button.textContent = 'Sign in';
        });
      },
    },
    h('h1', { id: 'sign-in-title' }, 'recvault console'),
    h('p', {}, 'Recordings of your organization, for admins and compliance officers.'),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Access token'), input),
    h(
      'p',
      { class: 'hint', id: 'token-hint' },
      'Paste a recvault (or Webex-style) bearer token. It is kept only in this browser tab and sent only to this server; Sign out forgets it.',
    ),
    button,
    status,
    alert,
    retryButton,
  );
  return h('main', { id: 'main', class: 'sign-in-page' }, form);
}
