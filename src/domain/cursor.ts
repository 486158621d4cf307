import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { badRequest } from './errors.js';
import { boundedMemo } from './bounded-memo.js';
import { sha256 } from './sha256.js';

/** Where the previous page ended, plus what the cursor is bound to. */
export interface CursorState {
  /** `createTime` (epoch ms) of the last item returned. */
  readonly createTime: number;
  /** `id` of the last item returned. */
  readonly id: string;
  /** Digest of the org and every filter of the query that produced it. */
  readonly filters: string;
  /** Time zone of the first request, used for rendering when a follow-up omits the header. */
  readonly zone: string;
}

const MAC_BYTES = 16;
/**
 * Longer is garbage, refused before any work. It must admit the longest cursor this server
 * writes: an id of 256 code points, each at worst 6 bytes in JSON (`\u0001`), is 1,536 bytes;
 * with the time, the digest, a zone name and the brackets the payload stays under 1,700 bytes,
 * ≈ 2,270 characters of base64url plus the signature. (1,024 cut off ids of ~700 UTF-8 bytes:
 * 256 CJK characters made a next link the server refused.)
 */
const MAX_CURSOR_LENGTH = 2_400;

/** Digest of the filters a cursor is bound to; any change of filter makes the cursor invalid. */
export function filterDigest(parts: readonly (string | number | null)[]): string {
  return digestOf(JSON.stringify(parts));
}

/** Every page of a listing (and every poll of it) has the same filters: digested once. */
const digestOf = boundedMemo(4096, (text: string) => sha256(text).toString('base64url').slice(0, 22));

/**
 * Signs and verifies cursors. A cursor is `base64url(json).base64url(hmac)`: opaque to clients,
 * tamper-evident, and valid on every instance that shares the secret.
 */
export class CursorCodec {
  /** A KeyObject: HMAC setup from it is cheaper than from raw bytes on every cursor. */
  private readonly secret: KeyObject;

  constructor(secret: string | Buffer) {
    this.secret = createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
  }

  encode(state: CursorState): string {
    const payload = Buffer.from(JSON.stringify([1, state.createTime, state.id, state.filters, state.zone]), 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** Throws a 400 for anything that is not a cursor this server signed. */
  decode(cursor: string): CursorState {
    const invalid = () => badRequest('Invalid cursor: use the next link exactly as returned in the Link header.');
    if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
    const dot = cursor.indexOf('.');
    if (dot <= 0) throw invalid();
    const payload = cursor.slice(0, dot);
    // Compared as text: base64url decoding is lenient (padding, stray characters, unused bits),
    // and a cursor that differs by one character must be rejected.
    const given = Buffer.from(cursor.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.mac(payload).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 5 ||
      parsed[0] !== 1 ||
      typeof parsed[1] !== 'number' ||
      typeof parsed[2] !== 'string' ||
      typeof parsed[3] !== 'string' ||
      typeof parsed[4] !== 'string'
    ) {
      throw invalid();
    }
    return { createTime: parsed[1], id: parsed[2], filters: parsed[3], zone: parsed[4] };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest().subarray(0, MAC_BYTES);
  }
}
