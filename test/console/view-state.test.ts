import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysInclusive, isDate, todayIn } from '../../console/src/dates.js';
import { DEFAULT_VIEW, listRequest, rangeDates, readViewState, writeViewState, type ViewState } from '../../console/src/view-state.js';

const NOW = Date.parse('2021-03-17T12:00:00Z');

describe('URL ⇄ view state', () => {
  it('an empty query is the default view, and the default view writes an empty query', () => {
    expect(readViewState('')).toEqual({ state: DEFAULT_VIEW, ignored: [] });
    expect(writeViewState(DEFAULT_VIEW).toString()).toBe('');
  });

  it('reads every filter', () => {
    const { state, ignored } = readViewState(
      '?site=b.example.com&from=2021-03-01&to=2021-03-10&topic=Daily+Scrum&meetingId=m1&tag=JIRA-1&format=ARF&serviceType=EventCenter&status=deleted&tz=Asia%2FTokyo&size=100',
    );
    expect(ignored).toEqual([]);
    expect(state).toEqual({
      site: 'b.example.com',
      range: { kind: 'dates', from: '2021-03-01', to: '2021-03-10' },
      topic: 'Daily Scrum',
      meetingId: 'm1',
      integrationTag: 'JIRA-1',
      format: 'ARF',
      serviceType: 'EventCenter',
      status: 'deleted',
      timezone: 'Asia/Tokyo',
      pageSize: 100,
    });
  });

  it('reads a preset', () => {
    expect(readViewState('range=30d').state.range).toEqual({ kind: 'last', days: 30 });
    expect(writeViewState({ ...DEFAULT_VIEW, range: { kind: 'last', days: 30 } }).toString()).toBe('range=30d');
  });

  it('ignores, and names, values it cannot use instead of failing', () => {
    const { state, ignored } = readViewState('format=mp4&status=gone&tz=Mars%2FOlympus&size=7&range=9d&serviceType=x');
    expect(state).toEqual(DEFAULT_VIEW);
    expect(ignored.sort()).toEqual(['format', 'range', 'serviceType', 'size', 'status', 'tz']);
    expect(readViewState('from=2021-02-30&to=2021-03-01').ignored).toEqual(['from/to']);
    expect(readViewState('from=2021-02-01').ignored).toEqual(['from/to']);
  });

  it('bounds huge text values', () => {
    expect(readViewState(`topic=${'x'.repeat(10_000)}`).state.topic).toHaveLength(500);
  });

  it('round-trips any view through the URL', () => {
    const text = fc.string({ maxLength: 40 });
    const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const view: fc.Arbitrary<ViewState> = fc.record({
      site: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: null }),
      range: fc.oneof(fc.constantFrom(7 as const, 30 as const).map((days) => ({ kind: 'last' as const, days })), fc.tuple(date, date).map(([from, to]) => ({ kind: 'dates' as const, from, to }))),
      topic: text,
      meetingId: text,
      integrationTag: text,
      format: fc.constantFrom(null, 'MP4' as const, 'ARF' as const, 'UPLOADED' as const),
      serviceType: fc.constantFrom(null, 'MeetingCenter' as const, 'TrainingCenter' as const),
      status: fc.constantFrom('available' as const, 'deleted' as const, 'purged' as const),
      timezone: fc.constantFrom(null, 'UTC', 'Europe/Berlin', 'America/New_York'),
      pageSize: fc.constantFrom(10 as const, 25 as const, 50 as const, 100 as const),
    });
    fc.assert(
      fc.property(view, (state) => {
        const url = `https://console.example/?${writeViewState(state).toString()}`;
        expect(readViewState(new URL(url).search)).toEqual({ state, ignored: [] });
      }),
    );
  });
});

