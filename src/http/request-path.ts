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

/** The path of a request target (origin or absolute form) as sent, without its query; null when it has none. */
function rawPathOf(target: string): string | null {
  if (target.startsWith('/')) return target.split('?')[0] ?? '/';
  try {
    return new URL(target).pathname;
  } catch {
    return null;
  }
}

/** The decoded path of a request target (origin or absolute form), without its query. */
export function decodedPath(target: string): string {
  const path = rawPathOf(target);
  if (path === null) return target;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The path of a request target decoded one segment at a time, with a `/` that was sent encoded
 * (`%2F`) kept encoded: `/v1/recordings%2FsoftDelete` is one segment `recordings%2FsoftDelete`,
 * as the router saw it, not the two segments of another route. For matching against route
 * patterns and naming a path that matched none; a segment that is not valid percent-encoding is
 * kept as sent.
 */
export function segmentedPath(target: string): string {
  const path = rawPathOf(target);
  if (path === null) return target;
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment).replaceAll('/', '%2F');
      } catch {
        return segment;
      }
    })
    .join('/');
}
