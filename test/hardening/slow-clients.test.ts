import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
});

/** Opens a raw connection, sends `chunk`, and resolves with what the server wrote before closing. */
function trickle(port: number, chunk: string): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(chunk));
    let response = '';
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('close', () => resolve({ response, closedAfterMs: Date.now() - started }));
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a slow client open'));
    }, 20_000).unref();
  });
}

describe('slow clients', () => {
  it('a client that never finishes its headers is dropped with 408 once the deadline passes', async () => {
    const store = SqliteStore.open(':memory:');
    app = await buildApp({ store, now: () => Date.now(), config: { cursorSecret: 'x', requestTimeoutMs: 600 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const slow = await trickle(port, 'GET /v1/admin/recordings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer x');
    expect(slow.response).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.response).toMatch(/trackingid: /i);
    expect(slow.response).toContain('"trackingId"');
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(250);
    // The server is still serving.
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    expect(res.status).toBe(200);
    await store.close();
  });
});
