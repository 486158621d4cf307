import { randomBytes } from 'node:crypto';
import type { Store } from './store.js';

export const DEFAULT_DB_FILE = './data/recvault.db';

export interface StoreLocation {
  /** SQLite file; used when no database URL is given. */
  readonly dbFile?: string | undefined;
  /** PostgreSQL URL (`postgres://…`); wins over the SQLite file. Falls back to `DATABASE_URL`. */
  readonly databaseUrl?: string | undefined;
  /** Apply pending migrations while opening (default true). */
  readonly migrate?: boolean | undefined;
}

/**
 * Which engine a location names. Flags win over the environment: `--db` means SQLite even when
 * `DATABASE_URL` is set; otherwise `--database-url`, then `DATABASE_URL`, name PostgreSQL.
 */
export function databaseUrlOf(location: StoreLocation): string | null {
  if (location.dbFile !== undefined && location.databaseUrl !== undefined) {
    throw new Error('give either --db (SQLite) or --database-url (PostgreSQL), not both');
  }
  if (location.dbFile !== undefined) return null;
  const url = location.databaseUrl ?? process.env['DATABASE_URL'];
  return url === undefined || url === '' ? null : url;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  const url = databaseUrlOf(location);
  if (url !== null) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('the database URL must start with postgres:// or postgresql://');
    // Each engine is loaded only when named: the CLI starts faster and SQLite never loads pg.
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open({ connectionString: url, migrate: location.migrate, poolSize: poolSizeFromEnv(), preparedStatements: preparedStatementsFromEnv() });
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return SqliteStore.open(sqliteFileOf(location));
}

/** The SQLite file a location names when it names no database URL; an empty `RECVAULT_DB` counts as unset, like `DATABASE_URL`. */
export function sqliteFileOf(location: StoreLocation): string {
  const fromEnv = process.env['RECVAULT_DB'];
  return location.dbFile ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_DB_FILE : fromEnv);
}

function poolSizeFromEnv(): number | undefined {
  const raw = process.env['RECVAULT_PG_POOL_SIZE'];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error('RECVAULT_PG_POOL_SIZE must be an integer from 1 to 1000');
  return n;
}

/** `RECVAULT_PG_PREPARED_STATEMENTS=off` for a pooler that cannot carry named statements. */
function preparedStatementsFromEnv(): boolean {
  const raw = (process.env['RECVAULT_PG_PREPARED_STATEMENTS'] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'on' || raw === 'true' || raw === '1') return true;
  if (raw === 'off' || raw === 'false' || raw === '0') return false;
  throw new Error('RECVAULT_PG_PREPARED_STATEMENTS must be on or off');
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
