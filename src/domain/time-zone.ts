import { IANAZone } from 'luxon';
import { badRequest, quoteValue } from './errors.js';

export const UTC_ZONE = 'UTC';

/** A validated IANA zone, in the canonical spelling the runtime reports. */
export function parseTimeZone(header: string | undefined): string {
  if (header === undefined || header === '') return UTC_ZONE;
  // IANAZone.isValidZone also accepts offsets like "UTC+5" only when they are real IANA names, so
  // fixed-offset strings such as "+05:00" are rejected here, as the SPEC requires.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(header) || !IANAZone.isValidZone(header)) {
    throw badRequest(`Invalid timezone header ${quoteValue(header)}: expected an IANA time zone name such as America/New_York or UTC.`);
  }
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: header }).resolvedOptions().timeZone;
  return isUtcName(canonical) ? UTC_ZONE : canonical;
}

function isUtcName(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/Universal' || zone === 'Universal' || zone === 'Etc/Zulu' || zone === 'Zulu';
}
