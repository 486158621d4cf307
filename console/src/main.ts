import { AuthenticationError } from '../../src/client/errors.js';
import { RecvaultClient } from '../../src/client/recvault-client.js';
import { browserZone } from './dates.js';
import { h, replaceChildren } from './dom.js';
import { problemFrom, type Problem } from './errors.js';
import { RecordingsView } from './recordings-view.js';
import { retryMessage } from './retry-message.js';
import { clearToken, saveToken, savedToken } from './session.js';
import { signInView } from './views/sign-in.js';

const root = document.getElementById('app') as HTMLElement;
let view: RecordingsView | null = null;

/** The API lives where the console is served (a path prefix included). */
const apiBase = new URL('.', location.href);

/**
 * The sign-in page, with the problem that brought the user there. `retry` is offered when the
 * token was not refused but the server could not answer (down, overloaded, rate-limited): the
 * token is kept, and Try again signs in with it without pasting it again.
 */
function showSignIn(problem: Problem | null, retry: (() => Promise<void>) | null = null): void {
  view?.dispose();
  view = null;
  document.title = 'Sign in · recvault console';
  replaceChildren(root, signInView(signIn, problem, retry));
  root.querySelector<HTMLElement>(retry === null ? '#token' : '#retry-sign-in')?.focus();
}

/** The API refused this token itself (401), or the SDK refused it as no bearer token at all. */
function isRefusedToken(error: unknown): boolean {
  return error instanceof AuthenticationError || (error instanceof TypeError && error.message.startsWith('token '));
}

/**
 * Checks the token with the API (who am I, which sites) before showing anything; a token the
 * API refuses never reaches sessionStorage, and one it stops accepting is forgotten. Any other
 * failure (server down, 5xx, 429) leaves a saved token in place.
 */
async function signIn(token: string): Promise<void> {
  try {
    const client = new RecvaultClient({
      baseUrl: apiBase,
      token,
      retry: { maxRetries: 2 },
      // Before the view exists the retry is the sign-in's own: the sign-in page says why it waits.
      onRetry: (event) => (view !== null ? view.showRetry(event) : showSignInStatus(retryMessage(event))),
    });
    const sentAt = Date.now();
    const me = await client.me();
    // The server's clock, carried forward by the browser's: presets then agree with the API's "now".
    const offset = Date.parse(me.serverTime) - (sentAt + Date.now()) / 2;
    if (me.role === 'none') {
      clearToken();
      showSignIn({
        message: `The token of ${me.person.email} cannot list recordings: it needs the meeting:admin_recordings_read (admin) or spark-compliance:meetings_read (compliance officer) scope.`,
        trackingId: null,
        status: 403,
      });
      return;
    }
    const sites = await client.sites();
    saveToken(token);
    view?.dispose();
    view = new RecordingsView({
      client,
      me,
      sites,
      browserZone: browserZone(),
      now: () => Date.now() + (Number.isFinite(offset) ? offset : 0),
      signOut,
    });
    document.title = `Recordings · ${me.org.name} · recvault console`;
    replaceChildren(root, view.element);
    view.start();
  } catch (error) {
    if (isRefusedToken(error)) {
      clearToken();
      showSignIn(problemFrom(error));
    } else {
      showSignIn(problemFrom(error), () => signIn(token));
    }
  }
}

/**
 * A line on the sign-in page while signing in takes long. A token kept from before a reload is
 * checked with no form on screen, so that case gets a page of its own to say it on.
 */
function showSignInStatus(message: string): void {
  let status = root.querySelector<HTMLElement>('#sign-in-status');
  if (status === null) {
    document.title = 'Signing in · recvault console';
    status = h('p', { id: 'sign-in-status', role: 'status' });
    replaceChildren(root, h('main', { id: 'main', class: 'sign-in-page' }, h('div', { class: 'sign-in card' }, h('h1', {}, 'recvault console'), status)));
  }
  status.textContent = message;
}

/** Sign out, or a token the API stopped accepting mid-session (`problem` says why). */
function signOut(problem: Problem | null = null): void {
  clearToken();
  showSignIn(problem);
}

const token = savedToken();
if (token === null) showSignIn(null);
else void signIn(token);
