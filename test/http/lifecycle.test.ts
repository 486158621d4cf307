import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { execRaw } from '../helpers/test-store.js';

const RECORDINGS: RecordingSpec[] = [
  { id: 'a1', createTime: '2021-03-16T10:00:00Z' },
  { id: 'a2', createTime: '2021-03-16T09:00:00Z' },
  { id: 'a3', createTime: '2021-03-16T08:00:00Z', status: 'deleted' },
  { id: 'a4', createTime: '2021-03-16T07:00:00Z', status: 'deleted' },
  { id: 'a5', createTime: '2021-03-16T06:00:00Z', status: 'purged' },
  { id: 'a6', createTime: '2021-03-16T05:00:00Z', hostEmail: 'bob@acme.example' },
  { id: 'a7', createTime: '2021-03-16T04:00:00Z', hostEmail: 'bob@acme.example', status: 'deleted' },
  { id: 'b1', site: 'b.example.com', createTime: '2021-03-16T10:00:00Z' },
  { id: 'b2', site: 'b.example.com', createTime: '2021-03-16T09:00:00Z', status: 'deleted' },
  { id: 'z1', site: 'z.example.com', createTime: '2021-03-16T10:00:00Z' },
];

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer(RECORDINGS);
});
afterEach(async () => {
  await s.close();
});

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return s.app.inject({ method: 'POST', url: path, headers: { ...auth(token), ...headers }, payload: body as object });
}

async function statusOf(id: string): Promise<string | null> {
  const r = await s.store.getRecording(id.startsWith('z') ? 'other' : 'acme', id);
  return r === null ? null : r.adminDeleted ? `${r.status}+adminDeleted` : r.status;
}

async function statuses(ids: string[]): Promise<Record<string, string | null>> {
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await statusOf(id)] as const)));
}

const ALL = RECORDINGS.map((r) => r.id);

