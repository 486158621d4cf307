import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../domain/errors.js';
import type { Store } from '../../store/store.js';
import { JSON_CONTENT_TYPE } from '../error-handler.js';

/** A store that has not answered a trivial query within this long counts as not ready. */
export const READY_TIMEOUT_MS = 1500;

/**
 * Load-balancer probes, without authentication (they reveal nothing but "up" and "ready"), not
 * rate-limited (outside /v1/) and left out of the OpenAPI document:
 * - `GET /healthz`: liveness; 200 as long as the process answers HTTP, without touching the store.
 * - `GET /readyz`: 200 when the store answers `ping()` within READY_TIMEOUT_MS; else 503 with
 *   `Retry-After` in the Webex error shape. From the moment the app starts closing (SIGTERM) it
 *   answers 503, so balancers that still hold a connection stop sending work while requests drain.
 */
export function registerHealthRoutes(app: FastifyInstance, store: Store, readyTimeoutMs = READY_TIMEOUT_MS): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  // For a drain delay: /readyz reports 503 while the server still accepts and serves requests,
  // so balancers that poll readiness take the instance out before its port closes.
  app.decorate('markDraining', () => {
    draining = true;
  });
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => reply.type(JSON_CONTENT_TYPE).send({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    if (draining) throw new ApiError('UNAVAILABLE', 'This instance is shutting down; send requests to another one.', { 'Retry-After': '1' });
    try {
      await pingWithin(store, readyTimeoutMs);
    } catch (error) {
      request.log.warn({ reason: (error as Error).message }, 'not ready: the store did not answer');
      throw new ApiError('UNAVAILABLE', 'The catalogue store is not reachable; retry shortly.', { 'Retry-After': '1' });
    }
    return reply.type(JSON_CONTENT_TYPE).send({ status: 'ready' });
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Turns /readyz to 503 ahead of closing (set by the health routes). */
    markDraining?: () => void;
  }
}

async function pingWithin(store: Store, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
