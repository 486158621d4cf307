import type { preParsingHookHandler } from 'fastify';
import { ApiError } from '../domain/errors.js';

/**
 * How many ingest requests one process reads and writes at a time. Each may hold a 16 MiB body
 * and its parsed records (≈ 100 MB at worst) while it waits for the single SQLite writer, so
 * without a cap a burst of ingests could exhaust memory long before it is any faster: writes
 * are serialised by the store anyway. Two keeps one reading while the other writes.
 */
export const MAX_CONCURRENT_INGESTS = 2;

/**
 * Admits an ingest while fewer than `limit` are in progress, else answers 429 with `Retry-After`
 * before the body is read. Its `hook` goes after the caller check (so strangers still get their
 * 401/403). A slot is held until the response is finished or its connection closes, whichever
 * comes first, so an aborted upload frees it too.
 */
export class IngestGate {
  private held = 0;

  constructor(readonly limit = MAX_CONCURRENT_INGESTS) {}

  /** Ingests being read or written right now (a gauge in `/metrics`). */
  get inProgress(): number {
    return this.held;
  }

  readonly hook: preParsingHookHandler = (_request, reply, payload, done) => {
    if (this.held >= this.limit) {
      done(new ApiError('RATE_LIMITED', `${this.limit} ingests are already in progress on this server; retry after the Retry-After delay.`, { 'Retry-After': '1' }));
      return;
    }
    // The caller check before this hook may have waited on the store while the client went away:
    // its 'close' has been emitted already and would never release a slot taken now.
    if (reply.raw.destroyed) {
      done(null, payload);
      return;
    }
    this.held++;
    reply.raw.once('close', () => this.held--);
    done(null, payload);
  };
}
