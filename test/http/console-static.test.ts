import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { findConsoleDir } from '../../src/http/console.js';
import { API_CSP, CONSOLE_CSP } from '../../src/http/security-headers.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { baseDocument, NOW, TOKENS } from '../helpers/fixture.js';
import { expectWebexError, request } from '../helpers/http.js';

// A stand-in build (the real one is exercised by test/console/): routing and headers do not
// depend on what the files hold.
let dir: string;
let app: App;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app-1a2b.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log("hi")');
  store = SqliteStore.open(':memory:');
  await store.importDataset(parseImportDocument(baseDocument([]), await store.knownEntities(), NOW));
  app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'console-static-test', consoleDir: dir } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console served at /', () => {
  it('GET / returns index.html with the console CSP, no-cache and the common security headers', async () => {
    const res = await request(app, 'GET', '/');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(res.body).toContain('assets/app-1a2b.js');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['trackingid'])).toMatch(/^RECVAULT_/);
  });

  it('the console CSP forbids inline scripts and styles, framing and other origins', () => {
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).toContain("style-src 'self';");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('GET /?site=… (a bookmarked view) serves the same page', async () => {
    const res = await request(app, 'GET', '/?site=a.example.com&status=deleted&tz=Europe%2FBerlin');
    expect(res.status).toBe(200);
    expect(res.body).toContain('assets/app-1a2b.js');
  });

  it('hashed assets are cacheable for good', async () => {
    const res = await request(app, 'GET', '/assets/app-1a2b.js');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('unknown paths, beside the console or under /v1, keep the Webex 404 and the API CSP', async () => {
    for (const path of ['/nope', '/assets/missing.js', '/v1/nope', '/v1/admin/recordingz', '/index.htm']) {
      const res = await request(app, 'GET', path);
      expectWebexError(res, 404);
      expect(res.headers['content-security-policy']).toBe(API_CSP);
    }
  });

  it('a write to the console is a 405 with Allow; API 405s are unchanged', async () => {
    const res = await request(app, 'POST', '/');
    expectWebexError(res, 405);
    expect(res.headers['allow']).toBe('GET, HEAD');
    const api = await request(app, 'PUT', '/v1/admin/recordings', { authorization: `Bearer ${TOKENS.co}` });
    expectWebexError(api, 405);
  });

  it('path traversal does not leave the console directory', async () => {
    for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json']) {
      const res = await request(app, 'GET', path);
      expect(res.status).not.toBe(200);
    }
  });

  it('the API, /openapi.json and /docs keep working beside it', async () => {
    expect((await request(app, 'GET', '/v1/meetingPreferences/sites', { authorization: `Bearer ${TOKENS.co}` })).status).toBe(200);
    expect((await request(app, 'GET', '/openapi.json')).status).toBe(200);
    const docs = await request(app, 'GET', '/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-security-policy']).not.toBe(CONSOLE_CSP);
    // Served over plain HTTP on a LAN address, an upgrade to HTTPS would leave the page blank.
    for (const path of ['/docs/', '/docs/static/index.css']) {
      const csp = String((await request(app, 'GET', path)).headers['content-security-policy'] ?? '');
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('findConsoleDir', () => {
  it('is null for a directory without index.html (an unbuilt checkout), else the directory', () => {
    expect(findConsoleDir(join(dir, 'assets'))).toBeNull();
    expect(findConsoleDir(dir)).toBe(dir);
  });
});
