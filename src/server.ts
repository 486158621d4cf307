import type { FastifyInstance } from 'fastify';

/** How long draining may take once the port is closed before the process is stopped anyway. */
const DRAIN_LIMIT_MS = 10_000;

/**
 * Listens and closes gracefully: on SIGINT/SIGTERM `/readyz` turns 503 at once; after
 * `drainDelayMs` (0 by default; for balancers that poll readiness) the server stops accepting
 * connections, lets in-flight requests finish, then runs `onClosed` (closing the store).
 */
export async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
  onClosed: () => Promise<void>,
  options: { drainDelayMs?: number } = {},
): Promise<string> {
  const drainDelayMs = options.drainDelayMs ?? 0;
  const address = await app.listen({ host, port });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.markDraining?.();
    if (drainDelayMs > 0) app.log.info({ signal, drainDelayMs }, 'shutting down: not ready; closing the port after the drain delay');
    const close = () => {
      app.log.info({ signal }, 'shutting down: draining in-flight requests');
      const force = setTimeout(() => {
        app.log.error({ signal, limitMs: DRAIN_LIMIT_MS }, 'shutting down: in-flight requests did not finish in time; exiting with status 1');
        process.exit(1);
      }, DRAIN_LIMIT_MS);
      force.unref();
      return app.close();
    };
    new Promise<void>((resolve) => setTimeout(resolve, drainDelayMs))
      .then(close)
      .then(onClosed)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return address;
}
