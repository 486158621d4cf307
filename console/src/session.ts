/**
 * The pasted token lives in sessionStorage: it survives a reload of this tab but not the tab
 * itself, and other tabs and sites never see it. Nothing else about the session is stored.
 */
const KEY = 'recvault.token';

export function savedToken(): string | null {
  try {
    const token = sessionStorage.getItem(KEY);
    return token === null || token === '' ? null : token;
  } catch {
    // Storage disabled (private mode policies): the console still works until the tab reloads.
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // See savedToken.
  }
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // See savedToken.
  }
}
