import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_CSP } from './security-headers.js';

/**
 * Where `npm run build` puts the web console: `dist/console/` of the package. Both `src/http/`
 * (tests) and `dist/http/` (the CLI) sit two levels below the package root.
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** The built console directory, or `null` when it has not been built (the API is served without it). */
export function findConsoleDir(dir: string = DEFAULT_CONSOLE_DIR): string | null {
  return existsSync(`${dir}/index.html`) ? dir : null;
}

/** Vite names bundled files after their content, so a browser may keep them for good. */
const HASHED_ASSETS = '/assets/';

/**
 * Serves the built single-page console at `/` from `dir`. Every file gets an exact route (no
 * wildcard), so any other path still reaches the API's Webex-shaped 404/405 handler, and the
 * console's files get their own CSP (replacing the API's `default-src 'none'`) and caching.
 */
export async function installConsole(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(async (scope) => {
    // Runs after the root hooks (security headers), so these values win for console files only.
    scope.addHook('onRequest', async (request, reply) => {
      reply.header('Content-Security-Policy', CONSOLE_CSP);
      const path = request.url.split('?')[0] ?? '/';
      reply.header('Cache-Control', path.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache');
    });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      decorateReply: false,
      serveDotFiles: false,
      schemaHide: true,
    });
  });
}
