import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/domain/errors.js';
import { parseIsoInstant, wallTimeToInstant } from '../../src/domain/iso8601.js';
import { expect400, utc } from './support.js';

const NY = 'America/New_York';
const parse = (value: string, zone = 'UTC'): string => utc(parseIsoInstant('from', value, zone));
const REJECTED = 'rejected with 400';

/** The instant a value parses to, or REJECTED for a 400 (anything else is rethrown). */
function outcome(value: string, zone: string): string {
  try {
    return parse(value, zone);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return REJECTED;
    throw error;
  }
}

describe('parseIsoInstant: every accepted form yields its exact instant', () => {
  // [value, instant read in UTC, instant read in America/New_York]
  const withOffset: [string, string][] = [
    ['2020-07-13T17:11:35Z', '2020-07-13T17:11:35.000Z'],
    ['20200713T171135Z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13T17:11:35.123Z', '2020-07-13T17:11:35.123Z'],
    ['2020-07-13T17:11:35,123Z', '2020-07-13T17:11:35.123Z'],
    ['2020-07-13T17:11:35.5Z', '2020-07-13T17:11:35.500Z'],
    ['2020-07-13T17:11:35,5Z', '2020-07-13T17:11:35.500Z'],
    ['2020-07-13T17:11:35.1Z', '2020-07-13T17:11:35.100Z'],
    ['20200713T171135,5Z', '2020-07-13T17:11:35.500Z'],
    ['20200713T171135.25Z', '2020-07-13T17:11:35.250Z'],
    ['2020-07-13 17:11:35Z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13 17:11:35.75Z', '2020-07-13T17:11:35.750Z'],
    ['2020-07-13T17:11:35+08:00', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35+0800', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35+08', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35-05:30', '2020-07-13T22:41:35.000Z'],
    ['2020-07-13T17:11:35-0530', '2020-07-13T22:41:35.000Z'],
    ['2020-07-13T17:11:35-05', '2020-07-13T22:11:35.000Z'],
    ['2020-07-13T17:11:35+00:00', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13T17:11:35-00:00', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13T17:11:35+05:45', '2020-07-13T11:26:35.000Z'],
    ['2020-07-13T17:11:35.123+08:00', '2020-07-13T09:11:35.123Z'],
    ['2020-07-13T17:11:35,123+0800', '2020-07-13T09:11:35.123Z'],
    ['20200713T171135+0800', '2020-07-13T09:11:35.000Z'],
    ['20200713T171135+08', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11Z', '2020-07-13T17:11:00.000Z'],
    ['2020-07-13T17:11+08:00', '2020-07-13T09:11:00.000Z'],
    ['2020-07-13 17:11+08:00', '2020-07-13T09:11:00.000Z'],
    ['2020-W29-1T10:00Z', '2020-07-13T10:00:00.000Z'],
    ['2020-W29-1T10:00:30+02:00', '2020-07-13T08:00:30.000Z'],
    ['2020-W29-1 10:00Z', '2020-07-13T10:00:00.000Z'],
    ['2020W291T1000Z', '2020-07-13T10:00:00.000Z'],
    ['2020-195T10:00Z', '2020-07-13T10:00:00.000Z'],
    ['2020195T1000Z', '2020-07-13T10:00:00.000Z'],
    ['2020-195 10:00-04:00', '2020-07-13T14:00:00.000Z'],
    ['2020-07-13T24:00Z', '2020-07-14T00:00:00.000Z'],
    ['2020-07-13T17:11:35+14:00', '2020-07-13T03:11:35.000Z'],
    ['2020-07-13T17:11:35-12:00', '2020-07-14T05:11:35.000Z'],
  ];

  it.each(withOffset)('%s (explicit offset) → %s in any request zone', (value, expected) => {
    for (const zone of ['UTC', NY, 'Asia/Tokyo', 'Australia/Sydney', 'Europe/London']) {
      expect(parse(value, zone)).toBe(expected);
    }
  });

  const withoutOffset: [string, string, string][] = [
    ['2020-07-13T17:11:35', '2020-07-13T17:11:35.000Z', '2020-07-13T21:11:35.000Z'],
    ['20200713T171135', '2020-07-13T17:11:35.000Z', '2020-07-13T21:11:35.000Z'],
    ['2020-07-13T17:11:35.250', '2020-07-13T17:11:35.250Z', '2020-07-13T21:11:35.250Z'],
    ['2020-07-13T17:11:35,250', '2020-07-13T17:11:35.250Z', '2020-07-13T21:11:35.250Z'],
    ['2020-07-13 17:11:35', '2020-07-13T17:11:35.000Z', '2020-07-13T21:11:35.000Z'],
    ['2020-07-13 17:11', '2020-07-13T17:11:00.000Z', '2020-07-13T21:11:00.000Z'],
    ['2020-07-13T17:11', '2020-07-13T17:11:00.000Z', '2020-07-13T21:11:00.000Z'],
    ['20200713T1711', '2020-07-13T17:11:00.000Z', '2020-07-13T21:11:00.000Z'],
    ['2020-07-13T17', '2020-07-13T17:00:00.000Z', '2020-07-13T21:00:00.000Z'],
    ['2020-07-13', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['20200713', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['2020-07', '2020-07-01T00:00:00.000Z', '2020-07-01T04:00:00.000Z'],
    ['2020', '2020-01-01T00:00:00.000Z', '2020-01-01T05:00:00.000Z'],
    ['2020-W29-1', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['2020W291', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['2020-W29-1T10:00', '2020-07-13T10:00:00.000Z', '2020-07-13T14:00:00.000Z'],
    ['2020-W29-1 10:00', '2020-07-13T10:00:00.000Z', '2020-07-13T14:00:00.000Z'],
    ['2020-195', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['2020195', '2020-07-13T00:00:00.000Z', '2020-07-13T04:00:00.000Z'],
    ['2020-195T10:00', '2020-07-13T10:00:00.000Z', '2020-07-13T14:00:00.000Z'],
    ['2020-195 10:00', '2020-07-13T10:00:00.000Z', '2020-07-13T14:00:00.000Z'],
    ['2020-W01-1', '2019-12-30T00:00:00.000Z', '2019-12-30T05:00:00.000Z'],
    ['2021-W01-1', '2021-01-04T00:00:00.000Z', '2021-01-04T05:00:00.000Z'],
    ['2020-W53-7', '2021-01-03T00:00:00.000Z', '2021-01-03T05:00:00.000Z'],
    ['2021-001', '2021-01-01T00:00:00.000Z', '2021-01-01T05:00:00.000Z'],
    ['2020-366', '2020-12-31T00:00:00.000Z', '2020-12-31T05:00:00.000Z'],
    ['2020-02-29', '2020-02-29T00:00:00.000Z', '2020-02-29T05:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z', '2000-02-29T05:00:00.000Z'],
    ['2021-01-15T12:00', '2021-01-15T12:00:00.000Z', '2021-01-15T17:00:00.000Z'],
    ['2020-07-13T24:00', '2020-07-14T00:00:00.000Z', '2020-07-14T04:00:00.000Z'],
  ];

  it.each(withoutOffset)('%s (no offset) → %s in UTC, %s in America/New_York', (value, inUtc, inNewYork) => {
    expect(parse(value, 'UTC')).toBe(inUtc);
    expect(parse(value, NY)).toBe(inNewYork);
  });

  it('reads offset-less values in other zones too, including half- and quarter-hour offsets', () => {
    expect(parse('2020-07-13T17:11', 'Asia/Kolkata')).toBe('2020-07-13T11:41:00.000Z');
    expect(parse('2020-07-13T17:11', 'Asia/Kathmandu')).toBe('2020-07-13T11:26:00.000Z');
    expect(parse('2020-07-13T17:11', 'Asia/Tokyo')).toBe('2020-07-13T08:11:00.000Z');
    expect(parse('2020-07-13', 'Australia/Sydney')).toBe('2020-07-12T14:00:00.000Z');
    expect(parse('2021-01-13', 'Australia/Sydney')).toBe('2021-01-12T13:00:00.000Z');
    expect(parse('2020-07-13T17:11', 'Europe/London')).toBe('2020-07-13T16:11:00.000Z');
    expect(parse('2020-12-13T17:11', 'Europe/London')).toBe('2020-12-13T17:11:00.000Z');
  });

  it('all spellings of one instant agree', () => {
    const spellings = [
      '2020-07-13T17:11:35Z',
      '20200713T171135Z',
      '2020-07-13 17:11:35Z',
      '2020-07-13T17:11:35.000Z',
      '2020-07-13T17:11:35,000Z',
      '2020-07-13T19:11:35+02:00',
      '2020-07-13T19:11:35+0200',
      '2020-07-13T19:11:35+02',
      '2020-07-13T13:11:35-04:00',
      '2020-W29-1T17:11:35Z',
      '2020-195T17:11:35Z',
    ];
    const instants = new Set(spellings.map((s) => parseIsoInstant('from', s, 'Asia/Tokyo')));
    expect([...instants]).toEqual([Date.UTC(2020, 6, 13, 17, 11, 35)]);
  });
});

describe('parseIsoInstant: daylight-saving gaps and overlaps (no offset in the value)', () => {
  const cases: [zone: string, value: string, expected: string][] = [
    // America/New_York: 2021-03-14 02:00 EST → 03:00 EDT; 2021-11-07 02:00 EDT → 01:00 EST.
    [NY, '2021-03-14T01:59:59', '2021-03-14T06:59:59.000Z'],
    [NY, '2021-03-14T02:00', '2021-03-14T07:00:00.000Z'],
    [NY, '2021-03-14T02:30', '2021-03-14T07:30:00.000Z'],
    [NY, '2021-03-14T02:59:59', '2021-03-14T07:59:59.000Z'],
    [NY, '2021-03-14T03:00', '2021-03-14T07:00:00.000Z'],
    [NY, '2021-03-14T03:30', '2021-03-14T07:30:00.000Z'],
    [NY, '2021-11-07T00:59:59', '2021-11-07T04:59:59.000Z'],
    [NY, '2021-11-07T01:00', '2021-11-07T05:00:00.000Z'],
    [NY, '2021-11-07T01:30', '2021-11-07T05:30:00.000Z'],
    [NY, '2021-11-07T01:59:59', '2021-11-07T05:59:59.000Z'],
    [NY, '2021-11-07T02:00', '2021-11-07T07:00:00.000Z'],
    [NY, '2021-11-07 01:30', '2021-11-07T05:30:00.000Z'],
    // Europe/London: 2021-03-28 01:00 GMT → 02:00 BST; 2021-10-31 02:00 BST → 01:00 GMT.
    ['Europe/London', '2021-03-28T00:59', '2021-03-28T00:59:00.000Z'],
    ['Europe/London', '2021-03-28T01:30', '2021-03-28T01:30:00.000Z'],
    ['Europe/London', '2021-03-28T02:00', '2021-03-28T01:00:00.000Z'],
    ['Europe/London', '2021-10-31T01:30', '2021-10-31T00:30:00.000Z'],
    ['Europe/London', '2021-10-31T02:00', '2021-10-31T02:00:00.000Z'],
    // Australia/Sydney (southern hemisphere): 2021-04-04 03:00 AEDT → 02:00 AEST; 2021-10-03 02:00 AEST → 03:00 AEDT.
    ['Australia/Sydney', '2021-04-04T01:59', '2021-04-03T14:59:00.000Z'],
    ['Australia/Sydney', '2021-04-04T02:30', '2021-04-03T15:30:00.000Z'],
    ['Australia/Sydney', '2021-04-04T03:00', '2021-04-03T17:00:00.000Z'],
    ['Australia/Sydney', '2021-10-03T02:00', '2021-10-02T16:00:00.000Z'],
    ['Australia/Sydney', '2021-10-03T02:30', '2021-10-02T16:30:00.000Z'],
    ['Australia/Sydney', '2021-10-03T03:00', '2021-10-02T16:00:00.000Z'],
    // Australia/Lord_Howe: half-hour DST (+10:30 ↔ +11:00).
    ['Australia/Lord_Howe', '2021-10-03T02:15', '2021-10-02T15:45:00.000Z'],
    ['Australia/Lord_Howe', '2021-04-04T01:45', '2021-04-03T14:45:00.000Z'],
    // Pacific/Apia skipped the whole of 2011-12-30 (-10:00 → +14:00): forward by the 24-hour gap.
    ['Pacific/Apia', '2011-12-29T23:59', '2011-12-30T09:59:00.000Z'],
    ['Pacific/Apia', '2011-12-30T12:00', '2011-12-30T22:00:00.000Z'],
    ['Pacific/Apia', '2011-12-31T00:00', '2011-12-30T10:00:00.000Z'],
  ];

  it.each(cases)('%s %s → %s', (zone, value, expected) => {
    expect(parse(value, zone)).toBe(expected);
  });

  it('an explicit offset picks either side of an overlap', () => {
    expect(parse('2021-11-07T01:30-04:00', NY)).toBe('2021-11-07T05:30:00.000Z');
    expect(parse('2021-11-07T01:30-05:00', NY)).toBe('2021-11-07T06:30:00.000Z');
  });
});

describe('wallTimeToInstant', () => {
  const wall = (y: number, mo: number, d: number, h: number, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

  it('is the identity in UTC', () => {
    for (const w of [0, wall(2020, 7, 13, 17, 11, 35, 123), wall(2021, 3, 14, 2, 30), -86_400_000]) {
      expect(wallTimeToInstant(w, 'UTC')).toBe(w);
    }
  });

  it('moves a skipped wall time forward by the gap', () => {
    expect(utc(wallTimeToInstant(wall(2021, 3, 14, 2, 30), NY))).toBe('2021-03-14T07:30:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 3, 14, 2, 0, 0, 1), NY))).toBe('2021-03-14T07:00:00.001Z');
    expect(utc(wallTimeToInstant(wall(2021, 3, 14, 2, 59, 59, 999), NY))).toBe('2021-03-14T07:59:59.999Z');
    expect(utc(wallTimeToInstant(wall(2021, 10, 3, 2, 30), 'Australia/Sydney'))).toBe('2021-10-02T16:30:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 3, 28, 1, 30), 'Europe/London'))).toBe('2021-03-28T01:30:00.000Z');
  });

  it('takes the earlier instant of an ambiguous wall time', () => {
    expect(utc(wallTimeToInstant(wall(2021, 11, 7, 1, 30), NY))).toBe('2021-11-07T05:30:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 11, 7, 1, 59, 59, 999), NY))).toBe('2021-11-07T05:59:59.999Z');
    expect(utc(wallTimeToInstant(wall(2021, 4, 4, 2, 30), 'Australia/Sydney'))).toBe('2021-04-03T15:30:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 10, 31, 1, 30), 'Europe/London'))).toBe('2021-10-31T00:30:00.000Z');
  });

  it('uses the single valid offset away from transitions', () => {
    expect(utc(wallTimeToInstant(wall(2021, 1, 15, 12), NY))).toBe('2021-01-15T17:00:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 7, 15, 12), NY))).toBe('2021-07-15T16:00:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 7, 15, 12), 'Asia/Kathmandu'))).toBe('2021-07-15T06:15:00.000Z');
    expect(utc(wallTimeToInstant(wall(2021, 1, 15, 12), 'Pacific/Chatham'))).toBe('2021-01-14T22:15:00.000Z');
  });
});

describe('parseIsoInstant: rejected values', () => {
  const rejected = [
    // impossible dates and times
    '2021-02-29',
    '1900-02-29',
    '2020-13-01',
    '2020-00-10',
    '2020-07-32',
    '2020-04-31',
    '2020-07-00',
    'T25:00',
    '2020-07-13T25:00',
    '2020-07-13T25:00Z',
    '2020-07-13T17:60',
    '2020-07-13T17:11:60Z',
    '2020-07-13T24:00:01',
    '2020-W54-1',
    '2021-W53-1',
    '2020-W00-1',
    '2020-W29-0',
    '2020-W29-8',
    '2021-366',
    '2020-000',
    '2020-367',
    // free text and other formats
    'yesterday',
    'now',
    'today',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '-1',
    'July 13, 2020',
    '13/07/2020',
    '07/13/2020',
    '2020/07/13',
    'Mon, 13 Jul 2020 17:11:35 GMT',
    'Mon Jul 13 2020 17:11:35 GMT+0000',
    '2020-7-13',
    '2020-07-1',
    '20-07-13',
    '202007',
    '2020-07-13T',
    '2020-07-13TZ',
    '2020-07-13T17:11:35 Z',
    '2020-07-13T17:11:35 +08:00',
    '2020-07-13  17:11',
    '2020-07-13T17:11:35.Z',
    '2020-07-13T17:11:35+8',
    '2020-07-13T17:11:35+08:00:00',
    '2020-07-13T17:11:35+19:00',
    '2020-07-13T17:11:35-18:30',
    '2020-07-13T17:11:35Z2020-07-13T17:11:35Z',
    '2020-07-13/2020-07-14',
    'P7D',
    'R5/2020-07-13T00:00Z/P1D',
    // bare epoch numbers (seconds, milliseconds) and other digit runs
    '1594660295',
    '1594660295000',
    '159466029',
    '12345',
    '123456',
    '0',
    '+5',
    '+1594660295',
    // expanded years (ISO 8601 by agreement only; not a form the SPEC lists)
    '+002026-11-20',
    '+002026-11-20T10:00:00Z',
    '-002026-11-20',
    // empty-ish junk and whitespace
    '',
    ' ',
    '   ',
    '\t',
    ' 2020-07-13',
    '2020-07-13 ',
    '2020-07-13T17:11:35Z ',
    '2020-07-13T17:11:35Z\n',
    '\u00002020-07-13',
    '2020-07-13\u0000',
    '２０２０-07-13',
    '-',
    ':',
    'T',
    'Z',
  ];

  it.each(rejected.map((v) => [JSON.stringify(v), v]))('%s → 400 naming the parameter and the value', (_label, value) => {
    const error = expect400(() => parseIsoInstant('from', value, NY));
    expect(error.message).toMatch(/\bfrom\b/);
    expect(error.message).toContain(JSON.stringify(value).slice(1, -1));
  });

  it('names whichever parameter it was asked about', () => {
    const error = expect400(() => parseIsoInstant('to', 'soon', 'UTC'), 'soon');
    expect(error.message).toMatch(/\bto\b/);
    expect(error.message).not.toMatch(/\bfrom\b/);
  });

  it('rejects huge strings with a bounded message that still names the parameter and shows the value', () => {
    for (const value of ['x'.repeat(100_000), '2'.repeat(10_000), `2020-07-13T17:11:35${'0'.repeat(5_000)}Z`, `2020-07-13T17:11:35.${'1'.repeat(80)}Z`]) {
      const error = expect400(() => parseIsoInstant('from', value, 'UTC'));
      expect(error.message).toMatch(/\bfrom\b/);
      expect(error.message).toContain(value.slice(0, 60));
      expect(error.message.length).toBeLessThan(600);
    }
  });

  it.each(['2020-07-13T17:11:35+05:99', '2020-07-13T17:11:35+0599', '2020-07-13T17:11:35+00:60', '2020-07-13T17:11:35-03:75'])(
    'rejects %s: offset minutes must be 00..59 (not ISO 8601 otherwise)',
    (value) => {
      expect(outcome(value, 'UTC')).toBe(REJECTED);
    },
  );
});

describe('parseIsoInstant: an explicit offset is never read as local wall time', () => {
  // Lowercase `t`/`z` are not in the SPEC's list: rejecting them is fine, but once a value carries an
  // offset, the instant must come from that offset, not from the request's time zone.
  const cases: [string, string][] = [
    ['2020-07-13T17:11:35z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13t17:11:35Z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13t17:11:35z', '2020-07-13T17:11:35.000Z'],
    ['20200713t171135z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13t17:11:35+08:00', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13t17:11:35-0500', '2020-07-13T22:11:35.000Z'],
  ];

  it.each(cases)('%s in America/New_York is %s or a 400', (value, expected) => {
    expect([expected, REJECTED]).toContain(outcome(value, NY));
  });
});

describe('parseIsoInstant: the canonical fast path agrees with Luxon', () => {
  // The extended form with Z or an offset skips Luxon; generated values (valid and impossible
  // dates, 0-4 fraction digits, any offset) must come out exactly as Luxon reads them.
  const two = (n: number) => String(n).padStart(2, '0');
  const canonical = fc.record({
    year: fc.integer({ min: 100, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.stringMatching(/^[0-9]{0,4}$/),
    offset: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 60 })).map(([sign, h, m]) => `${sign}${two(h)}:${two(m)}`)),
  }).map((p) => `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${p.fraction === '' ? '' : `.${p.fraction}`}${p.offset}`);

  it('same instant, or a 400 exactly where Luxon finds no valid instant within ±18:00', () => {
    fc.assert(
      fc.property(canonical, (value) => {
        const luxon = DateTime.fromISO(value, { setZone: true });
        const offsetMinutes = /([+-])(\d{2}):(\d{2})$/.exec(value);
        const valid = luxon.isValid && Math.abs(luxon.offset) <= 18 * 60 && (offsetMinutes === null || Number(offsetMinutes[3]) <= 59);
        expect(outcome(value, NY)).toBe(valid ? utc(luxon.toMillis()) : REJECTED);
      }),
      { numRuns: 3000 },
    );
  });
});
