import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, fileProblemOf } from './cli-error.js';
import { auditCommand } from './commands/audit.js';
import { generateCommand } from './commands/generate.js';
import { importCommand } from './commands/import.js';
import { migrateCommand } from './commands/migrate.js';
import { recordingsCommand } from './commands/recordings.js';
import { sitesCommand } from './commands/sites.js';
import { serveCommand } from './commands/serve.js';
import { tokensCommand } from './commands/tokens.js';

export function buildProgram(): Command {
  const program = new Command('recvault')
    .description('Self-hosted recordings catalog with a Webex-compatible API for admins and compliance officers.')
    .version(packageVersion(), '-V, --version', 'print the version of recvault')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(importCommand());
  program.addCommand(migrateCommand());
  program.addCommand(tokensCommand());
  program.addCommand(generateCommand());
  program.addCommand(auditCommand());
  program.addCommand(recordingsCommand());
  program.addCommand(sitesCommand());
  throwInsteadOfExiting(program);
  return program;
}

/**
 * Commander exits the process itself (status 1) on a parse error in a subcommand unless told
 * otherwise; every command throws instead, so main() can give usage errors status 2.
 */
function throwInsteadOfExiting(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride().showHelpAfterError();
    throwInsteadOfExiting(sub);
  }
}

/**
 * The version in package.json (two levels up from both src/cli and dist/cli); `unknown` when an
 * install copied `dist/` without it, rather than every command failing.
 */
function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const failure = error instanceof CliError ? error : fileProblemOf(error);
    if (failure === null) throw error;
    process.stderr.write(`recvault: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  }
}
