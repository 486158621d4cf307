import { Command } from 'commander';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';
import { parseIsoInstant } from '../../domain/iso8601.js';
import { UTC_ZONE } from '../../domain/time-zone.js';
import { CliError, parsePositiveInt } from '../cli-error.js';
import { formatTable } from '../table.js';

export function auditCommand(): Command {
  return withStoreOptions(new Command('audit')
    .description('Print the append-only audit trail of lifecycle changes, admin deletes and HTTP ingests (file imports are not audited), oldest first.')
    .option('--since <time>', 'only entries at or after this ISO 8601 time (UTC when no offset)')
    .option('--limit <n>', 'at most this many entries', '1000')
    .option('--format <format>', 'table, json or ndjson', 'table')
    .action(async (opts: { since?: string; limit: string; format: string } & StoreCliOptions) => {
      if (!['table', 'json', 'ndjson'].includes(opts.format)) throw new CliError('--format must be table, json or ndjson', 2);
      let since: number | null = null;
      if (opts.since !== undefined) {
        try {
          since = parseIsoInstant('--since', opts.since, UTC_ZONE);
        } catch (error) {
          throw new CliError((error as Error).message, 2);
        }
      }
      const limit = parsePositiveInt('--limit', opts.limit, 10_000_000);
      const store = await openCliStore(opts, { existing: true });
      try {
        const entries = (await store.listAudit(since, limit)).map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        else if (opts.format === 'ndjson') process.stdout.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        else {
          process.stdout.write(formatTable(
            ['AT', 'ACTION', 'RECORDING', 'FROM', 'TO', 'PERSON', 'TOKEN', 'TRACKING ID'],
            entries.map((e) => [e.at, e.action, e.recordingId, e.fromStatus ?? '-', e.toStatus ?? '-', e.personId ?? '-', e.tokenId ?? '-', e.trackingId ?? '-']),
          ));
        }
      } finally {
        await store.close();
      }
    }));
}
