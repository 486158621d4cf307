import type { FastifyInstance } from 'fastify';

interface KnownRoute {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/**
 * Tracks every route's URL pattern and methods so the not-found handler can tell "no such
 * path" (404) from "path exists, wrong method" (405 + `Allow`). Fastify answers both with 404.
 */
export class RouteTable {
  private readonly routes = new Map<string, KnownRoute>();

  attach(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      let known = this.routes.get(route.url);
      if (known === undefined) {
        known = { pattern: patternFor(route.url), methods: new Set() };
        this.routes.set(route.url, known);
      }
      for (const method of methods) known.methods.add(String(method).toUpperCase());
    });
  }

  /** The methods allowed on `path`, or `null` when no route has that path. */
  allowedMethods(path: string): string[] | null {
    const allowed = new Set<string>();
    for (const known of this.routes.values()) {
      if (known.pattern.test(path)) for (const method of known.methods) allowed.add(method);
    }
    return allowed.size === 0 ? null : [...allowed].sort();
  }
}

function patternFor(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
