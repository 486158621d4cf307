import type { RetryEvent } from '../../src/client/http-transport.js';

/** Why a request is taking long while the SDK waits to retry it (rate limit, busy or unreachable server). */
export function retryMessage(event: RetryEvent): string {
  const seconds = Math.max(1, Math.round(event.delayMs / 1000));
  const reason =
    event.error.status === 429
      ? 'The server is limiting the rate of requests'
      : event.error.status === 0
        ? 'The server cannot be reached'
        : `The server answered HTTP ${event.error.status}`;
  return `${reason}; trying again in ${seconds} s…`;
}
