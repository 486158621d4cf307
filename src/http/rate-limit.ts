import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { bearerTokenOf } from './authenticate.js';
import { isApiRequest } from './request-path.js';
import { parseRedisUrl, redactRedisUrl, type RateLimitConfig } from './rate-limit-config.js';
import { connectRedis } from './redis-client.js';
import { SharedRateLimitStore } from './shared-rate-limit-store.js';

/**
 * Per-token rate limit on the API (@fastify/rate-limit), counted in Redis when configured (and
 * in memory while Redis is out, see SharedRateLimitStore), else in memory. The key is the token's
 * id once it authenticates (see rateLimitKey), so secrets are never kept as keys; callers without
 * a valid token are limited by address. Over the limit: 429 with `Retry-After` in whole seconds
 * and the Webex error body. Throws when `redisUrl` is not a Redis URL.
 */
export async function installRateLimit(app: FastifyInstance, config: RateLimitConfig, principalOf: (request: FastifyRequest) => Promise<Principal>): Promise<void> {
  let store: ReturnType<typeof SharedRateLimitStore.for> | undefined;
  if (config.redisUrl !== undefined) {
    const url = parseRedisUrl(config.redisUrl);
    const redis = await connectRedis(url, app.log);
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
    const downAtStart = redis.status !== 'ready';
    store = SharedRateLimitStore.for({ redis, log: app.log, downAtStart });
    // When Redis was unreachable, connectRedis has said so; the store says when it answers.
    if (!downAtStart) app.log.info({ redis: redactRedisUrl(url) }, 'rate limits are shared through Redis');
  }
  await app.register(rateLimit, {
    ...(store === undefined ? {} : { store }),
    global: true,
    max: config.max,
    timeWindow: config.windowMs,
    hook: 'onRequest',
    allowList: (request) => !isApiRequest(request),
    keyGenerator: (request) => rateLimitKey(request, principalOf),
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError('RATE_LIMITED', `Too many requests for this token (or, without a valid token, from this address): at most ${context.max} per ${context.after}. Retry after ${seconds} s.`, {
        'Retry-After': String(seconds),
      });
    },
  });
}

/**
 * A token's own budget once it authenticates (the same lookup the route then reuses, so no
 * second query); anything else — no token, a malformed one, an unknown, revoked or expired one —
 * counts against the client's address. Keyed on the bearer string alone, every made-up token
 * was a fresh budget, and enough of them pushed real tokens' counts out of the in-memory counter.
 */
async function rateLimitKey(request: FastifyRequest, principalOf: (request: FastifyRequest) => Promise<Principal>): Promise<string> {
  // The plugin asks for the key before it checks `allowList`: health checks, docs and console
  // files must not cost a token lookup (nor wait on the database) for being sent a token.
  if (!isApiRequest(request)) return 'exempt';
  const header = request.headers.authorization;
  if (typeof header !== 'string' || bearerTokenOf(header) === null) return `ip:${request.ip}`;
  try {
    return `t:${(await principalOf(request)).tokenId}`;
  } catch (error) {
    // A refused token counts against the address (the route then answers 401 from the same
    // memoised lookup); anything else (the store down: 503) is the request's answer.
    if (error instanceof ApiError && error.status === 401) return `ip:${request.ip}`;
    throw error;
  }
}
