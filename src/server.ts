import type { FastifyInstance } from 'fastify';

/**
 * Listens and closes gracefully: on SIGINT/SIGTERM the server stops accepting connections,
 * lets in-flight requests finish, then runs `onClosed` (closing the store).
 */
export async function listen(app: FastifyInstance, host: string, port: number, onClosed: () => Promise<void>): Promise<string> {
  const address = await app.listen({ host, port });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .close()
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
