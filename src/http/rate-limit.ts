import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { ApiError } from '../domain/errors.js';

export interface RateLimitConfig {
  /** Requests allowed per token (per client address without a token) in each window. */
  readonly max: number;
  readonly windowMs: number;
}

/** Generous by default: bulk exports at full speed stay under it; a runaway script does not. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { max: 6000, windowMs: 60_000 };

/**
 * Per-token rate limit on the API (@fastify/rate-limit, in memory; a shared store comes with
 * multi-instance deployments). The key is a digest of the bearer token, so secrets are never
 * kept as map keys; callers without a token are limited by address. Over the limit: 429 with
 * `Retry-After` in whole seconds and the Webex error body.
 */
export async function installRateLimit(app: FastifyInstance, config: RateLimitConfig): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: config.max,
    timeWindow: config.windowMs,
    hook: 'onRequest',
    allowList: (request) => !request.url.startsWith('/v1/'),
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
  if (typeof header === 'string' && header.length > 0 && header.length <= 1024) {
    return `t:${createHash('sha256').update(header).digest('base64url')}`;
  }
  return `ip:${request.ip}`;
}
