import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from './sha256.js';

/** Tokens are stored only as SHA-256 digests; the store is searched by digest, never by secret. */
export function hashToken(secret: string): Buffer {
  return sha256(secret);
}

/** A new bearer secret: 32 random bytes, URL-safe, with a prefix that makes leaked tokens greppable. */
export function newTokenSecret(): string {
  return `rvt_${randomBytes(32).toString('base64url')}`;
}

export function newTokenId(): string {
  return `tok_${randomBytes(8).toString('hex')}`;
}

/** Constant-time equality of two digests (the index lookup is by digest, this re-checks the match). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
