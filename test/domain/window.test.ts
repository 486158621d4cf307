import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, resolveWindow } from '../../src/domain/window.js';
import { DAY_MS, HOUR_MS, at, expect400, utc } from './support.js';

const NY = 'America/New_York';
/** Injected clock: a few days after the 2021 US spring-forward, with milliseconds to truncate. */
const NOW = at('2021-03-17T12:00:00.789Z');

const win = (from: string | undefined, to: string | undefined, zone = 'UTC', now = NOW) => {
  const w = resolveWindow(from, to, zone, now);
  return { from: utc(w.from), to: utc(w.to) };
};

describe('addCalendarDays', () => {
  it("agrees with Luxon's DateTime.plus({days}) in zones with DST, half-hour and skipped-day changes", () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Apia', 'Europe/Dublin', 'America/Sao_Paulo'];
    // Instants on minute, second and millisecond boundaries around real transitions, and anywhere 1900–2100.
    const instant = fc.oneof(
      fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
      fc.constantFrom('2021-03-14T07:00:00Z', '2021-11-07T06:00:00Z', '2011-12-30T10:00:00Z', '2021-04-04T15:00:00Z', '2021-10-31T01:00:00Z')
        .chain((t) => fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }).map((d) => Date.parse(t) + d)),
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: -31, max: 31 }), fc.constantFrom(...zones), (t, days, zone) => {
        expect(addCalendarDays(t, days, zone)).toBe(DateTime.fromMillis(t, { zone }).plus({ days }).toMillis());
      }),
      { numRuns: 3000, seed: 20261128 },
    );
  });

  it('adds 24-hour days in UTC', () => {
    expect(addCalendarDays(at('2021-03-10T12:00:00Z'), 7, 'UTC')).toBe(at('2021-03-17T12:00:00Z'));
    expect(addCalendarDays(at('2021-03-10T12:00:00.123Z'), -30, 'UTC')).toBe(at('2021-02-08T12:00:00.123Z'));
    expect(addCalendarDays(at('2021-03-10T12:00:00Z'), 0, 'UTC')).toBe(at('2021-03-10T12:00:00Z'));
  });

  it('keeps the wall-clock time across a daylight-saving change (23- and 25-hour days)', () => {
    const springBefore = at('2021-03-13T12:00:00-05:00');
    expect(addCalendarDays(springBefore, 1, NY) - springBefore).toBe(23 * HOUR_MS);
    expect(utc(addCalendarDays(springBefore, 1, NY))).toBe('2021-03-14T16:00:00.000Z');
    const fallBefore = at('2021-11-06T12:00:00-04:00');
    expect(addCalendarDays(fallBefore, 1, NY) - fallBefore).toBe(25 * HOUR_MS);
    expect(utc(addCalendarDays(at('2021-03-15T12:00:00-04:00'), -1, NY))).toBe('2021-03-14T16:00:00.000Z');
    expect(utc(addCalendarDays(at('2021-10-20T00:00:00-04:00'), 30, NY))).toBe('2021-11-19T05:00:00.000Z');
  });

  it('does the same in a southern-hemisphere zone', () => {
    const before = at('2021-10-02T12:00:00+10:00');
    expect(addCalendarDays(before, 1, 'Australia/Sydney') - before).toBe(23 * HOUR_MS);
    const before2 = at('2021-04-03T12:00:00+11:00');
    expect(addCalendarDays(before2, 1, 'Australia/Sydney') - before2).toBe(25 * HOUR_MS);
  });
});

