import type { FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { digestsEqual, hashToken } from '../domain/token-secret.js';
import type { Store } from '../store/store.js';

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/**
 * The token of an `Authorization: Bearer …` header as authentication reads it (scheme in any
 * case, any run of spaces), or `null`. The rate limiter keys on this too: keyed on the raw
 * header, `bearer x` and `Bearer  x` were fresh budgets for the same token.
 */
export function bearerTokenOf(header: string): string | null {
  return BEARER.exec(header)?.[1] ?? null;
}

const unauthorized = (message: string) =>
  new ApiError('UNAUTHORIZED', message, { 'WWW-Authenticate': 'Bearer realm="recvault"' });

/**
 * Resolves the bearer token to a principal. Missing, malformed, unknown, expired and revoked
 * tokens all get a 401. The store is searched by SHA-256 digest, so lookup time does not depend
 * on how much of a guessed secret is right; the digest is re-compared in constant time.
 */
export async function authenticate(request: FastifyRequest, store: Store, now: number): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined) throw unauthorized('Authentication is required: send Authorization: Bearer <token>.');
  const secret = bearerTokenOf(header);
  if (secret === null) throw unauthorized('The Authorization header must be "Bearer <token>".');
  const digest = hashToken(secret);
  const found = await store.findToken(digest);
  if (found === null || !digestsEqual(found.hash, digest)) throw unauthorized('The access token is not valid.');
  const { token, person } = found;
  if (token.revokedAt !== null) throw unauthorized('The access token has been revoked.');
  if (token.expiresAt !== null && token.expiresAt <= now) throw unauthorized('The access token has expired.');
  return {
    tokenId: token.id,
    person,
    scopes: new Set(token.scopes),
    clientId: token.clientId,
    orgSiteUrls: found.orgSiteUrls,
  };
}
