import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestServer, TOKENS, type TestServer } from '../helpers/fixture.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer([
    { id: 'a1', createTime: '2021-03-16T10:00:00Z', preventDownload: true, integrationTags: ['T', { tag: 'ZD', clientId: 'zendesk-app' }] },
    { id: 'a2', createTime: '2021-03-16T09:00:00Z', status: 'purged' },
    { id: 'a3', createTime: '2021-03-16T09:00:00Z', hostEmail: 'bob@acme.example' },
    { id: 'b1', site: 'b.example.com', createTime: '2021-03-16T10:00:00Z' },
    { id: 'z1', site: 'z.example.com', createTime: '2021-03-16T10:00:00Z' },
  ]);
});
afterAll(async () => {
  await s.close();
});

const get = (id: string, token: string, headers: Record<string, string> = {}) =>
  s.app.inject({ url: `/v1/recordings/${id}`, headers: { ...auth(token), ...headers } });

describe('GET /v1/recordings/{id}', () => {
  it('returns the list item shape, rendered in the timezone header', async () => {
    const res = await get('a1', TOKENS.zendesk, { timezone: 'America/New_York' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    const item = res.json();
    expect(item.createTime).toBe('2021-03-16T06:00:00-04:00');
    expect(item).not.toHaveProperty('downloadUrl');
    expect(item.integrationTags).toEqual(['T', 'ZD']);
    const listed = await s.app.inject({ url: '/v1/admin/recordings?siteUrl=a.example.com', headers: { ...auth(TOKENS.zendesk), timezone: 'America/New_York' } });
    expect(listed.json().items.find((i: { id: string }) => i.id === 'a1')).toEqual(item);
  });

  it('writes the fields in the list item\'s order, byte for byte the item the list writes', async () => {
    for (const id of ['a1', 'a3']) {
      const details = await get(id, TOKENS.co);
      const listed = await s.app.inject({ url: '/v1/admin/recordings?siteUrl=a.example.com&status=available', headers: auth(TOKENS.co) });
      const item = (listed.json().items as Array<{ id: string }>).find((i) => i.id === id);
      expect(details.body).toBe(JSON.stringify(item));
    }
  });

  it('admin: own sites only, never purged; CO: whole org incl. purged', async () => {
    expect((await get('b1', TOKENS.adminOne)).statusCode).toBe(200);
    expect((await get('a1', TOKENS.adminOne)).statusCode).toBe(404);
    expect((await get('a2', TOKENS.adminAll)).statusCode).toBe(404);
    expect((await get('a2', TOKENS.co)).json().status).toBe('purged');
    expect((await get('b1', TOKENS.co)).statusCode).toBe(200);
  });

  it('a host with the own-read scope sees only recordings they hosted', async () => {
    expect((await get('a1', TOKENS.host)).statusCode).toBe(200);
    expect((await get('a3', TOKENS.host)).statusCode).toBe(404);
  });

  it('another org\'s id looks exactly like an unknown id', async () => {
    const foreign = await get('z1', TOKENS.co);
    const unknown = await get('zz', TOKENS.co);
    expect(foreign.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(foreign.json().message.replace('z1', 'X')).toBe(unknown.json().message.replace('zz', 'X'));
    expect(foreign.body).not.toContain('z.example.com');
  });

  it('403 without a read scope, 401 without a token, 400 for a bad zone', async () => {
    expect((await get('a1', TOKENS.userPrefs)).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/v1/recordings/a1' })).statusCode).toBe(401);
    expect((await get('a1', TOKENS.co, { timezone: 'Mars/Base' })).statusCode).toBe(400);
  });
});
