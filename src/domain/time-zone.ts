import { IANAZone } from 'luxon';
import { badRequest, quoteValue } from './errors.js';

export const UTC_ZONE = 'UTC';

const known = new Map<string, string>();
const MAX_REMEMBERED_ZONES = 1000;

/**
 * A validated IANA zone, in the canonical spelling the runtime reports. Validation builds Intl
 * formatters, so accepted names are remembered (a bounded map; rejected ones are not kept).
 */
export function parseTimeZone(header: string | undefined): string {
  if (header === undefined || header === '') return UTC_ZONE;
  const remembered = known.get(header);
  if (remembered !== undefined) return remembered;
  const canonical = canonicalZone(header);
  if (known.size >= MAX_REMEMBERED_ZONES) known.clear();
  known.set(header, canonical);
  return canonical;
}

function canonicalZone(header: string): string {
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
