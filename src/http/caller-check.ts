import type { FastifyRequest, preParsingHookHandler } from 'fastify';

/**
 * A route's caller check (authentication, then its scope) as a `preParsing` hook. It must run
 * after the rate limiter, which @fastify/rate-limit appends to each route's `onRequest` hooks:
 * as a route `onRequest` hook it ran first, and its 401s and 403s were never counted. As the
 * first `preParsing` hook it still runs before the body is read and the path or headers are
 * validated, so a caller without the scope gets a 403 whatever it sent.
 */
export function checkCallerFirst(check: (request: FastifyRequest) => Promise<void>): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    check(request).then(
      () => done(null, payload),
      (error: unknown) => done(error as Error),
    );
  };
}
