// The ceiling: a minimal Fastify server that answers GET /v1/admin/recordings with bytes captured
// from recvault for the same URL (same body, content-type, Link and TrackingID headers), doing no
// other work. What recvault reaches relative to this is the share of the HTTP stack's best.
// Usage: node bench/ceiling-server.mjs --fixtures FILE --port P [--workers N]
// FILE: {"<path?query>": {"status": 200, "headers": {...}, "bodyBase64": "..."}}
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';

const { values } = parseArgs({
  options: {
    fixtures: { type: 'string' },
    port: { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
    workers: { type: 'string', default: '1' },
  },
});
const workers = Math.max(1, Number(values.workers));

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  const fixtures = new Map(
    Object.entries(JSON.parse(readFileSync(values.fixtures, 'utf8'))).map(([url, f]) => [
      url,
      { status: f.status, headers: f.headers, body: Buffer.from(f.bodyBase64, 'base64') },
    ]),
  );
  const app = Fastify({ logger: false });
  app.get('/v1/admin/recordings', (request, reply) => {
    const fixture = fixtures.get(request.url);
    if (fixture === undefined) return reply.code(404).send({ message: 'no fixture for this URL' });
    return reply.code(fixture.status).headers(fixture.headers).send(fixture.body);
  });
  await app.listen({ host: values.host, port: Number(values.port) });
  const close = () => app.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
