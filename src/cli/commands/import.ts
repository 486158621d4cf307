import { Command } from 'commander';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';
import { CliError } from '../cli-error.js';
import { progressBar } from '../progress.js';

const BIG_FILE_BYTES = 5 * 1024 * 1024;

export function importCommand(): Command {
  return withStoreOptions(new Command('import')
    .description('Import a .json document (orgs, sites, people, tokens, recordings) or an .ndjson file of recordings; all or nothing.')
    .argument('<file>', 'file in the import format (see README)')
    .action(async (file: string, opts: StoreCliOptions) => {
      // Loaded here rather than at start-up: ajv and the TypeBox import schemas are costly to load.
      const [{ importFile }, { RecordError }] = await Promise.all([
        import('../../ingest/import-file.js'),
        import('../../ingest/record-validator.js'),
      ]);
      await checkReadableFile(file);
      const store = await openCliStore(opts);
      const bar = progressBar('import', 'bytes');
      const started = Date.now();
      try {
        const counts = await importFile(store, file, Date.now(), (read, total) => {
          if (total >= BIG_FILE_BYTES) bar.update(read, total);
        });
        bar.stop();
        const seconds = (Date.now() - started) / 1000;
        process.stderr.write(
          `imported ${counted(counts.recordings, 'recording')}, ${counted(counts.orgs, 'org')}, ${counted(counts.sites, 'site')}, ${counted(counts.people, 'person', 'people')}, ${counted(counts.tokens, 'token')} in ${seconds.toFixed(1)} s (${Math.round(counts.recordings / Math.max(seconds, 0.001))} recordings/s)\n`,
        );
      } catch (error) {
        bar.stop();
        if (error instanceof RecordError) throw new CliError(`import failed, nothing written: ${error.message}`, 1);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`no such file: ${file}`, 2);
        throw new CliError(`import failed, nothing written: ${(error as Error).message}`, 1);
      } finally {
        await store.close();
      }
    }));
}

/** Before the database is opened (and, when new, created): a wrong path must change nothing. */
async function checkReadableFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isDirectory()) throw new CliError(`${file} is a directory, not an import file`, 2);
    await access(file, constants.R_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`no such file: ${file}`, 2);
    throw new CliError(`cannot read ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message}`, 2);
  }
}

function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
