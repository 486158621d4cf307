import { describe, expect, it } from 'vitest';
import { rendererFor } from '../../src/domain/render-instant.js';
import { parseTimeZone, UTC_ZONE } from '../../src/domain/time-zone.js';
import { at, expect400 } from './support.js';

describe('parseTimeZone', () => {
  it('defaults to UTC when the header is absent or empty', () => {
    expect(UTC_ZONE).toBe('UTC');
    expect(parseTimeZone(undefined)).toBe('UTC');
    expect(parseTimeZone('')).toBe('UTC');
  });

  it.each(['UTC', 'America/New_York', 'Asia/Shanghai', 'Europe/London', 'Australia/Sydney', 'Asia/Tokyo', 'Pacific/Chatham', 'Etc/GMT+5'])(
    'accepts the IANA name %s as is',
    (zone) => {
      expect(parseTimeZone(zone)).toBe(zone);
    },
  );

  it('accepts aliases and answers a name that renders the same way', () => {
    const kolkata = parseTimeZone('Asia/Kolkata');
    expect(['Asia/Kolkata', 'Asia/Calcutta']).toContain(kolkata);
    expect(rendererFor(kolkata).render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T22:41:35+05:30');
    const kathmandu = parseTimeZone('Asia/Kathmandu');
    expect(['Asia/Kathmandu', 'Asia/Katmandu']).toContain(kathmandu);
    expect(rendererFor(kathmandu).render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T22:56:35+05:45');
    const buenosAires = parseTimeZone('America/Argentina/Buenos_Aires');
    expect(['America/Argentina/Buenos_Aires', 'America/Buenos_Aires']).toContain(buenosAires);
    expect(rendererFor(buenosAires).render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-15T09:00:00-03:00');
    expect(parseTimeZone('US/Eastern')).toBe('America/New_York');
    expect(parseTimeZone('america/new_york')).toBe('America/New_York');
  });

  it.each(['Etc/UTC', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu', 'utc'])('treats the UTC alias %s as UTC (rendered with Z)', (zone) => {
    expect(parseTimeZone(zone)).toBe('UTC');
    expect(rendererFor(parseTimeZone(zone)).render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-15T12:00:00Z');
  });

  it('Etc/GMT+5 is the IANA zone five hours behind UTC (POSIX sign), not an offset string', () => {
    expect(rendererFor(parseTimeZone('Etc/GMT+5')).render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-15T07:00:00-05:00');
  });

  const rejected = [
    'Mars/Olympus_Mons',
    'America/Gotham',
    'Etc/Unknown',
    'Not a zone',
    '+05:00',
    '-05:00',
    '+0530',
    '+05',
    '05:00',
    'UTC+05:00',
    'UTC+5',
    'Z',
    'local',
    'America/New_York ',
    ' America/New_York',
    'America/New_York\n',
    'America//New_York',
    '../../etc/passwd',
    '/etc/localtime',
    'EST5EDT,M3.2.0,M11.1.0',
    'A'.repeat(200),
    'America/New_York'.repeat(10),
  ];

  it.each(rejected.map((z) => [JSON.stringify(z).slice(0, 60), z]))('rejects %s with a 400 naming the value', (_label, zone) => {
    const error = expect400(() => parseTimeZone(zone));
    expect(error.message).toContain(JSON.stringify(zone.slice(0, 150)).slice(1, -1));
    expect(error.message.toLowerCase()).toContain('timezone');
  });
});
