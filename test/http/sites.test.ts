import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TOKENS, type TestServer } from '../helpers/fixture.js';
import { expectWebexError, get, JSON_UTF8, REFERENCE_DOC, SITES } from '../helpers/http.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer([{ id: 's1', createTime: '2021-03-16T10:00:00Z' }]);
});
afterAll(async () => {
  await s.close();
});

type Site = { siteUrl: string; default: boolean };

async function sites(token: string): Promise<Site[]> {
  const res = await get(s.app, SITES, token);
  expect(res.status, res.body).toBe(200);
  expect(res.headers['content-type']).toBe(JSON_UTF8);
  expect(Object.keys(res.json)).toEqual(['sites']);
  const list = res.json.sites as Site[];
  for (const site of list) {
    expect(Object.keys(site).sort()).toEqual(['default', 'siteUrl']);
    expect(typeof site.siteUrl).toBe('string');
    expect(typeof site.default).toBe('boolean');
  }
  expect(list.filter((x) => x.default), 'exactly one default site').toHaveLength(1);
  return [...list].sort((x, y) => x.siteUrl.localeCompare(y.siteUrl));
}

describe('GET /v1/meetingPreferences/sites', () => {
  it('an admin lists the sites on their person record; the preferred one is the default', async () => {
    expect(await sites(TOKENS.adminOne)).toEqual([{ siteUrl: 'b.example.com', default: true }]);
    expect(await sites(TOKENS.adminAll)).toEqual([
      { siteUrl: 'a.example.com', default: true },
      { siteUrl: 'b.example.com', default: false },
    ]);
  });

  it('a compliance officer lists every site of the org', async () => {
    expect(await sites(TOKENS.co)).toEqual([
      { siteUrl: 'a.example.com', default: false },
      { siteUrl: 'b.example.com', default: true },
    ]);
    expect(await sites(TOKENS.coAndAdmin)).toEqual([
      { siteUrl: 'a.example.com', default: false },
      { siteUrl: 'b.example.com', default: true },
    ]);
  });

  it('a caller without a preferred site still gets exactly one default', async () => {
    expect(await sites(TOKENS.otherCo)).toEqual([{ siteUrl: 'z.example.com', default: true }]);
  });

  it('meeting:preferences_read is enough', async () => {
    expect(await sites(TOKENS.userPrefs)).toEqual([{ siteUrl: 'a.example.com', default: true }]);
  });

  it('never lists another org’s sites', async () => {
    expect(await sites(TOKENS.otherAdmin)).toEqual([{ siteUrl: 'z.example.com', default: true }]);
    const acme = await get(s.app, SITES, TOKENS.co);
    expect(acme.body).not.toContain('z.example.com');
  });

  it('the default site is the one the list uses when siteUrl is omitted', async () => {
    for (const token of [TOKENS.adminOne, TOKENS.adminAll, TOKENS.co, TOKENS.otherCo]) {
      const def = (await sites(token)).find((x) => x.default)?.siteUrl;
      const list = await get(s.app, '/v1/admin/recordings?max=1', token);
      expect(list.status).toBe(200);
      const link = await get(s.app, `/v1/admin/recordings?max=1&siteUrl=${def}`, token);
      expect(list.body).toBe(link.body);
    }
  });

  it('a token with neither a preferences scope nor an admin/compliance read scope → 403', async () => {
    expectWebexError(await get(s.app, SITES, TOKENS.user), 403);
  });

  it('validates against the reference SitesObject', async () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(REFERENCE_DOC.components.schemas['SitesObject'] as object);
    for (const token of [TOKENS.adminOne, TOKENS.adminAll, TOKENS.co, TOKENS.userPrefs, TOKENS.otherCo]) {
      const res = await get(s.app, SITES, token);
      expect(validate(res.json), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
