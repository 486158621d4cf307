/**
 * Which PostgreSQL failures mean "the store is unavailable right now" (a 503 with Retry-After
 * that the client should retry) rather than a bug: the server is down, restarting, refusing
 * connections, overloaded, or a statement ran past its time limit; or it cannot write just now
 * (a read-only server after a failover, a full disk, an I/O error), as SQLite's file faults are.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57014', // query_canceled (statement_timeout)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '25006', // read_only_sql_transaction (a standby, or a primary demoted after a failover)
  '53100', // disk_full
  '53200', // out_of_memory
  '58030', // io_error
]);

/** ENOENT: over a Unix socket (`?host=/run/postgresql`), a stopped server has removed its socket file. */
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'connection timeout',
  'Cannot use a pool after calling end',
];

export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('08')) return true; // connection_exception class
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}