describe('POST /v1/recordings/softDelete', () => {
  it('moves available recordings to the recycle bin and answers 204 with no body', async () => {
    const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a1', 'a2'] });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['trackingid']).toBeTruthy();
    expect(await statuses(['a1', 'a2'])).toEqual({ a1: 'deleted', a2: 'deleted' });
  });

  it('is a no-op for an already deleted recording', async () => {
    const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a3', 'a1'] });
    expect(res.statusCode).toBe(204);
    expect(await statuses(['a1', 'a3'])).toEqual({ a1: 'deleted', a3: 'deleted' });
  });

  it('409 for a purged recording and nothing changes', async () => {
    const before = await statuses(ALL);
    const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a1', 'a5'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('a5');
    expect(await statuses(ALL)).toEqual(before);
  });

  it('404 when one id is unknown, on another site, or of another org — and nothing changes', async () => {
    const before = await statuses(ALL);
    for (const foreign of ['nope', 'b1', 'z1']) {
      const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a1', foreign] });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ description: expect.any(String) }], trackingId: res.headers['trackingid'] });
    }
    expect(await statuses(ALL)).toEqual(before);
  });

  it('the same 404 message shape for an unknown id and another org\'s id', async () => {
    const unknown = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['qq'] });
    const foreign = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['z1'] });
    expect(unknown.json().message.replace('qq', 'ID')).toBe(foreign.json().message.replace('z1', 'ID'));
  });

  it('acts on siteUrl when given', async () => {
    const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['b1'], siteUrl: 'b.example.com' });
    expect(res.statusCode).toBe(204);
    expect(await statusOf('b1')).toBe('deleted');
  });

  it('siteUrl in any letter case names the site (host names are case-insensitive), for admins and for hosts', async () => {
    expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['b1'], siteUrl: 'B.Example.com' })).statusCode).toBe(204);
    expect(await statusOf('b1')).toBe('deleted');
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { recordingIds: ['b1'], siteUrl: 'B.EXAMPLE.COM' })).statusCode).toBe(204);
    expect(await statusOf('b1')).toBe('available');
  });

  it('defaults to the preferred site (admin-one: b.example.com)', async () => {
    const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteOne, { recordingIds: ['b1'] });
    expect(res.statusCode).toBe(204);
    expect(await statusOf('b1')).toBe('deleted');
  });

  it('403 for a site the admin does not manage or of another org', async () => {
    for (const siteUrl of ['a.example.com', 'z.example.com', 'nope.example.com']) {
      const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteOne, { recordingIds: ['a1'], siteUrl });
      expect(res.statusCode).toBe(403);
    }
    expect(await statusOf('a1')).toBe('available');
  });

  it('size is checked before existence: 101 ids → 400; 0 ids → 400', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `missing-${i}`);
    expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ids })).statusCode).toBe(400);
    expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: [] })).statusCode).toBe(400);
    expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, {})).statusCode).toBe(400);
  });

  it('100 ids are accepted by size (then 404 for unknown ones)', async () => {
    const ids = ['a1', ...Array.from({ length: 99 }, (_, i) => `missing-${i}`)];
    expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ids })).statusCode).toBe(404);
  });

  it('400 for a body that does not match BulkSoftDeleteRecordingObject', async () => {
    for (const body of [{ recordingIds: 'a1' }, { recordingIds: [1] }, { recordingIds: ['a1'], siteUrl: 5 }, [] as unknown]) {
      const res = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().trackingId).toBe(res.headers['trackingid']);
    }
    expect(await statusOf('a1')).toBe('available');
  });

  it('400 for malformed JSON, 415 for a non-JSON body, 413 for an oversized one', async () => {
    const bad = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' }, payload: '{"recordingIds": [' });
    expect(bad.statusCode).toBe(400);
    const text = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'text/plain' }, payload: 'a1' });
    expect(text.statusCode).toBe(415);
    expect(text.json().trackingId).toBe(text.headers['trackingid']);
    const huge = JSON.stringify({ recordingIds: ['a1'], pad: 'x'.repeat(200_000) });
    const big = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' }, payload: huge });
    expect(big.statusCode).toBe(413);
    expect(await statusOf('a1')).toBe('available');
  });

  it('scopes: read-only admin → 403, no token → 401, revoked/unknown → 401', async () => {
    expect((await post('/v1/recordings/softDelete', TOKENS.adminAll, { recordingIds: ['a1'] })).statusCode).toBe(403);
    const anon = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete', payload: { recordingIds: ['a1'] } });
    expect(anon.statusCode).toBe(401);
    expect((await post('/v1/recordings/softDelete', 'not-a-token-at-all', { recordingIds: ['a1'] })).statusCode).toBe(401);
    expect(await statusOf('a1')).toBe('available');
  });

  it('hostEmail narrows an admin to one host', async () => {
    const other = await post('/v1/recordings/softDelete?hostEmail=bob%40acme.example', TOKENS.adminWriteAll, { recordingIds: ['a1'] });
    expect(other.statusCode).toBe(404);
    const own = await post('/v1/recordings/softDelete?hostEmail=BOB%40acme.example', TOKENS.adminWriteAll, { recordingIds: ['a6'] });
    expect(own.statusCode).toBe(204);
    expect(await statusOf('a6')).toBe('deleted');
  });

  it('a host with meeting:recordings_write acts only on recordings they hosted', async () => {
    expect((await post('/v1/recordings/softDelete', TOKENS.host, { recordingIds: ['a6'] })).statusCode).toBe(404);
    expect((await post('/v1/recordings/softDelete?hostEmail=bob%40acme.example', TOKENS.host, { recordingIds: ['a6'] })).statusCode).toBe(403);
    expect((await post('/v1/recordings/softDelete', TOKENS.host, { recordingIds: ['a1'] })).statusCode).toBe(204);
    expect(await statusOf('a1')).toBe('deleted');
    expect(await statusOf('a6')).toBe('available');
  });

  it('other org\'s write admin cannot touch acme recordings', async () => {
    expect((await post('/v1/recordings/softDelete', TOKENS.otherWrite, { recordingIds: ['a1'] })).statusCode).toBe(404);
    expect((await post('/v1/recordings/softDelete', TOKENS.otherWrite, { recordingIds: ['a1'], siteUrl: 'a.example.com' })).statusCode).toBe(403);
    expect(await statusOf('a1')).toBe('available');
  });
});