describe('calendar dates', () => {
  it('validates real dates only', () => {
    expect(isDate('2020-02-29')).toBe(true);
    expect(isDate('2021-02-29')).toBe(false);
    expect(isDate('2021-13-01')).toBe(false);
    expect(isDate('2021-3-1')).toBe(false);
    expect(isDate('0000-01-01')).toBe(false);
  });

  it('adds days across months, years and DST changes', () => {
    expect(addDays('2021-03-11', 7)).toBe('2021-03-18');
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(daysInclusive('2021-03-11', '2021-03-17')).toBe(7);
    expect(daysInclusive('2021-03-17', '2021-03-17')).toBe(1);
    expect(daysInclusive('2021-03-18', '2021-03-17')).toBe(0);
  });

  it('today depends on the zone', () => {
    expect(todayIn('America/New_York', NOW)).toBe('2021-03-17');
    expect(todayIn('Pacific/Kiritimati', NOW)).toBe('2021-03-18');
    expect(todayIn('Pacific/Pago_Pago', Date.parse('2021-03-17T05:00:00Z'))).toBe('2021-03-16');
  });
});

describe('listRequest', () => {
  it('last 7 days: the 7 calendar days ending today in the zone, sent without offset (the timezone header places them)', () => {
    const request = listRequest({ ...DEFAULT_VIEW, site: 'b.example.com' }, 'Asia/Tokyo', NOW);
    expect(request).toEqual({
      ok: true,
      from: '2021-03-11',
      to: '2021-03-17',
      params: { siteUrl: 'b.example.com', from: '2021-03-11', to: '2021-03-18', status: 'available', timezone: 'Asia/Tokyo' },
    });
    expect(rangeDates({ kind: 'last', days: 30 }, 'UTC', NOW)).toEqual({ from: '2021-02-16', to: '2021-03-17' });
  });

  it('passes every filter', () => {
    const request = listRequest(
      { ...DEFAULT_VIEW, topic: 'T', integrationTag: 'J', format: 'MP4', serviceType: 'EventCenter', status: 'deleted', range: { kind: 'dates', from: '2021-01-01', to: '2021-01-30' } },
      'UTC',
      NOW,
    );
    expect(request.ok && request.params).toEqual({ topic: 'T', integrationTag: 'J', format: 'MP4', serviceType: 'EventCenter', status: 'deleted', timezone: 'UTC', from: '2021-01-01', to: '2021-01-31' });
  });

  it('30 days is the longest range listed; 31 is explained, not requested', () => {
    expect(listRequest({ ...DEFAULT_VIEW, range: { kind: 'dates', from: '2021-01-01', to: '2021-01-30' } }, 'UTC', NOW).ok).toBe(true);
    const long = listRequest({ ...DEFAULT_VIEW, range: { kind: 'dates', from: '2021-01-01', to: '2021-01-31' } }, 'UTC', NOW);
    expect(long).toMatchObject({ ok: false, reason: 'tooLong', days: 31 });
    expect(!long.ok && long.message).toMatch(/spans 31 days.*at most 30 days.*Export CSV/);
    // The export may ask for any length.
    expect(listRequest({ ...DEFAULT_VIEW, range: { kind: 'dates', from: '2020-01-01', to: '2021-01-31' } }, 'UTC', NOW, { allowLong: true }).ok).toBe(true);
  });

  it('a reversed range is explained', () => {
    expect(listRequest({ ...DEFAULT_VIEW, range: { kind: 'dates', from: '2021-02-01', to: '2021-01-31' } }, 'UTC', NOW)).toMatchObject({ ok: false, reason: 'reversed' });
  });

  it('a meeting id ignores site and dates, as the API does', () => {
    const request = listRequest({ ...DEFAULT_VIEW, site: 'b.example.com', meetingId: 'm-1', range: { kind: 'dates', from: '2020-01-01', to: '2021-01-01' } }, 'UTC', NOW);
    expect(request).toEqual({ ok: true, from: null, to: null, params: { meetingId: 'm-1', status: 'available', timezone: 'UTC' } });
  });
});
