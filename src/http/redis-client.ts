import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { redactRedisUrl } from './rate-limit-config.js';

/** How long a rate-limit check may wait for Redis before the request falls back to memory. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 2000;

/**
 * An ioredis client that can never hold up or crash the server: commands fail at once while
 * disconnected (no offline queue, no per-request retries) and after `REDIS_COMMAND_TIMEOUT_MS`
 * when Redis hangs; connection errors are only logged at debug level (the rate limiter reports
 * an outage once, as a warning) while the client keeps reconnecting in the background.
 * Resolves once connected, or after the first failed attempt so the server starts anyway.
 */
export async function connectRedis(url: URL, log: FastifyBaseLogger): Promise<Redis> {
  const client = new Redis(url.href, {
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // Back off up to 2 s between reconnection attempts, forever: an outage must end by itself.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  client.on('error', (error: Error) => log.debug({ err: error }, 'redis connection error'));
  try {
    await client.connect();
  } catch (error) {
    log.warn({ redis: redactRedisUrl(url), reason: (error as Error).message }, 'Redis is unreachable at start-up: rate limits are counted in memory by each instance until it answers');
  }
  return client;
}
