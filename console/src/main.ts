import { RecvaultClient } from '../../src/client/recvault-client.js';
import { browserZone } from './dates.js';
import { replaceChildren } from './dom.js';
import { problemFrom, type Problem } from './errors.js';
import { RecordingsView } from './recordings-view.js';
import { clearToken, saveToken, savedToken } from './session.js';
import { signInView } from './views/sign-in.js';

const root = document.getElementById('app') as HTMLElement;
let view: RecordingsView | null = null;

/** The API lives where the console is served (a path prefix included). */
const apiBase = new URL('.', location.href);

function showSignIn(problem: Problem | null): void {
  view?.dispose();
  view = null;
  document.title = 'Sign in · recvault console';
  replaceChildren(root, signInView(signIn, problem));
  root.querySelector<HTMLInputElement>('#token')?.focus();
}

/**
 * Checks the token with the API (who am I, which sites) before showing anything; a token the
 * API refuses never reaches sessionStorage, and one it stops accepting is forgotten.
 */
async function signIn(token: string): Promise<void> {
  const client = new RecvaultClient({ baseUrl: apiBase, token, retry: { maxRetries: 2 } });
  try {
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
    clearToken();
    showSignIn(problemFrom(error));
  }
}

function signOut(): void {
  clearToken();
  showSignIn(null);
}

const token = savedToken();
if (token === null) showSignIn(null);
else void signIn(token);
