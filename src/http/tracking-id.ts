import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const CLIENT_TRACKING_ID = /^[A-Za-z0-9_.:\-]{1,128}$/;

/**
 * Every request gets a tracking id, returned in the `TrackingID` header and every log line.
 * A well-formed `TrackingID` sent by the client (Webex SDKs send one) is kept so both sides can
 * correlate; anything else is replaced.
 */
export function trackingIdFor(req: IncomingMessage): string {
  const given = req.headers.trackingid;
  if (typeof given === 'string' && CLIENT_TRACKING_ID.test(given)) return given;
  return `RECVAULT_${randomUUID()}`;
}
