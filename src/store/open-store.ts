import { randomBytes } from 'node:crypto';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export const DEFAULT_DB_FILE = './data/recvault.db';

export interface StoreLocation {
  /** SQLite file; used when no database URL is given. */
  readonly dbFile?: string | undefined;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  return SqliteStore.open(location.dbFile ?? process.env['RECVAULT_DB'] ?? DEFAULT_DB_FILE);
}

/**
 * The cursor-signing secret: `RECVAULT_CURSOR_SECRET` when set, else one generated on first use
 * and kept in the database, so every process on the same database accepts the others' links.
 */
export async function cursorSecret(store: Store): Promise<string> {
  const configured = process.env['RECVAULT_CURSOR_SECRET'];
  if (configured !== undefined && configured !== '') return configured;
  return store.initMeta('cursor_secret', randomBytes(32).toString('base64url'));
}
