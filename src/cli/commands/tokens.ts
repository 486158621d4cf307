import { Command } from 'commander';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';
import { issueToken, KNOWN_SCOPES } from '../issue-token.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../table.js';

/** An instant as ISO 8601; a stored value no Date can hold (written by an older version) as the number it is. */
const iso = (ms: number | null) => (ms === null ? '-' : Number.isNaN(new Date(ms).getTime()) ? String(ms) : new Date(ms).toISOString());

export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('Create, list and revoke API tokens.');
  withStoreOptions(tokens
    .command('create')
    .description('Create a token for a person and print it once (only its hash is stored).')
    .requiredOption('--person <idOrEmail>', 'person id or email')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${KNOWN_SCOPES.join(', ')}`)
    .option('--client-id <id>', 'integration client id (limits integration-tag visibility)')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 90m (default: no expiry)')
    .action(async (opts: { person: string; scopes: string; clientId?: string; expiresIn?: string } & StoreCliOptions) => {
      const store = await openCliStore(opts, { existing: true });
      try {
        const issued = await issueToken(store, {
          person: opts.person,
          scopes: opts.scopes.split(',').map((s) => s.trim()).filter((s) => s !== ''),
          clientId: opts.clientId ?? null,
          expiresIn: opts.expiresIn ?? null,
          now: Date.now(),
        });
        process.stderr.write(`token ${issued.id} for ${issued.person.email} (expires ${iso(issued.expiresAt)}); the secret is shown only now:\n`);
        process.stdout.write(`${issued.secret}\n`);
      } finally {
        await store.close();
      }
    }));
  withStoreOptions(tokens
    .command('list')
    .description('List tokens (never their secrets).')
    .option('--format <format>', 'table or json', 'table')
    .action(async (opts: { format: string } & StoreCliOptions) => {
      if (opts.format !== 'table' && opts.format !== 'json') throw new CliError('--format must be table or json', 2);
      const store = await openCliStore(opts, { existing: true });
      try {
        const list = await store.listTokens();
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        const rows = list.map((t) => [t.id, t.personId, t.scopes.join(','), t.clientId ?? '-', iso(t.createdAt), iso(t.expiresAt), t.revokedAt === null ? 'active' : `revoked ${iso(t.revokedAt)}`]);
        process.stdout.write(formatTable(['ID', 'PERSON', 'SCOPES', 'CLIENT', 'CREATED', 'EXPIRES', 'STATE'], rows));
      } finally {
        await store.close();
      }
    }));
  withStoreOptions(tokens
    .command('revoke')
    .description('Revoke a token by id; its next request gets 401.')
    .argument('<id>', 'token id as shown by `tokens list`')
    .action(async (id: string, opts: StoreCliOptions) => {
      const store = await openCliStore(opts, { existing: true });
      try {
        if (!(await store.revokeToken(id, Date.now()))) throw new CliError(`no active token with id ${JSON.stringify(id)}`, 4);
        process.stderr.write(`revoked ${id}\n`);
      } finally {
        await store.close();
      }
    }));
  return tokens;
}
