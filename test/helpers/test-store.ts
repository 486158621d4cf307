/**
 * The store a test runs on: in-memory SQLite, or — in the `postgres` project — a fresh schema on
 * the suite's PostgreSQL server, dropped again when the store is closed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

export type TestEngine = 'sqlite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env['RECVAULT_TEST_ENGINE'] === 'postgres' ? 'postgres' : 'sqlite';
}

export async function openTestStore(options: { now?: () => number } = {}): Promise<Store> {
  if (testEngine() === 'sqlite') return SqliteStore.open(':memory:');
  return openTestPostgresStore(options);
}

export async function openTestPostgresStore(options: { now?: () => number; url?: string } = {}): Promise<PostgresStore> {
  return PostgresStore.open({
    connectionString: options.url ?? inject('pgUrl'),
    schema: `t_${randomBytes(6).toString('hex')}`,
    dropSchemaOnClose: true,
    poolSize: 4,
    now: options.now,
  });
}

/** Runs SQL straight on the store's database, bypassing the store (tests of database-level guards). */
export async function execRaw(store: Store, sql: string): Promise<void> {
  if (store instanceof PostgresStore) {
    await (store as unknown as { pool: { query(sql: string): Promise<unknown> } }).pool.query(sql);
    return;
  }
  (store as unknown as { db: { exec(sql: string): void } }).db.exec(sql);
}

/** Runs `work` on a plain connection to the suite's PostgreSQL server (databases, schemas, catalog reads). */
export async function withPostgresClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
