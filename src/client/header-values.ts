/**
 * What may go into the SDK's request headers. `fetch` refuses a header value with a line break
 * or a character above U+00FF only when the request is made, with a `TypeError` that quotes the
 * whole value: for the `Authorization` header that is the token itself, printed into logs, and
 * the error looked like a network failure that retrying could cure. Bearer tokens (RFC 6750's
 * b64token, and recvault's own check) and IANA zone names are visible ASCII, so anything else is
 * refused up front, naming the header but never echoing its value.
 */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** The token as given, or a `TypeError` saying what is wrong with it (without quoting it). */
export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token === '') throw new TypeError('token is required');
  if (/^bearer\s/i.test(token)) throw new TypeError('token must be the token alone, without the "Bearer " prefix');
  if (!VISIBLE_ASCII.test(token)) {
    throw new TypeError('token must be printable ASCII without spaces or line breaks (a line break often comes with a token read from a file)');
  }
  return token;
}

/** The zone as given, or a `TypeError`: IANA zone names are visible ASCII (`America/New_York`). */
export function checkTimeZoneName(zone: string, where: string): string {
  if (!VISIBLE_ASCII.test(zone)) throw new TypeError(`${where} must be an IANA zone name such as America/New_York, got ${JSON.stringify(zone)}`);
  return zone;
}
