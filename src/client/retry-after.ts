/**
 * Reads a `Retry-After` header: delay-seconds (what recvault and Webex send) or an HTTP-date
 * (RFC 9110 allows both). Returns whole seconds to wait, or `null` when absent or unreadable.
 *
 * @example
 * parseRetryAfter('2', Date.now()); // 2
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:50Z')); // 10
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  // An HTTP-date is short; anything long is not one, so Date.parse never sees hostile input.
  if (text.length === 0 || text.length > 64) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
