/**
 * The rate limit's settings and the check of its Redis URL, apart from the limiter itself so
 * that the CLI can parse `serve` options without loading Fastify's plugin or ioredis.
 */
export interface RateLimitConfig {
  /** Requests allowed per token (per client address without a token) in each window. */
  readonly max: number;
  readonly windowMs: number;
  /**
   * Redis that counts for every instance (`REDIS_URL` / `--redis-url`), so the limit holds
   * across all of them; without it each process counts in its own memory.
   */
  readonly redisUrl?: string | undefined;
}

/** Generous by default: bulk exports at full speed stay under it; a runaway script does not. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { max: 6000, windowMs: 60_000 };

/** Checks a `--redis-url` / `REDIS_URL` value; throws an Error saying what is wrong. */
export function parseRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`not a URL: expected redis://HOST:PORT or rediss://HOST:PORT`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`unsupported scheme ${JSON.stringify(url.protocol)}: expected redis:// or rediss://`);
  }
  if (url.hostname === '') throw new Error('the URL names no host');
  return url;
}

/** The URL without credentials, for log lines. */
export function redactRedisUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
