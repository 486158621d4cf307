import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../src/domain/iso8601.js';
import { formatOffset, InstantRenderer, rendererFor } from '../../src/domain/render-instant.js';
import { at, DAY_MS, randomInt, seededRandom } from './support.js';

const NY = 'America/New_York';
const QUARTER_HOUR_MS = 15 * 60_000;

/** Independent expectation: Luxon's own formatting, with `Z` for UTC as the SPEC wants. */
function luxonRender(ms: number, zone: string): string {
  const text = DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  return zone === 'UTC' ? text.replace(/\+00:00$/, 'Z') : text;
}

describe('formatOffset', () => {
  it.each([
    [0, '+00:00'],
    [60, '+01:00'],
    [-240, '-04:00'],
    [-300, '-05:00'],
    [330, '+05:30'],
    [345, '+05:45'],
    [-570, '-09:30'],
    [-210, '-03:30'],
    [765, '+12:45'],
    [840, '+14:00'],
    [-720, '-12:00'],
    [-30, '-00:30'],
    [30, '+00:30'],
  ])('%i minutes → %s', (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });
});

describe('InstantRenderer: zones and offsets', () => {
  it('renders UTC with Z and seconds precision', () => {
    const r = new InstantRenderer('UTC');
    expect(r.render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T17:11:35Z');
    expect(r.render(at('2020-07-13T17:11:35.999Z'))).toBe('2020-07-13T17:11:35Z');
    expect(r.render(at('2020-07-13T17:11:35.001Z'))).toBe('2020-07-13T17:11:35Z');
    expect(r.render(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('drops milliseconds by truncation, before 1970 too', () => {
    expect(new InstantRenderer('UTC').render(-1)).toBe('1969-12-31T23:59:59Z');
    expect(new InstantRenderer('UTC').render(-1000)).toBe('1969-12-31T23:59:59Z');
    expect(new InstantRenderer('UTC').render(-1001)).toBe('1969-12-31T23:59:58Z');
    expect(new InstantRenderer(NY).render(-1)).toBe('1969-12-31T18:59:59-05:00');
    expect(new InstantRenderer(NY).render(at('2020-07-13T17:11:59.999Z'))).toBe('2020-07-13T13:11:59-04:00');
  });

  it('renders America/New_York with -04:00 in summer and -05:00 in winter (the SPEC example)', () => {
    const r = new InstantRenderer(NY);
    expect(r.render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T13:11:35-04:00');
    expect(r.render(at('2021-01-15T17:00:00Z'))).toBe('2021-01-15T12:00:00-05:00');
  });

  it('renders Europe/London in winter as +00:00, never Z', () => {
    const r = new InstantRenderer('Europe/London');
    expect(r.render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-15T12:00:00+00:00');
    expect(r.render(at('2021-07-15T12:00:00Z'))).toBe('2021-07-15T13:00:00+01:00');
  });

  it('renders half- and quarter-hour offsets', () => {
    expect(new InstantRenderer('Asia/Kolkata').render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T22:41:35+05:30');
    expect(new InstantRenderer('Asia/Kathmandu').render(at('2020-07-13T17:11:35Z'))).toBe('2020-07-13T22:56:35+05:45');
    expect(new InstantRenderer('Pacific/Chatham').render(at('2021-01-15T00:00:00Z'))).toBe('2021-01-15T13:45:00+13:45');
    expect(new InstantRenderer('Pacific/Chatham').render(at('2021-07-15T00:00:00Z'))).toBe('2021-07-15T12:45:00+12:45');
    expect(new InstantRenderer('America/St_Johns').render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-15T08:30:00-03:30');
    expect(new InstantRenderer('Australia/Adelaide').render(at('2021-07-15T00:00:00Z'))).toBe('2021-07-15T09:30:00+09:30');
  });

  it('renders a date across the date line', () => {
    expect(new InstantRenderer('Pacific/Kiritimati').render(at('2021-01-15T12:00:00Z'))).toBe('2021-01-16T02:00:00+14:00');
    expect(new InstantRenderer('Pacific/Pago_Pago').render(at('2021-01-15T05:00:00Z'))).toBe('2021-01-14T18:00:00-11:00');
  });

  it('rendererFor shares one renderer per zone and renders like a fresh one', () => {
    expect(rendererFor(NY)).toBe(rendererFor(NY));
    expect(rendererFor(NY)).not.toBe(rendererFor('Europe/London'));
    expect(rendererFor('UTC').render(at('2020-07-13T17:11:35.5Z'))).toBe('2020-07-13T17:11:35Z');
    expect(rendererFor(NY).render(at('2020-07-13T17:11:35.5Z'))).toBe('2020-07-13T13:11:35-04:00');
  });
});

describe('InstantRenderer: offsets of local mean time (not whole minutes)', () => {
  // Luxon gives these offsets in fractions of a minute: Monrovia −44.5 until 1972, New York
  // −296.03 before 1883, Paris +9.35 before 1911. ISO 8601 offsets have whole minutes.
  it.each([
    ['Africa/Monrovia', '1960-06-01T12:00:00Z', '1960-06-01T11:15:00-00:45'],
    ['Africa/Monrovia', '1960-06-01T12:00:30Z', '1960-06-01T11:15:30-00:45'],
    [NY, '1850-03-01T12:00:00Z', '1850-03-01T07:04:00-04:56'],
    ['Europe/Paris', '0500-01-01T00:00:00Z', '0500-01-01T00:09:00+00:09'],
    ['Asia/Kolkata', '1850-01-01T00:00:00Z', '1850-01-01T05:53:00+05:53'],
  ])('%s at %s renders %s, which names that very instant', (zone, instant, text) => {
    const got = new InstantRenderer(zone).render(at(instant));
    expect(got).toBe(text);
    expect(parseIsoInstant('createTime', got, 'UTC')).toBe(at(instant));
  });

  it('every rendering re-parses to its instant, to the second, across the supported years (seeded)', () => {
    const rand = seededRandom(1883);
    const zones = ['Africa/Monrovia', NY, 'Europe/Paris', 'Europe/Amsterdam', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Apia'];
    const failures: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const zone = zones[i % zones.length] as string;
      const ms = randomInt(rand, at('0001-01-01T00:00:00Z'), Date.UTC(2100, 0, 1));
      const text = new InstantRenderer(zone).render(ms);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(text)) failures.push(`${zone} ${ms}: ${text}`);
      else if (parseIsoInstant('createTime', text, 'UTC') !== Math.floor(ms / 1000) * 1000) failures.push(`${zone} ${new Date(ms).toISOString()}: ${text}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * Transitions with the expected renderings one second before and at the transition. Most modern
 * transitions fall on a quarter hour; Antarctica/Casey 2020, America/St_Johns until 2011 and
 * Asia/Gaza 2011 change one minute past it, so their quarter-hour bucket holds the transition.
 */
const TRANSITIONS: [zone: string, instant: string, before: string, after: string][] = [
  [NY, '2021-03-14T07:00:00Z', '2021-03-14T01:59:59-05:00', '2021-03-14T03:00:00-04:00'],
  [NY, '2021-11-07T06:00:00Z', '2021-11-07T01:59:59-04:00', '2021-11-07T01:00:00-05:00'],
  ['Europe/London', '2021-03-28T01:00:00Z', '2021-03-28T00:59:59+00:00', '2021-03-28T02:00:00+01:00'],
  ['Europe/London', '2021-10-31T01:00:00Z', '2021-10-31T01:59:59+01:00', '2021-10-31T01:00:00+00:00'],
  ['Australia/Sydney', '2021-04-03T16:00:00Z', '2021-04-04T02:59:59+11:00', '2021-04-04T02:00:00+10:00'],
  ['Australia/Sydney', '2021-10-02T16:00:00Z', '2021-10-03T01:59:59+10:00', '2021-10-03T03:00:00+11:00'],
  ['Australia/Lord_Howe', '2021-10-02T15:30:00Z', '2021-10-03T01:59:59+10:30', '2021-10-03T02:30:00+11:00'],
  ['Pacific/Apia', '2011-12-30T10:00:00Z', '2011-12-29T23:59:59-10:00', '2011-12-31T00:00:00+14:00'],
  ['Antarctica/Casey', '2020-10-03T16:01:00Z', '2020-10-04T00:00:59+08:00', '2020-10-04T03:01:00+11:00'],
  ['America/St_Johns', '2011-03-13T03:31:00Z', '2011-03-13T00:00:59-03:30', '2011-03-13T01:01:00-02:30'],
  ['America/St_Johns', '2010-11-07T02:31:00Z', '2010-11-07T00:00:59-02:30', '2010-11-06T23:01:00-03:30'],
  ['Asia/Gaza', '2011-03-31T22:01:00Z', '2011-04-01T00:00:59+02:00', '2011-04-01T01:01:00+03:00'],
];

describe('InstantRenderer: around transitions (the renderer memoises offsets per quarter hour)', () => {
  it.each(TRANSITIONS)('%s at %s: 1 ms and 1 s before, at, 1 ms after', (zone, instant, before, after) => {
    const t = at(instant);
    const r = new InstantRenderer(zone);
    expect(r.render(t - 1)).toBe(before);
    expect(r.render(t - 1000)).toBe(before);
    expect(r.render(t)).toBe(after);
    expect(r.render(t + 1)).toBe(after);
    // the same in the opposite order on a fresh renderer (memo filled from the other side)
    const reversed = new InstantRenderer(zone);
    expect(reversed.render(t + 1)).toBe(after);
    expect(reversed.render(t)).toBe(after);
    expect(reversed.render(t - 1)).toBe(before);
  });

  it.each(TRANSITIONS)('%s at %s: every instant of the surrounding buckets, in any order, matches Luxon', (zone, instant) => {
    const t = at(instant);
    const bucketStart = Math.floor(t / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    const probes: number[] = [];
    for (let ms = bucketStart - QUARTER_HOUR_MS; ms < bucketStart + 2 * QUARTER_HOUR_MS; ms += 15_001) probes.push(ms);
    probes.push(bucketStart, bucketStart - 1, bucketStart + QUARTER_HOUR_MS - 1, bucketStart + QUARTER_HOUR_MS, t - 1, t, t + 1, t - 1000, t + 999);
    const rand = seededRandom(t % 1_000_003);
    const shuffled = [...probes].sort(() => rand() - 0.5);
    const expected = new Map(probes.map((ms) => [ms, luxonRender(ms, zone)]));
    const mismatches: string[] = [];
    for (const order of [probes, [...probes].reverse(), shuffled]) {
      const r = new InstantRenderer(zone);
      for (const ms of order) {
        const got = r.render(ms);
        const want = expected.get(ms);
        if (got !== want) mismatches.push(`${new Date(ms).toISOString()}: got ${got}, want ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a bucket holding a transition is rendered per instant even after neighbours were memoised', () => {
    const r = new InstantRenderer('Antarctica/Casey');
    const t = at('2020-10-03T16:01:00Z');
    // fill the memo with the buckets before and after
    expect(r.render(t - 60_000 - 1)).toBe('2020-10-03T23:59:59+08:00');
    expect(r.render(t + 15 * 60_000)).toBe('2020-10-04T03:16:00+11:00');
    // the bucket [16:00, 16:15) itself, both sides of 16:01
    expect(r.render(at('2020-10-03T16:00:00Z'))).toBe('2020-10-04T00:00:00+08:00');
    expect(r.render(at('2020-10-03T16:14:59.999Z'))).toBe('2020-10-04T03:14:59+11:00');
    expect(r.render(at('2020-10-03T16:00:30Z'))).toBe('2020-10-04T00:00:30+08:00');
    expect(r.render(at('2020-10-03T16:01:30Z'))).toBe('2020-10-04T03:01:30+11:00');
  });
});

/** Transitions of `zone` between `start` and `end`, to the millisecond (weekly scan, then bisection). */
function transitions(zone: string, start: number, end: number): number[] {
  const z = IANAZone.create(zone);
  const found: number[] = [];
  let t = start;
  let o = z.offset(t);
  while (t < end) {
    const next = t + 7 * DAY_MS;
    const o2 = z.offset(next);
    if (o2 !== o) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (z.offset(mid) === o) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    t = next;
    o = o2;
  }
  return found;
}

describe('InstantRenderer: agrees with an independent Luxon rendering (seeded random instants)', () => {
  it('(the transition scan used below finds every US change of 2011–2022)', () => {
    const found = transitions(NY, Date.UTC(2011, 0, 1), Date.UTC(2023, 0, 1));
    expect(found).toHaveLength(24);
    expect(found).toContain(at('2021-03-14T07:00:00Z'));
    expect(found).toContain(at('2021-11-07T06:00:00Z'));
  });

  const zones = [
    'UTC',
    NY,
    'America/Los_Angeles',
    'America/Sao_Paulo',
    'America/St_Johns',
    'Europe/London',
    'Europe/Berlin',
    'Africa/Casablanca',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tehran',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Apia',
    'Antarctica/Casey',
  ];

  it.each(zones)('%s', (zone) => {
    const rand = seededRandom(zone.length * 7919 + zone.charCodeAt(0));
    const instants: number[] = [];
    const lo = Date.UTC(1975, 0, 1);
    const hi = Date.UTC(2038, 0, 1);
    for (let i = 0; i < 300; i += 1) instants.push(randomInt(rand, lo, hi));
    for (const t of transitions(zone, Date.UTC(2011, 0, 1), Date.UTC(2023, 0, 1))) {
      for (const delta of [-QUARTER_HOUR_MS, -1001, -1000, -1, 0, 1, 999, 1000, QUARTER_HOUR_MS]) instants.push(t + delta);
      for (let i = 0; i < 2; i += 1) instants.push(t + randomInt(rand, -20 * 60_000, 20 * 60_000));
    }
    const shared = new InstantRenderer(zone);
    const mismatches: string[] = [];
    for (const [i, ms] of instants.entries()) {
      const want = luxonRender(ms, zone);
      const got = shared.render(ms);
      if (got !== want) mismatches.push(`${new Date(ms).toISOString()}: got ${got}, want ${want}`);
      if (i % 3 !== 0) continue;
      // the rendered text denotes the instant, to the second
      const back = parseIsoInstant('createTime', got, 'UTC');
      if (back !== Math.floor(ms / 1000) * 1000) mismatches.push(`${new Date(ms).toISOString()}: ${got} re-parses to ${new Date(back).toISOString()}`);
      // the shared per-zone renderer, whose memo outlives this test, agrees too
      if (rendererFor(zone).render(ms) !== want) mismatches.push(`${new Date(ms).toISOString()}: rendererFor differs`);
    }
    expect(instants.length).toBeGreaterThanOrEqual(300);
    expect(mismatches).toEqual([]);
  });
});