describe('POST /v1/recordings/restore and /purge', () => {
  it('restore: deleted → available; available is a no-op; purged → 409', async () => {
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { recordingIds: ['a3', 'a1'] })).statusCode).toBe(204);
    expect(await statuses(['a1', 'a3'])).toEqual({ a1: 'available', a3: 'available' });
    const before = await statuses(ALL);
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { recordingIds: ['a4', 'a5'] })).statusCode).toBe(409);
    expect(await statuses(ALL)).toEqual(before);
  });

  it('purge: deleted → purged; purged is a no-op; available → 409', async () => {
    expect((await post('/v1/recordings/purge', TOKENS.adminWriteAll, { recordingIds: ['a3', 'a5'] })).statusCode).toBe(204);
    expect(await statuses(['a3', 'a5'])).toEqual({ a3: 'purged', a5: 'purged' });
    const before = await statuses(ALL);
    expect((await post('/v1/recordings/purge', TOKENS.adminWriteAll, { recordingIds: ['a4', 'a1'] })).statusCode).toBe(409);
    expect(await statuses(ALL)).toEqual(before);
  });

  it('restoreAll restores the whole recycle bin of the site only', async () => {
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { restoreAll: true })).statusCode).toBe(204);
    expect(await statuses(['a3', 'a4', 'a7', 'a5', 'b2'])).toEqual({ a3: 'available', a4: 'available', a7: 'available', a5: 'purged', b2: 'deleted' });
  });

  it('purgeAll with hostEmail purges only that host\'s recycle bin', async () => {
    expect((await post('/v1/recordings/purge?hostEmail=bob%40acme.example', TOKENS.adminWriteAll, { purgeAll: true })).statusCode).toBe(204);
    expect(await statuses(['a3', 'a4', 'a7'])).toEqual({ a3: 'deleted', a4: 'deleted', a7: 'purged' });
  });

  it('restoreAll/purgeAll with recordingIds → 400; neither flag nor ids → 400', async () => {
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { restoreAll: true, recordingIds: ['a3'] })).statusCode).toBe(400);
    expect((await post('/v1/recordings/purge', TOKENS.adminWriteAll, { purgeAll: true, recordingIds: ['a3'] })).statusCode).toBe(400);
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, {})).statusCode).toBe(400);
    expect((await post('/v1/recordings/purge', TOKENS.adminWriteAll, { purgeAll: false })).statusCode).toBe(400);
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { restoreAll: 'yes' })).statusCode).toBe(400);
    expect(await statusOf('a3')).toBe('deleted');
  });

  it('restoreAll with recordingIds: [] is accepted', async () => {
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { restoreAll: true, recordingIds: [] })).statusCode).toBe(204);
    expect(await statusOf('a3')).toBe('available');
  });
});

describe('DELETE /v1/admin/recordings/{id}', () => {
  async function list(token: string, status: string) {
    const res = await s.app.inject({ url: `/v1/admin/recordings?siteUrl=a.example.com&status=${status}&max=100`, headers: auth(token) });
    return (res.json().items as { id: string; status: string }[]).map((i) => `${i.id}:${i.status}`);
  }

  it('vanishes for admins for good and stays visible to a CO as purged', async () => {
    const res = await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.adminWriteAll) });
    expect(res.statusCode).toBe(204);
    expect(await list(TOKENS.adminAll, 'available')).not.toContain('a1:available');
    expect(await list(TOKENS.adminAll, 'deleted')).not.toContain('a1:deleted');
    expect(await list(TOKENS.co, 'purged')).toContain('a1:purged');
    const details = await s.app.inject({ url: '/v1/recordings/a1', headers: auth(TOKENS.adminAll) });
    expect(details.statusCode).toBe(404);
    const coDetails = await s.app.inject({ url: '/v1/recordings/a1', headers: auth(TOKENS.co) });
    expect(coDetails.json().status).toBe('purged');
    // "for good": not restorable by an admin, and a second delete is a 404.
    expect((await post('/v1/recordings/restore', TOKENS.adminWriteAll, { recordingIds: ['a1'] })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.adminWriteAll) })).statusCode).toBe(404);
  });

  it('works on deleted and purged recordings too', async () => {
    for (const id of ['a3', 'a5']) {
      expect((await s.app.inject({ method: 'DELETE', url: `/v1/admin/recordings/${id}`, headers: auth(TOKENS.adminWriteAll) })).statusCode).toBe(204);
      expect(await statusOf(id)).toBe('purged+adminDeleted');
    }
  });

  it('403 without the write-admin scope; 404 for other sites and orgs; nothing changes', async () => {
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.adminAll) })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.host) })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.adminWriteOne) })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: auth(TOKENS.otherWrite) })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1' })).statusCode).toBe(401);
    expect(await statusOf('a1')).toBe('available');
  });
});

