/**
 * Helpers for the operations tests: a fixture document with a token of its own (so counts left
 * in a long-lived Redis by an earlier run never meet this run's), a log capture, and real
 * `recvault serve` processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import type { LoggerOptions } from 'pino';
import { baseDocument, type RecordingSpec } from '../helpers/fixture.js';
import { freePort } from '../helpers/services.js';

export const BIN = join(import.meta.dirname, '../../bin/recvault');

/** The fixture document plus a compliance-officer token with a fresh random secret. */
export function documentWithFreshToken(recordings: RecordingSpec[] = []): { document: Record<string, unknown>; token: string } {
  const token = `tok-ops-${randomBytes(12).toString('hex')}`;
  const document = baseDocument(recordings);
  const tokens = document['tokens'] as Record<string, unknown>[];
  tokens.push({ token, personId: 'co', scopes: ['spark-compliance:meetings_read'] });
  return { document, token };
}

export interface LogCapture {
  readonly logger: LoggerOptions;
  readonly lines: () => Record<string, unknown>[];
}

export function captureLogs(level = 'info'): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Fastify takes pino options plus `stream`; AppConfig types the option as pino's LoggerOptions.
  return { logger: { level, stream } as unknown as LoggerOptions, lines: () => lines };
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly base: string;
  /** Everything the process wrote to stdout (JSON log lines) so far. */
  readonly stdout: () => string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** Starts `recvault serve` on a free port and resolves once it says it is serving. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    env: { ...process.env, RECVAULT_DB: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      if (stderr.includes('recvault is serving')) resolve();
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before serving: ${stderr}`)));
  });
  return { child, port, base: `http://127.0.0.1:${port}`, stdout: () => stdout, exited };
}

/** SIGTERM, then the exit code. */
export async function stopServe(server: ServeProcess): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return server.exited;
}

/** Polls `condition` until it holds; the test's timeout bounds the wait. */
export async function waitFor(condition: () => boolean | Promise<boolean>, pauseMs = 50): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
