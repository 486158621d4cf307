import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/fixture.js';
import { get, pathOf, REFERENCE_DOC } from '../helpers/http.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer([]);
});
afterAll(async () => {
  await s.close();
});

interface Param {
  name: string;
  in: string;
  schema?: { enum?: string[]; minimum?: number; maximum?: number };
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3 document with both paths and the list query parameters', async () => {
    const res = await get(s.app, '/openapi.json', null);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const doc = res.json as { openapi: string; paths: Record<string, Record<string, { parameters?: Param[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/admin/recordings', '/v1/meetingPreferences/sites']));
    const op = doc.paths['/v1/admin/recordings']?.get;
    expect(op).toBeDefined();
    expect(doc.paths['/v1/meetingPreferences/sites']?.get).toBeDefined();
    const params = op?.parameters ?? [];
    const query = params.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query).toEqual(
      expect.arrayContaining(['max', 'from', 'to', 'meetingId', 'siteUrl', 'integrationTag', 'topic', 'format', 'serviceType', 'status']),
    );
    const byName = new Map(params.map((p) => [p.name, p]));
    expect(byName.get('format')?.schema?.enum).toEqual(['MP4', 'ARF', 'UPLOADED']);
    expect(byName.get('status')?.schema?.enum).toEqual(['available', 'deleted', 'purged']);
    expect(byName.get('max')?.schema).toMatchObject({ minimum: 1, maximum: 100 });
    expect(params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'timezone')).toBe(true);
  });

  it('names the media type the API sends and the headers clients rely on: TrackingID everywhere, Link on a list page, Retry-After on 429/503', async () => {
    type Response = { content?: Record<string, unknown>; headers?: Record<string, unknown> };
    const doc = (await get(s.app, '/openapi.json', null)).json as { paths: Record<string, Record<string, { responses: Record<string, Response> }>> };
    const list = doc.paths['/v1/admin/recordings']?.get?.responses ?? {};
    expect(Object.keys(list['200']?.content ?? {})).toEqual(['application/json;charset=UTF-8']);
    expect(Object.keys(list['200']?.headers ?? {}).sort()).toEqual(['Link', 'TrackingID']);
    expect(Object.keys(list['429']?.headers ?? {}).sort()).toEqual(['Retry-After', 'TrackingID']);
    expect(Object.keys(list['401']?.headers ?? {}).sort()).toEqual(['TrackingID', 'WWW-Authenticate']);
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          checked++;
          expect(response.headers, `${method} ${path} ${status}`).toHaveProperty('TrackingID');
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).not.toContain('application/json');
          if (status === '503') expect(response.headers, `${method} ${path} ${status}`).toHaveProperty('Retry-After');
          if (status === '200' && !(method === 'get' && path === '/v1/admin/recordings')) expect(response.headers).not.toHaveProperty('Link');
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('does not copy the reference document’s prose', async () => {
    const res = await get(s.app, '/openapi.json', null);
    const ours = new Set<string>();
    const refs = new Set<string>();
    const collect = (node: unknown, into: Set<string>) => {
      if (Array.isArray(node)) node.forEach((n) => collect(n, into));
      else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if ((k === 'description' || k === 'summary') && typeof v === 'string' && v.length > 30) into.add(v.trim());
          collect(v, into);
        }
      }
    };
    collect(res.json, ours);
    collect(REFERENCE_DOC, refs);
    const copied = [...ours].filter((d) => refs.has(d));
    expect(copied).toEqual([]);
  });
});

describe('GET /docs', () => {
  it('returns HTML (after at most a couple of redirects)', async () => {
    let res = await get(s.app, '/docs', null);
    for (let i = 0; i < 3 && res.status >= 300 && res.status < 400; i++) {
      const location = String(res.headers['location']);
      res = await get(s.app, location.startsWith('http') ? pathOf(location) : location.startsWith('/') ? location : `/docs/${location}`, null);
    }
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(res.body.toLowerCase()).toContain('<html');
  });
});
