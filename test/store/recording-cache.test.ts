import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { planLifecycle } from '../../src/domain/lifecycle.js';
import type { Recording } from '../../src/domain/types.js';
import { RecordingCache } from '../../src/store/recording-cache.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AuditContext, Store } from '../../src/store/store.js';
import { testEngine } from '../helpers/test-store.js';
import { NOW, pageQuery, seedGenerated } from './support.js';

/**
 * Pages reuse recordings already read (SQLite: until the file changes; PostgreSQL: while the
 * row version is the same). Whatever changes a recording — this store, or another process on
 * the same database — the very next page must show the change.
 */
let dir: string | null = null;
let reader: Store;
let writer: Store;
let all: Recording[];

const audit: AuditContext = { at: NOW, orgId: 'acme', personId: null, tokenId: null, trackingId: null };
const scope = { orgId: 'acme', siteUrls: ['acme.webex.com', 'acme-eu.webex.com'], hostEmail: null, seesAdminDeleted: true };

/** Two stores on one database, as two server processes would be. */
async function openPair(): Promise<[Store, Store]> {
  if (testEngine() === 'postgres') {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const open = (dropSchemaOnClose: boolean) =>
      PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 2, dropSchemaOnClose, now: () => NOW });
    const first = await open(false);
    return [first, await open(true)];
  }
  dir = mkdtempSync(join(tmpdir(), 'recvault-cache-'));
  const file = join(dir, 'cache.db');
  return [SqliteStore.open(file), SqliteStore.open(file)];
}

beforeAll(async () => {
  [reader, writer] = await openPair();
  all = await seedGenerated(reader, { seed: 11, recordings: 3000, days: 30 });
});
afterAll(async () => {
  await reader.close();
  await writer.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
});

async function softDelete(store: Store, ids: string[]): Promise<void> {
  await store.applyLifecycle({ kind: 'ids', orgId: 'acme', ids }, 'softDelete', (rows) => planLifecycle('softDelete', ids, rows, scope), audit);
}

const firstPage = (over = {}) => reader.listRecordings(pageQuery({ limit: 11, ...over }));

describe('recording cache', () => {
  it('serves the same page twice with the same content, reusing the recordings it read', async () => {
    const a = await firstPage();
    const b = await firstPage();
    expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(b).toEqual(a);
    b.forEach((r, i) => expect(r).toBe(a[i]));
  });

  it('a recording changed by another process is read again; the unchanged ones are still reused', async () => {
    const before = await firstPage();
    const target = before[3] as Recording;
    await writer.ingestRecordings([{ recording: { ...target, hostEmail: 'someone.else@acme.example' }, statusGiven: true }], audit);
    const after = await firstPage();
    const changed = after.find((r) => r.id === target.id);
    expect(changed?.hostEmail).toBe('someone.else@acme.example');
    expect(changed).not.toBe(target);
    if (testEngine() === 'postgres') {
      // Row versions are per row: the rest of the page is reused. (SQLite empties its cache on any change.)
      for (const r of after) if (r.id !== target.id) expect(before).toContain(r);
    }
  });

  it('a status change committed by another connection shows on the next page', async () => {
    const before = await firstPage();
    const victim = before[0] as Recording;
    await softDelete(writer, [victim.id]);
    const after = await firstPage();
    expect(after.map((r) => r.id)).not.toContain(victim.id);
    const bin = await firstPage({ status: 'deleted' });
    const moved = bin.find((r) => r.id === victim.id);
    expect(moved?.status).toBe('deleted');
  });

  it('a status change made through the same connection shows on the next page', async () => {
    const before = await firstPage();
    const victim = before[1] as Recording;
    const deletedBefore = await firstPage({ status: 'deleted' });
    await softDelete(reader, [victim.id]);
    expect((await firstPage()).map((r) => r.id)).not.toContain(victim.id);
    const deletedAfter = await firstPage({ status: 'deleted' });
    expect(deletedAfter.find((r) => r.id === victim.id)?.status).toBe('deleted');
    expect(deletedAfter).not.toEqual(deletedBefore);
  });

  it('an ingest update from another connection (same key, new topic) is not served stale', async () => {
    const page = await firstPage();
    const target = page[2] as Recording;
    await writer.ingestRecordings([{ recording: { ...target, topic: 'Renamed by another process' }, statusGiven: true }], audit);
    const again = await firstPage();
    expect(again.find((r) => r.id === target.id)?.topic).toBe('Renamed by another process');
  });

  it('meetingId pages see changes too', async () => {
    const series = all.find((r) => r.orgId === 'acme' && r.meetingSeriesId !== null && r.status === 'available')?.meetingSeriesId as string;
    const q = { meetingId: series, window: null, siteUrls: scope.siteUrls };
    const before = await firstPage(q);
    expect(before.length).toBeGreaterThan(0);
    const target = before[0] as Recording;
    await writer.ingestRecordings([{ recording: { ...target, hostDisplayName: 'Someone Else' }, statusGiven: true }], audit);
    expect((await firstPage(q)).find((r) => r.id === target.id)?.hostDisplayName).toBe('Someone Else');
  });
});

