import type { FastifyInstance, FastifyReply } from 'fastify';
import { routedPath } from './request-path.js';

/** A JSON API is never rendered, framed or cached by a browser: the strictest policy fits it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The web console's pages: its own scripts, styles and API calls only; no inline script or style,
 * no framing, no form posts, no plugins. `img-src data:` admits the empty inline favicon.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Paths that serve the human-readable reference (HTML, JS, CSS): they keep Swagger UI's own CSP. */
const DOCS_PREFIX = '/docs';

function isDocs(path: string): boolean {
  return path === DOCS_PREFIX || path.startsWith(`${DOCS_PREFIX}/`);
}

/**
 * Sets the security headers of one response, by the path the request is served under (see
 * `routedPath`). Exported so responses written outside the hook chain (router-level errors such
 * as a malformed URL) get the same headers.
 */
export function applySecurityHeaders(reply: FastifyReply, path: string): void {
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Frame-Options', 'DENY');
  if (path.startsWith('/v1/')) reply.header('Cache-Control', 'no-store');
  if (!isDocs(path) && !reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', API_CSP);
}

/**
 * Security headers suited to a JSON API with an HTML reference at /docs:
 * - every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`;
 * - `/v1/*`: `Cache-Control: no-store` (recordings and tokens must not sit in shared caches);
 * - everything but `/docs`: `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`.
 *   `/docs` serves Swagger UI's HTML and scripts and keeps the CSP @fastify/swagger-ui sets.
 * No CORS headers are added: cross-origin browser access stays off. The web console (when served)
 * replaces the CSP on its own files with `CONSOLE_CSP` (see console.ts).
 *
 * Call it on the root instance before routes are registered (so every route, the 404/405
 * handler and error replies get the headers).
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise to settle on every request.
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(reply, routedPath(request));
    done();
  });
}
