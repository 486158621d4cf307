import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { databaseUrlOf, DEFAULT_DB_FILE, openStore, sqliteFileOf } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { CliError } from './cli-error.js';

export interface StoreCliOptions {
  db?: string;
  databaseUrl?: string;
}

/** Every command that touches the catalogue takes the same two ways to name it. */
export function withStoreOptions(command: Command): Command {
  return command
    .option('--db <file>', `SQLite database file (env RECVAULT_DB, default ${DEFAULT_DB_FILE})`)
    .option('--database-url <url>', 'PostgreSQL URL, e.g. postgres://user:pass@host:5432/recvault; not with --db (env DATABASE_URL, used when neither flag is given)');
}

/**
 * Opens the store, turning an unreachable or misconfigured database into one clear CLI error.
 * `existing`: for commands that only read or change what is there (`audit`, `tokens`), a SQLite
 * file that does not exist is an error, not a new empty catalogue (a mistyped `--db` would
 * otherwise answer "nothing" and leave a stray file behind).
 */
export async function openCliStore(opts: StoreCliOptions, options: { migrate?: boolean; existing?: boolean } = {}): Promise<Store> {
  if (opts.db !== undefined && opts.databaseUrl !== undefined) {
    throw new CliError('give either --db (SQLite) or --database-url (PostgreSQL), not both', 2);
  }
  // better-sqlite3 opens '' as an anonymous temporary database: everything written would vanish.
  if (opts.db !== undefined && opts.db.trim() === '') throw new CliError('--db must name a file', 2);
  const url = databaseUrlOf({ dbFile: opts.db, databaseUrl: opts.databaseUrl });
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError('the database URL (--database-url or DATABASE_URL) must start with postgres:// or postgresql://', 2);
  }
  if (url === null) {
    const file = sqliteFileOf({ dbFile: opts.db });
    if (options.existing === true && file !== ':memory:' && !existsSync(file)) throw new CliError(`no database at ${file} (check --db or RECVAULT_DB)`, 2);
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) throw new CliError(`${file} is a directory: --db (or RECVAULT_DB) names the database file`, 2);
  }
  try {
    const store = await openStore({ dbFile: opts.db, databaseUrl: opts.databaseUrl, migrate: false });
    try {
      // Fail here, with one clear line, rather than in the middle of the command.
      await store.ping();
      // `migrate` reports its own work; every other command says when it upgraded an existing
      // catalogue, since older releases must not be used on it afterwards.
      if (options.migrate !== false) announceUpgrade(store.engine, await store.migrate(), await store.appliedMigrations());
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  } catch (error) {
    const cause = (error as Error).cause;
    const detail = cause instanceof Error ? `${(error as Error).message} (${cause.message || (cause as NodeJS.ErrnoException).code})` : (error as Error).message;
    throw new CliError(`cannot open the database: ${detail}`, 1);
  }
}

/** One line on stderr when opening upgraded a catalogue that already had a schema (not when it created one). */
function announceUpgrade(engine: string, applied: readonly number[], versions: readonly number[]): void {
  if (applied.length === 0 || applied.includes(1)) return;
  process.stderr.write(
    `recvault: upgraded the ${engine} catalogue's schema to version ${versions.at(-1) ?? 0} (step${applied.length === 1 ? '' : 's'} ${applied.join(', ')}); older releases must not be used on it any more\n`,
  );
}
