import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';

/**
 * Applies pending schema migrations and reports the schema version. Safe to run while servers
 * run and from several hosts at once: PostgreSQL migrations take an advisory lock.
 */
export function migrateCommand(): Command {
  return withStoreOptions(
    new Command('migrate').description('Apply pending database migrations (servers also apply them at start).').action(async (opts: StoreCliOptions) => {
      const store = await openCliStore(opts, { migrate: false });
      try {
        let applied: number[];
        try {
          applied = await store.migrate();
        } catch (error) {
          throw new CliError(`migration failed: ${(error as Error).message}`, 1);
        }
        const versions = await store.appliedMigrations();
        const current = versions.at(-1) ?? 0;
        process.stdout.write(
          applied.length > 0
            ? `${store.engine}: applied migration(s) ${applied.join(', ')}; schema is at version ${current}\n`
            : `${store.engine}: schema is up to date at version ${current}\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}
