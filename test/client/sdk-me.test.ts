import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, RecvaultClient } from '../../src/client/index.js';
import { randomId } from '../../src/client/random-id.js';
import { NOW, TOKENS } from '../helpers/fixture.js';
import { startLiveServer, type LiveServer } from './helpers.js';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer([]);
});
afterAll(async () => {
  await server.close();
});

describe('client.me()', () => {
  it('returns the caller profile the server computes', async () => {
    const me = await new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminWriteAll, retry: false }).me();
    expect(me).toMatchObject({
      person: { id: 'admin-all', email: 'admin-all@acme.example' },
      org: { id: 'acme', name: 'Acme' },
      role: 'admin',
      recycleBin: 'sites',
      serverTime: new Date(NOW).toISOString(),
    });
  });

  it('a bad token is an AuthenticationError carrying the tracking id', async () => {
    const call = new RecvaultClient({ baseUrl: server.url, token: 'tok-nobody', retry: false }).me();
    await expect(call).rejects.toBeInstanceOf(AuthenticationError);
    await call.catch((error: AuthenticationError) => expect(error.trackingId).toMatch(/^recvault-sdk_/));
  });
});

describe('randomId', () => {
  it('falls back to getRandomValues where randomUUID is missing (browsers outside secure contexts)', () => {
    // Remove the method for the duration of the call, as an insecure browser context does.
    const original = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
    try {
      const ids = new Set(Array.from({ length: 50 }, () => randomId()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original, configurable: true, writable: true });
    }
  });
});