describe('audit trail', () => {
  it('writes one row per change with who, what, from → to and the tracking id; none for no-ops or failures', async () => {
    const ok = await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a1', 'a3'] });
    await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a2', 'a5'] });
    const del = await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a2', headers: auth(TOKENS.adminWriteAll) });
    const rows = await s.store.listAudit(null, 100);
    expect(rows.map((r) => [r.action, r.recordingId, r.fromStatus, r.toStatus, r.personId, r.trackingId])).toEqual([
      ['softDelete', 'a1', 'available', 'deleted', 'admin-all', ok.headers['trackingid']],
      ['adminDelete', 'a2', 'available', 'purged', 'admin-all', del.headers['trackingid']],
    ]);
    expect(rows.every((r) => r.tokenId !== null && r.orgId === 'acme')).toBe(true);
  });

  it('a restoreAll/purgeAll batch is audited newest first (createTime, then id), whatever order the engine reads the recycle bin in', async () => {
    // Moved to the bin in an order unlike the listing's, so neither insertion nor id order passes by chance.
    for (const id of ['a6', 'a1', 'a2']) expect((await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: [id] })).statusCode).toBe(204);
    expect((await post('/v1/recordings/purge', TOKENS.adminWriteAll, { purgeAll: true })).statusCode).toBe(204);
    const purged = (await s.store.listAudit(null, 100)).filter((r) => r.action === 'purgeAll');
    expect(purged.map((r) => r.recordingId)).toEqual(['a1', 'a2', 'a3', 'a4', 'a6', 'a7']);
  });

  it('rows cannot be updated or deleted', async () => {
    await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: ['a1'] });
    await expect(execRaw(s.store, "UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(execRaw(s.store, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await s.store.listAudit(null, 10)).toHaveLength(1);
  });
});

describe('paging while recordings move between states', () => {
  it('a client paging the available list never sees an item twice or misses one that stayed', async () => {
    const specs: RecordingSpec[] = Array.from({ length: 40 }, (_, i) => ({ id: `p${String(i).padStart(2, '0')}`, createTime: new Date(Date.parse('2021-03-15T00:00:00Z') + Math.floor(i / 3) * 60_000).toISOString() }));
    await s.close();
    s = await startTestServer(specs);
    const seen: string[] = [];
    let url: string | null = '/v1/admin/recordings?max=3&siteUrl=a.example.com';
    let step = 0;
    const moved = new Set<string>();
    while (url !== null) {
      const res = await s.app.inject({ url, headers: auth(TOKENS.adminWriteAll) });
      expect(res.statusCode).toBe(200);
      seen.push(...(res.json().items as { id: string }[]).map((i) => i.id));
      // Between pages, soft-delete one item ahead of the cursor and restore an earlier one.
      const ahead = specs[specs.length - 1 - (seen.length + 2)]?.id;
      if (ahead !== undefined && step % 2 === 0) {
        await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: [ahead] });
        moved.add(ahead);
      }
      if (step % 3 === 1 && seen[0] !== undefined) {
        await post('/v1/recordings/softDelete', TOKENS.adminWriteAll, { recordingIds: [seen[0]] });
        await post('/v1/recordings/restore', TOKENS.adminWriteAll, { recordingIds: [seen[0]] });
      }
      step++;
      const link = res.headers['link'] as string | undefined;
      url = link === undefined ? null : new URL(link.slice(1, link.indexOf('>'))).pathname + new URL(link.slice(1, link.indexOf('>'))).search;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const stayed = specs.map((r) => r.id).filter((id) => !moved.has(id));
    for (const id of stayed) expect(seen).toContain(id);
    const expectedOrder = [...seen].sort((x, y) => {
      const cx = specs.find((r) => r.id === x)!.createTime;
      const cy = specs.find((r) => r.id === y)!.createTime;
      return cx === cy ? (x < y ? 1 : -1) : cx < cy ? 1 : -1;
    });
    expect(seen).toEqual(expectedOrder);
  });
});
