import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Metrics } from '../observability/metrics.js';

export interface MetricsConfig {
  /**
   * Bearer token a scraper must send (`RECVAULT_METRICS_TOKEN`). Without one, only clients
   * connecting from this host's loopback, and not through a proxy, may read `/metrics`.
   */
  readonly token?: string | undefined;
}

/** Route label of requests that matched no route (404s, 405s), so raw paths never become labels. */
export const UNMATCHED_ROUTE = 'unmatched';
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** Times every response into `metrics` and serves them at `GET /metrics` to allowed scrapers. */
export function installMetrics(app: FastifyInstance, metrics: Metrics, config: MetricsConfig): void {
  // Callback style: an async hook would cost a promise per response.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  const tokenDigest = config.token === undefined || config.token === '' ? null : digest(`Bearer ${config.token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (tokenDigest !== null) {
      const given = request.headers.authorization;
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), tokenDigest)) {
        throw new ApiError('UNAUTHORIZED', 'Reading metrics needs the metrics token: Authorization: Bearer <RECVAULT_METRICS_TOKEN>.');
      }
    } else if (!directLoopbackClient(request)) {
      throw new ApiError('FORBIDDEN', 'Metrics are served only to clients on this host; set RECVAULT_METRICS_TOKEN to scrape from elsewhere.');
    }
    return reply.type(metrics.contentType).header('Cache-Control', 'no-store').send(await metrics.render());
  });
}

/** A loopback peer that is not a local reverse proxy relaying someone else's request. */
function directLoopbackClient(request: FastifyRequest): boolean {
  const peer = request.socket.remoteAddress ?? '';
  return LOOPBACK.test(peer) && FORWARDING_HEADERS.every((name) => request.headers[name] === undefined);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