describe('resolveWindow: defaults', () => {
  it('neither given: to = now truncated to whole seconds, from = to − 7 days', () => {
    expect(win(undefined, undefined)).toEqual({ from: '2021-03-10T12:00:00.000Z', to: '2021-03-17T12:00:00.000Z' });
  });

  it('neither given: truncates, never rounds up', () => {
    expect(win(undefined, undefined, 'UTC', at('2021-03-17T12:00:00.999Z')).to).toBe('2021-03-17T12:00:00.000Z');
    expect(win(undefined, undefined, 'UTC', at('2021-03-17T12:00:00.000Z')).to).toBe('2021-03-17T12:00:00.000Z');
    expect(win(undefined, undefined, 'UTC', at('2021-03-17T11:59:59.001Z')).to).toBe('2021-03-17T11:59:59.000Z');
  });

  it('neither given, across a DST change: 7 calendar days at the same wall-clock time (168 − 1 hours)', () => {
    // now = 08:00:00 EDT on 2021-03-17; seven days earlier is 08:00:00 EST on 2021-03-10.
    const w = resolveWindow(undefined, undefined, NY, NOW);
    expect({ from: utc(w.from), to: utc(w.to) }).toEqual({ from: '2021-03-10T13:00:00.000Z', to: '2021-03-17T12:00:00.000Z' });
    expect(w.to - w.from).toBe(7 * DAY_MS - HOUR_MS);
  });

  it('neither given, across the autumn change: 7 calendar days is 169 hours', () => {
    const now = at('2021-11-10T17:00:00.5Z'); // 12:00 EST
    const w = resolveWindow(undefined, undefined, NY, now);
    expect({ from: utc(w.from), to: utc(w.to) }).toEqual({ from: '2021-11-03T16:00:00.000Z', to: '2021-11-10T17:00:00.000Z' });
    expect(w.to - w.from).toBe(7 * DAY_MS + HOUR_MS);
  });

  it('neither given, Europe/London across its spring change', () => {
    const w = win(undefined, undefined, 'Europe/London', at('2021-03-30T12:00:00.5Z'));
    expect(w).toEqual({ from: '2021-03-23T13:00:00.000Z', to: '2021-03-30T12:00:00.000Z' });
  });

  it('only to: from = to − 7 calendar days in the zone', () => {
    expect(win(undefined, '2021-03-16T00:00:00Z')).toEqual({ from: '2021-03-09T00:00:00.000Z', to: '2021-03-16T00:00:00.000Z' });
    expect(win(undefined, '2021-03-16T00:00', NY)).toEqual({ from: '2021-03-09T05:00:00.000Z', to: '2021-03-16T04:00:00.000Z' });
    // millisecond precision of an explicit `to` is kept
    expect(win(undefined, '2021-03-16T00:00:00.250Z')).toEqual({ from: '2021-03-09T00:00:00.250Z', to: '2021-03-16T00:00:00.250Z' });
  });

  it('only from: to = from + 7 calendar days in the zone, independent of now', () => {
    expect(win('2021-11-01T00:00', undefined, NY)).toEqual({ from: '2021-11-01T04:00:00.000Z', to: '2021-11-08T05:00:00.000Z' });
    expect(win('2021-11-01T00:00', undefined, NY, at('2030-01-01T00:00:00Z'))).toEqual({
      from: '2021-11-01T04:00:00.000Z',
      to: '2021-11-08T05:00:00.000Z',
    });
    expect(win('2021-03-01T00:00:00Z', undefined)).toEqual({ from: '2021-03-01T00:00:00.000Z', to: '2021-03-08T00:00:00.000Z' });
  });

  it('explicit bounds do not depend on now', () => {
    const a = win('2021-01-01T00:00:00Z', '2021-01-02T00:00:00Z', 'UTC', at('2000-01-01T00:00:00Z'));
    const b = win('2021-01-01T00:00:00Z', '2021-01-02T00:00:00Z', 'UTC', at('2099-01-01T00:00:00Z'));
    expect(a).toEqual({ from: '2021-01-01T00:00:00.000Z', to: '2021-01-02T00:00:00.000Z' });
    expect(b).toEqual(a);
  });

  it('reads offset-less bounds in the request zone', () => {
    expect(win('2021-03-01', '2021-03-02', NY)).toEqual({ from: '2021-03-01T05:00:00.000Z', to: '2021-03-02T05:00:00.000Z' });
    expect(win('2021-03-01', '2021-03-02', 'Asia/Tokyo')).toEqual({ from: '2021-02-28T15:00:00.000Z', to: '2021-03-01T15:00:00.000Z' });
  });
});