describe('RecordingCache (unit)', () => {
  const one = (over: Partial<Recording>): Recording => ({ ...(all[0] as Recording), ...over });

  it('finds a recording only by its whole clustered key', () => {
    const cache = new RecordingCache(10);
    const r = one({ id: 'x1', siteUrl: 'acme.webex.com', createTime: 1000 });
    cache.add(r);
    expect(cache.get('acme.webex.com', 1000, 'x1')).toBe(r);
    expect(cache.get('acme.webex.com', 1001, 'x1')).toBeUndefined();
    expect(cache.get('globex.webex.com', 1000, 'x1')).toBeUndefined();
    expect(cache.get('acme.webex.com', 1000, 'x2')).toBeUndefined();
  });

  it('two orgs with the same id never get each other\'s recording', () => {
    const cache = new RecordingCache(10);
    const acme = one({ id: 'same', orgId: 'acme', siteUrl: 'acme.webex.com', createTime: 1000 });
    const globex = one({ id: 'same', orgId: 'globex', siteUrl: 'globex.webex.com', createTime: 1000 });
    cache.add(acme);
    cache.add(globex);
    expect(cache.get('acme.webex.com', 1000, 'same')).toBeUndefined();
    expect(cache.get('globex.webex.com', 1000, 'same')).toBe(globex);
    cache.add(acme);
    expect(cache.get('acme.webex.com', 1000, 'same')).toBe(acme);
    expect(cache.get('globex.webex.com', 1000, 'same')).toBeUndefined();
  });

  it('finds a recording only at the version it was read at', () => {
    const cache = new RecordingCache(10);
    const r = one({ id: 'v1', siteUrl: 'acme.webex.com', createTime: 1000 });
    cache.add(r, '741');
    expect(cache.get('acme.webex.com', 1000, 'v1', '741')).toBe(r);
    expect(cache.get('acme.webex.com', 1000, 'v1', '742')).toBeUndefined();
    expect(cache.get('acme.webex.com', 1000, 'v1')).toBeUndefined();
    const updated = one({ id: 'v1', siteUrl: 'acme.webex.com', createTime: 1000, topic: 'Renamed' });
    cache.add(updated, '742');
    expect(cache.get('acme.webex.com', 1000, 'v1', '742')).toBe(updated);
    expect(cache.get('acme.webex.com', 1000, 'v1', '741')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('evicts the oldest entry when full and keeps the newest', () => {
    const cache = new RecordingCache(3);
    const rs = [1, 2, 3, 4].map((n) => one({ id: `r${n}`, createTime: n }));
    for (const r of rs) cache.add(r);
    expect(cache.get(rs[0]!.siteUrl, 1, 'r1')).toBeUndefined();
    for (const r of rs.slice(1)) expect(cache.get(r.siteUrl, r.createTime, r.id)).toBe(r);
    cache.clear();
    expect(cache.get(rs[3]!.siteUrl, 4, 'r4')).toBeUndefined();
  });

  it('spares an entry read since it was added: a one-off crawl does not push out a polled page', () => {
    const cache = new RecordingCache(100);
    const polled = Array.from({ length: 10 }, (_, n) => one({ id: `hot${n}`, createTime: n }));
    for (const r of polled) cache.add(r);
    // A crawler reads 2,000 recordings once each; the polled page is read every 50 of them.
    for (let n = 0; n < 2000; n++) {
      cache.add(one({ id: `crawl${n}`, createTime: 1000 + n }));
      if (n % 50 === 49) for (const r of polled) expect(cache.get(r.siteUrl, r.createTime, r.id)).toBe(r);
    }
    expect(cache.size).toBe(100);
    expect(cache.get(polled[0]!.siteUrl, 1000, 'crawl0')).toBeUndefined();
    expect(cache.get(polled[0]!.siteUrl, 2999, 'crawl1999')).toBeDefined();
  });

  it('spares a read entry once only: unread since, it is evicted on the next pass', () => {
    const cache = new RecordingCache(3);
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((n) => one({ id: `r${n}`, createTime: n })) as [Recording, Recording, Recording, Recording, Recording];
    for (const r of [a, b, c]) cache.add(r);
    expect(cache.get(a.siteUrl, 1, 'r1')).toBe(a);
    cache.add(d); // a is spared and moves behind c; b goes
    expect(cache.get(b.siteUrl, 2, 'r2')).toBeUndefined();
    cache.add(e); // c goes (oldest, unread)
    expect(cache.get(c.siteUrl, 3, 'r3')).toBeUndefined();
    cache.add(one({ id: 'r6', createTime: 6 })); // a, unread since it was spared, goes now
    expect(cache.get(a.siteUrl, 1, 'r1')).toBeUndefined();
    expect(cache.get(d.siteUrl, 4, 'r4')).toBe(d);
    expect(cache.get(e.siteUrl, 5, 'r5')).toBe(e);
  });

  it('when every entry was read, one pass clears them all and the oldest goes', () => {
    const cache = new RecordingCache(3);
    const rs = [1, 2, 3].map((n) => one({ id: `r${n}`, createTime: n }));
    for (const r of rs) cache.add(r);
    for (const r of rs) cache.get(r.siteUrl, r.createTime, r.id);
    cache.add(one({ id: 'r4', createTime: 4 }));
    expect(cache.size).toBe(3);
    expect(cache.get(rs[0]!.siteUrl, 1, 'r1')).toBeUndefined();
    // r2 is read again (above); r3, spared but unread since, is the next to go.
    expect(cache.get(rs[1]!.siteUrl, 2, 'r2')).toBe(rs[1]);
    cache.add(one({ id: 'r5', createTime: 5 }));
    expect(cache.get(rs[2]!.siteUrl, 3, 'r3')).toBeUndefined();
    expect(cache.get(rs[1]!.siteUrl, 2, 'r2')).toBe(rs[1]);
  });
});
