import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import { hashToken } from '../domain/token-secret.js';
import { bearerTokenOf } from './authenticate.js';
import { routedPath } from './request-path.js';
import { parseRedisUrl, redactRedisUrl, type RateLimitConfig } from './rate-limit-config.js';
import { connectRedis } from './redis-client.js';
import { SharedRateLimitStore } from './shared-rate-limit-store.js';

/**
 * Per-token rate limit on the API (@fastify/rate-limit), counted in Redis when configured (and
 * in memory while Redis is out, see SharedRateLimitStore), else in memory. The key is a digest
 * of the bearer token, so secrets are never kept as keys; callers without a token are limited
 * by address. Over the limit: 429 with `Retry-After` in whole seconds and the Webex error body.
 * Throws when `redisUrl` is not a Redis URL.
 */
export async function installRateLimit(app: FastifyInstance, config: RateLimitConfig): Promise<void> {
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
    allowList: (request) => !routedPath(request).startsWith('/v1/'),
    keyGenerator: rateLimitKey,
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError('RATE_LIMITED', `Too many requests for this token: at most ${context.max} per ${context.after}. Retry after ${seconds} s.`, {
        'Retry-After': String(seconds),
      });
    },
  });
}

function rateLimitKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? bearerTokenOf(header) : null;
  return token === null ? `ip:${request.ip}` : `t:${hashToken(token).toString('base64url')}`;
}
