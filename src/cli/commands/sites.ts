import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { formatTable } from '../table.js';
import { clientFrom, processIo, toCliError, withConnectionOptions, type CliIo } from './recordings.js';

/**
 * `recvault sites`: the sites the token's owner may see, the default one marked.
 *
 * @example
 * // in src/cli/main.ts: program.addCommand(sitesCommand());
 * // shell: RECVAULT_TOKEN=… recvault sites --format json
 */
export function sitesCommand(io: CliIo = processIo()): Command {
  const command = new Command('sites')
    .description('List the sites you may see (Get Site List); the default site is marked.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .option('--format <format>', 'table or json', 'table');
  return withConnectionOptions(command).action(async (flags: { url?: string; token?: string; maxRetries?: string; format: string }) => {
    if (flags.format !== 'table' && flags.format !== 'json') throw new CliError('--format must be table or json', 2);
    try {
      const sites = await clientFrom(flags, io).sites();
      io.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify({ sites }, null, 2)}\n`
          : formatTable(['SITE', 'DEFAULT'], sites.map((s) => [s.siteUrl, s.default ? 'yes' : ''])),
      );
    } catch (error) {
      throw toCliError(error);
    }
  });
}
