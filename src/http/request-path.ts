import type { FastifyRequest } from 'fastify';

/**
 * The path a request is served under, as the router read it: the matched route's pattern, or
 * for a request no route matched its decoded path. Deciding by a prefix of the raw URL let
 * `/%761/admin/recordings` or an absolute-form target (`GET http://host/v1/…`) reach `/v1/`
 * routes while counting as something else (no rate limit, no `Cache-Control: no-store`).
 */
export function routedPath(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  return route === undefined || route === '*' || route === '/*' ? decodedPath(request.url) : route;
}

/** Whether a request is served by the API (`/v1/…`): the part that is rate-limited, never cached and open to fault injection. */
export function isApiRequest(request: FastifyRequest): boolean {
  return routedPath(request).startsWith('/v1/');
}

/** The decoded path of a request target (origin or absolute form), without its query. */
export function decodedPath(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      return path;
    }
  }
  path = path.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