describe('resolveWindow: order and limits', () => {
  it('from after to → 400', () => {
    expect400(() => resolveWindow('2021-03-02T00:00:00Z', '2021-03-01T00:00:00Z', 'UTC', NOW));
    expect400(() => resolveWindow('2021-03-01T00:00:00.001Z', '2021-03-01T00:00:00Z', 'UTC', NOW));
    // different spellings, same comparison on instants
    expect400(() => resolveWindow('2021-03-01T01:00:00+00:00', '2021-03-01T01:30:00+01:00', 'UTC', NOW));
  });

  it('from equal to to is allowed (an empty window)', () => {
    expect(win('2021-03-01T00:00:00Z', '2021-03-01T00:00:00Z')).toEqual({ from: '2021-03-01T00:00:00.000Z', to: '2021-03-01T00:00:00.000Z' });
    expect(win('2021-03-01T01:00:00+01:00', '2021-03-01T00:00:00Z')).toEqual({ from: '2021-03-01T00:00:00.000Z', to: '2021-03-01T00:00:00.000Z' });
  });

  it('exactly 30 days is accepted; one second or one millisecond more → 400 (UTC)', () => {
    expect(win('2021-01-01T00:00:00Z', '2021-01-31T00:00:00Z')).toEqual({ from: '2021-01-01T00:00:00.000Z', to: '2021-01-31T00:00:00.000Z' });
    expect400(() => resolveWindow('2021-01-01T00:00:00Z', '2021-01-31T00:00:01Z', 'UTC', NOW), '30');
    expect400(() => resolveWindow('2021-01-01T00:00:00Z', '2021-01-31T00:00:00.001Z', 'UTC', NOW));
    expect400(() => resolveWindow('2021-01-01T00:00:00Z', '2021-03-01T00:00:00Z', 'UTC', NOW));
  });

  it('30 calendar days across spring-forward in America/New_York (719 hours) is accepted; one second more → 400', () => {
    const w = resolveWindow('2021-03-01T00:00', '2021-03-31T00:00', NY, NOW);
    expect({ from: utc(w.from), to: utc(w.to) }).toEqual({ from: '2021-03-01T05:00:00.000Z', to: '2021-03-31T04:00:00.000Z' });
    expect(w.to - w.from).toBe(719 * HOUR_MS);
    expect400(() => resolveWindow('2021-03-01T00:00', '2021-03-31T00:00:01', NY, NOW));
  });

  it('30 calendar days across fall-back in America/New_York (721 hours) is accepted; one second more → 400', () => {
    const w = resolveWindow('2021-10-20T00:00', '2021-11-19T00:00', NY, NOW);
    expect(w.to - w.from).toBe(721 * HOUR_MS);
    expect400(() => resolveWindow('2021-10-20T00:00', '2021-11-19T00:00:01', NY, NOW));
  });

  it('the 30 days are counted in the request zone, whatever offsets the values carry', () => {
    // 721 hours: 30 calendar days in New York, but more than 30 days in UTC.
    const from = '2021-10-20T00:00:00-04:00';
    const to = '2021-11-19T00:00:00-05:00';
    expect(win(from, to, NY)).toEqual({ from: '2021-10-20T04:00:00.000Z', to: '2021-11-19T05:00:00.000Z' });
    expect400(() => resolveWindow(from, to, 'UTC', NOW));
  });

  it('30 calendar days in a southern-hemisphere zone across its autumn change', () => {
    const w = resolveWindow('2021-03-20T00:00', '2021-04-19T00:00', 'Australia/Sydney', NOW);
    expect(w.to - w.from).toBe(721 * HOUR_MS);
    expect400(() => resolveWindow('2021-03-20T00:00', '2021-04-19T00:00:01', 'Australia/Sydney', NOW));
  });

  it('a limit that lands on a skipped wall time moves forward by the gap, like the parser', () => {
    // 2021-02-12T02:30 EST + 30 days = 2021-03-14T02:30, which does not exist (→ 03:30 EDT = 07:30Z).
    expect(win('2021-02-12T02:30', '2021-03-14T02:30', NY)).toEqual({ from: '2021-02-12T07:30:00.000Z', to: '2021-03-14T07:30:00.000Z' });
    expect(win('2021-02-12T02:30', '2021-03-14T03:30', NY).to).toBe('2021-03-14T07:30:00.000Z');
    expect400(() => resolveWindow('2021-02-12T02:30', '2021-03-14T03:30:01', NY, NOW));
  });

  it('a 30-day window reached from only one bound is fine, 7-day defaults never exceed the limit', () => {
    for (const zone of ['UTC', NY, 'Europe/London', 'Australia/Sydney', 'Asia/Kathmandu']) {
      const w = resolveWindow(undefined, undefined, zone, NOW);
      expect(w.to).toBe(at('2021-03-17T12:00:00Z'));
      expect(addCalendarDays(w.from, 7, zone)).toBe(w.to);
    }
  });

  it('invalid bounds → 400 naming the parameter and the value', () => {
    const fromError = expect400(() => resolveWindow('last week', '2021-03-01T00:00:00Z', 'UTC', NOW), 'last week');
    expect(fromError.message).toMatch(/\bfrom\b/);
    const toError = expect400(() => resolveWindow('2021-03-01T00:00:00Z', '1614556800', 'UTC', NOW), '1614556800');
    expect(toError.message).toMatch(/\bto\b/);
    expect(toError.message).not.toMatch(/\bfrom\b/);
    expect400(() => resolveWindow(undefined, '2021-02-29', 'UTC', NOW), '2021-02-29');
  });
});
