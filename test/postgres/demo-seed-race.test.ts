/**
 * Two servers started with `--demo` at the same moment on one empty PostgreSQL database: one
 * seeds, the other finds the data (SQLite's single writer already ensured this; PostgreSQL
 * seeded twice, with two sets of demo tokens).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/demo/demo-people.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

const schema = `t_${randomBytes(6).toString('hex')}`;
const stores: PostgresStore[] = [];

afterAll(async () => {
  for (const store of stores.reverse()) await store.close();
});

describe('seeding the demo on PostgreSQL', () => {
  it('happens once when two processes try at the same moment', async () => {
    const open = (drop: boolean) => PostgresStore.open({ connectionString: inject('pgUrl'), schema, dropSchemaOnClose: drop, poolSize: 4 });
    stores.push(await open(true));
    stores.push(await open(false));
    const now = Date.parse('2026-11-20T12:00:00Z');
    const results = await Promise.all(stores.map((store) => seedDemo(store, now)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await stores[0]!.listTokens()).toHaveLength(DEMO_PEOPLE.length);
    expect((await stores[1]!.knownEntities()).orgIds.size).toBe(2);
  });
});
