/** Runs the CLI command objects in-process, as src/cli/main.ts would, with captured output. */
import { Readable } from 'node:stream';
import { CommanderError, type Command } from 'commander';
import { CliError, fileProblemOf } from '../../src/cli/cli-error.js';
import type { CliIo } from '../../src/cli/commands/recordings.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HarnessOptions {
  url: string;
  token?: string;
  stdin?: string;
  fetch?: CliIo['fetch'];
  retry?: CliIo['retry'];
  isTTY?: boolean;
  onInterrupt?: CliIo['onInterrupt'];
}

export async function runCli(make: (io: CliIo) => Command, args: string[], options: HarnessOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: options.isTTY ?? false,
    },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    env: { RECVAULT_URL: options.url, ...(options.token === undefined ? {} : { RECVAULT_TOKEN: options.token }) },
    retry: options.retry ?? { sleep: async () => undefined },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.onInterrupt === undefined ? {} : { onInterrupt: options.onInterrupt }),
  };
  try {
    await make(io).parseAsync(['node', 'recvault', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, stdout, stderr };
    const failure = error instanceof CliError ? error : fileProblemOf(error);
    if (failure === null) throw error;
    stderr += `recvault: ${failure.message}\n`;
    return { code: failure.exitCode, stdout, stderr };
  }
}

/**
 * A strict RFC 4180 parser: fields are either unquoted (no quote, comma, CR or LF) or quoted
 * with doubled inner quotes; every record ends in CRLF. Throws on anything else.
 */
export function parseCsvStrict(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
          field += text[i++];
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r' && text[i + 1] === '\n') {
        i += 2;
        break;
      }
      throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
    }
    records.push(record);
  }
  return records;
}
