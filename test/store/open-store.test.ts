import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';

/** PostgreSQL settings from the environment are checked before anything connects. */
const saved = { ...process.env };
afterEach(() => {
  for (const key of ['RECVAULT_PG_POOL_SIZE', 'RECVAULT_PG_PREPARED_STATEMENTS']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

// Port 1 on loopback: nothing listens, so reaching the connect step would fail differently.
const NOWHERE = 'postgres://recvault:x@127.0.0.1:1/recvault';

describe('openStore: PostgreSQL settings from the environment', () => {
  it.each(['maybe', 'yes please', '2'])('RECVAULT_PG_PREPARED_STATEMENTS=%s is refused by name', async (value) => {
    process.env['RECVAULT_PG_PREPARED_STATEMENTS'] = value;
    await expect(openStore({ databaseUrl: NOWHERE })).rejects.toThrow(/RECVAULT_PG_PREPARED_STATEMENTS must be on or off/);
  });

  it.each(['0', '-3', '1.5', 'ten', '1001'])('RECVAULT_PG_POOL_SIZE=%s is refused by name', async (value) => {
    process.env['RECVAULT_PG_POOL_SIZE'] = value;
    await expect(openStore({ databaseUrl: NOWHERE })).rejects.toThrow(/RECVAULT_PG_POOL_SIZE must be an integer from 1 to 1000/);
  });

  it.each(['on', 'OFF', 'true', '0', ''])('RECVAULT_PG_PREPARED_STATEMENTS=%s is accepted (the failure is then the connection)', async (value) => {
    process.env['RECVAULT_PG_PREPARED_STATEMENTS'] = value;
    await expect(openStore({ databaseUrl: NOWHERE })).rejects.not.toThrow(/must be on or off/);
  });
});
