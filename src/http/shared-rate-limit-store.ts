import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis, Result } from 'ioredis';
import { MemoryRateCounter, type WindowCount } from './memory-rate-counter.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recvaultRateLimit(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

// One round trip, atomic across instances: count the request, start the window on the first
// one, and report the time left. A key found without an expiry (left by an interrupted writer)
// gets one, so a counter can never stick forever.
const INCR_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
local ttl = -1
if current > 1 then ttl = redis.call('PTTL', KEYS[1]) end
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

export interface SharedRateLimitOptions {
  readonly redis: Redis;
  readonly log: FastifyBaseLogger;
  /** Prefix of every key in Redis. */
  readonly keyPrefix?: string;
  /** While Redis is out, how often one background PING checks whether it is back. */
  readonly probeIntervalMs?: number;
  readonly now?: () => number;
  /** Redis was already unreachable when the server started (and that was logged): start in memory, probing for its return. */
  readonly downAtStart?: boolean;
}

type Callback = (error: Error | null, result?: WindowCount) => void;

/**
 * A @fastify/rate-limit store that counts in Redis, so every instance shares each token's
 * limit, and degrades to counting in this process's memory while Redis is unreachable, slow
 * or failing: a request is never refused or held up because of Redis. The outage is logged
 * once when it starts and once when it ends; while it lasts requests skip Redis entirely and
 * a single background PING per `probeIntervalMs` notices its return.
 */
export class SharedRateLimitStore implements FastifyRateLimitStore {
  private readonly redis: Redis;
  private readonly log: FastifyBaseLogger;
  private readonly keyPrefix: string;
  private readonly probeIntervalMs: number;
  private readonly now: () => number;
  private readonly memory: MemoryRateCounter;
  private redisUp = true;
  private nextProbeAt = 0;
  private probing = false;

  constructor(options: SharedRateLimitOptions) {
    this.redis = options.redis;
    this.log = options.log;
    this.keyPrefix = options.keyPrefix ?? 'recvault:ratelimit:';
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.memory = new MemoryRateCounter(this.now);
    // An outage that began before the first request was reported at start-up (connectRedis): not twice.
    if (options.downAtStart === true) {
      this.redisUp = false;
      this.nextProbeAt = this.now();
    }
    if (typeof this.redis.recvaultRateLimit !== 'function') this.redis.defineCommand('recvaultRateLimit', { numberOfKeys: 1, lua: INCR_SCRIPT });
  }

  /** The constructor @fastify/rate-limit's `store` option takes, bound to these options. */
  static for(options: SharedRateLimitOptions): FastifyRateLimitStoreCtor {
    return class extends SharedRateLimitStore {
      constructor() {
        super(options);
      }
    };
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    if (!this.redisUp) {
      this.probe();
      callback(null, this.memory.incr(key, timeWindow));
      return;
    }
    if (this.redis.status !== 'ready') {
      this.markDown(`connection ${this.redis.status}`);
      callback(null, this.memory.incr(key, timeWindow));
      return;
    }
    this.redis.recvaultRateLimit(this.keyPrefix + key, timeWindow).then(
      ([current, ttl]) => callback(null, { current, ttl }),
      (error: Error) => {
        this.markDown(error.message);
        callback(null, this.memory.incr(key, timeWindow));
      },
    );
  }

  /** One limit for the whole API, so every route shares this store. */
  child(): FastifyRateLimitStore {
    return this;
  }

  private markDown(reason: string): void {
    this.nextProbeAt = this.now() + this.probeIntervalMs;
    if (!this.redisUp) return;
    this.redisUp = false;
    this.log.warn({ reason }, 'Redis is unavailable: rate limits are counted in memory by each instance until it returns');
  }

  private markUp(): void {
    if (this.redisUp) return;
    this.redisUp = true;
    this.log.info('Redis is reachable again: rate limits are shared across instances again');
  }

  private probe(): void {
    if (this.probing || this.now() < this.nextProbeAt || this.redis.status !== 'ready') return;
    this.probing = true;
    this.redis
      .ping()
      .then(
        () => this.markUp(),
        (error: Error) => this.markDown(error.message),
      )
      .finally(() => {
        this.probing = false;
      });
  }
}
