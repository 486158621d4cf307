/**
 * Helpers for the operations tests: a fixture document with a token of its own (so counts left
 * in a long-lived Redis by an earlier run never meet this run's), a log capture, and real
 * `recvault serve` processes.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { LoggerOptions } from 'pino';
import { baseDocument, type RecordingSpec } from '../helpers/fixture.js';
import type { ServeProcess } from '../helpers/serve-process.js';

export { BIN } from '../helpers/serve-process.js';

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

export { startServeProcess as startServe, type ServeProcess } from '../helpers/serve-process.js';

/** SIGTERM, then the exit code. */
export async function stopServe(server: ServeProcess): Promise<number | null> {
  return server.stop();
}

/** Polls `condition` until it holds; the test's timeout bounds the wait. */
export async function waitFor(condition: () => boolean | Promise<boolean>, pauseMs = 50): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
