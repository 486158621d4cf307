import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, startTestServer, TOKENS, type TestServer } from '../helpers/fixture.js';
import { expectWebexError, get, JSON_UTF8 } from '../helpers/http.js';

const ME = '/v1/recvault/me';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer([]);
});
afterAll(async () => {
  await s.close();
});

describe('GET /v1/recvault/me', () => {
  it('describes a compliance officer with admin write: person, org, role, sorted scopes, recycle-bin access, server clock', async () => {
    const res = await get(s.app, ME, TOKENS.coWrite);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(String(res.headers['trackingid'])).toMatch(/^RECVAULT_/);
    expect(res.json).toEqual({
      person: { id: 'co', displayName: 'co', email: 'co@acme.example' },
      org: { id: 'acme', name: 'Acme' },
      role: 'complianceOfficer',
      scopes: ['meeting:admin_recordings_write', 'spark-compliance:meetings_read'],
      integrationClientId: null,
      recycleBin: 'sites',
      serverTime: new Date(NOW).toISOString(),
    });
  });

  it.each([
    [TOKENS.adminAll, 'admin', 'none', null],
    [TOKENS.coAndAdmin, 'complianceOfficer', 'none', null],
    [TOKENS.adminWriteOne, 'admin', 'sites', null],
    [TOKENS.host, 'none', 'own', null],
    [TOKENS.userPrefs, 'none', 'none', null],
    [TOKENS.zendesk, 'admin', 'none', 'zendesk-app'],
  ])('token %s → role %s, recycle bin %s, client %s', async (token, role, recycleBin, clientId) => {
    const res = await get(s.app, ME, token);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ role, recycleBin, integrationClientId: clientId });
  });

  it('another org’s token sees only its own org', async () => {
    const res = await get(s.app, ME, TOKENS.otherAdmin);
    expect(res.json).toMatchObject({ person: { id: 'other-admin' }, org: { id: 'other', name: 'Other Org' } });
  });

  it('follows the injected clock', async () => {
    s.setNow(NOW + 86_400_000);
    try {
      expect((await get(s.app, ME, TOKENS.co)).json.serverTime).toBe(new Date(NOW + 86_400_000).toISOString());
    } finally {
      s.setNow(NOW);
    }
  });

  it.each([
    ['no token', null],
    ['an unknown token', 'tok-nobody'],
    ['an expired token', TOKENS.expired],
  ])('%s → 401 with the Webex error body', async (_name, token) => {
    const res = await get(s.app, ME, token);
    expectWebexError(res, 401);
    expect(res.json.trackingId).toBe(res.headers['trackingid']);
  });

  it('other methods → 405 with Allow', async () => {
    const res = await s.app.inject({ method: 'POST', url: ME, headers: { authorization: `Bearer ${TOKENS.co}` } });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
  });

  it('is in the served OpenAPI document', async () => {
    const doc = (await get(s.app, '/openapi.json', null)).json as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths[ME]?.['get']).toBeDefined();
  });
});
