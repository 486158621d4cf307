import { Command } from 'commander';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';
import { CliError, parsePositiveInt } from '../cli-error.js';
import { progressBar } from '../progress.js';

interface GenerateCliOptions extends StoreCliOptions {
  recordings: string;
  days: string;
  seed: string;
  orgs: string;
  ndjson?: boolean;
  progress?: boolean;
}

export function generateCommand(): Command {
  return withStoreOptions(new Command('generate')
    .description('Generate realistic, deterministic recordings: into the database, or as NDJSON on stdout.')
    .option('--recordings <n>', 'number of recordings', '10000')
    .option('--days <d>', 'spread createTime over the last D days', '60')
    .option('--seed <s>', 'random seed (same seed, same data)', '1')
    .option('--orgs <n>', 'number of organizations', '2')
    .option('--ndjson', 'write NDJSON recordings to stdout instead of the database (orgs/sites are not included)')
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .action(async (opts: GenerateCliOptions) => {
      const { generateRecordings, generateWorld, toImportRecord } = await import('../../generate/generator.js');
      const options = {
        recordings: parsePositiveInt('--recordings', opts.recordings, 1_000_000_000),
        days: parsePositiveInt('--days', opts.days, 36_500),
        seed: parsePositiveInt('--seed', opts.seed),
        orgs: parsePositiveInt('--orgs', opts.orgs, 999),
        now: Math.floor(Date.now() / 1000) * 1000,
      };
      const world = generateWorld(options);
      if (opts.ndjson === true) {
        for (const batch of generateRecordings(options, world)) {
          const ok = process.stdout.write(`${batch.map((r) => JSON.stringify(toImportRecord(r))).join('\n')}\n`);
          if (!ok) await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
        return;
      }
      const store = await openCliStore(opts);
      const bar = progressBar('generate', 'recordings', opts.progress === true);
      const started = Date.now();
      const session = await store.beginImport();
      try {
        await session.write({ orgs: world.orgs, sites: world.sites, people: world.people });
        let done = 0;
        for (const batch of generateRecordings(options, world)) {
          await session.write({ recordings: batch });
          done += batch.length;
          bar.update(done, options.recordings);
        }
        await session.commit();
        bar.stop();
        const seconds = (Date.now() - started) / 1000;
        process.stderr.write(`generated ${done} recordings in ${seconds.toFixed(1)} s (${Math.round(done / Math.max(seconds, 0.001))} recordings/s)\n`);
      } catch (error) {
        bar.stop();
        await session.rollback();
        if (error instanceof RangeError) throw new CliError(error.message, 2);
        // The generated world (orgs, sites, people) upserts by id; a catalogue that already holds
        // other people with the same emails (an earlier import) refuses it. SQLite and PostgreSQL word it differently.
        const code = String((error as { code?: unknown }).code ?? '');
        if (code.startsWith('SQLITE_CONSTRAINT') || code === '23505') {
          throw new CliError('generate failed, nothing written: the generated people or sites clash with what this catalogue already holds (e.g. an email of another person); generate into a new database', 1);
        }
        throw new CliError(`generate failed, nothing written: ${(error as Error).message}`, 1);
      } finally {
        await store.close();
      }
    }));
}
