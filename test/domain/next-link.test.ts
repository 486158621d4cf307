import { describe, expect, it } from 'vitest';
import { CursorCodec } from '../../src/domain/cursor.js';
import { parseIsoInstant } from '../../src/domain/iso8601.js';
import { parseListQuery, type ListQuery } from '../../src/domain/list-query.js';
import { nextPageQuery, renderLinkInstant } from '../../src/domain/next-link.js';
import type { RawQuery } from '../../src/domain/query-params.js';
import { at, randomInt, seededRandom } from './support.js';

const NY = 'America/New_York';
const NOW = at('2021-03-17T12:00:00.789Z');
const codec = new CursorCodec('next-link-secret');
const CURSOR = codec.encode({ createTime: at('2021-03-16T10:00:00Z'), id: 'rec-9', filters: 'digest', zone: NY });

const BASE: ListQuery = {
  max: 10,
  zone: 'UTC',
  meetingId: null,
  siteUrl: null,
  window: { from: at('2021-03-10T12:00:00Z'), to: at('2021-03-17T12:00:00Z') },
  integrationTag: null,
  topic: null,
  format: null,
  serviceType: null,
  status: 'available',
  cursor: null,
};

/** Parses a query string the way a server does: every key with all its values. */
function paramsOf(query: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) (out[k] ??= []).push(v);
  return out;
}

/** The query as Fastify would hand it over on the follow-up request. */
function rawOf(query: string): RawQuery {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(paramsOf(query))) out[k] = v.length === 1 ? (v[0] as string) : v;
  return out;
}

describe('renderLinkInstant', () => {
  it('renders UTC with Z and other zones with their numeric offset', () => {
    expect(renderLinkInstant(at('2020-07-13T17:11:35Z'), 'UTC')).toBe('2020-07-13T17:11:35Z');
    expect(renderLinkInstant(at('2020-07-13T17:11:35Z'), NY)).toBe('2020-07-13T13:11:35-04:00');
    expect(renderLinkInstant(at('2021-01-15T17:00:00Z'), NY)).toBe('2021-01-15T12:00:00-05:00');
    expect(renderLinkInstant(at('2021-01-15T12:00:00Z'), 'Europe/London')).toBe('2021-01-15T12:00:00+00:00');
    expect(renderLinkInstant(at('2020-07-13T17:11:35Z'), 'Asia/Kolkata')).toBe('2020-07-13T22:41:35+05:30');
    expect(renderLinkInstant(at('2020-07-13T17:11:35Z'), 'Asia/Kathmandu')).toBe('2020-07-13T22:56:35+05:45');
  });

  it('keeps milliseconds only when there are some', () => {
    expect(renderLinkInstant(at('2020-07-13T17:11:35.123Z'), 'UTC')).toBe('2020-07-13T17:11:35.123Z');
    expect(renderLinkInstant(at('2020-07-13T17:11:35.007Z'), NY)).toBe('2020-07-13T13:11:35.007-04:00');
    expect(renderLinkInstant(at('2020-07-13T17:11:35.000Z'), NY)).toBe('2020-07-13T13:11:35-04:00');
    expect(renderLinkInstant(at('1969-12-31T23:59:59.500Z'), 'UTC')).toBe('1969-12-31T23:59:59.500Z');
  });

  it('distinguishes both sides of an ambiguous hour by the offset', () => {
    expect(renderLinkInstant(at('2021-11-07T05:30:00Z'), NY)).toBe('2021-11-07T01:30:00-04:00');
    expect(renderLinkInstant(at('2021-11-07T06:30:00Z'), NY)).toBe('2021-11-07T01:30:00-05:00');
  });

  it('re-parses to exactly the same instant in any request zone (seeded random instants, with and without ms)', () => {
    const rand = seededRandom(20210317);
    const zones = ['UTC', NY, 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
    const failures: string[] = [];
    for (let i = 0; i < 600; i += 1) {
      const zone = zones[i % zones.length] as string;
      let ms = randomInt(rand, Date.UTC(1975, 0, 1), Date.UTC(2037, 0, 1));
      if (i % 2 === 0) ms = Math.floor(ms / 1000) * 1000;
      const text = renderLinkInstant(ms, zone);
      for (const readZone of ['UTC', 'Asia/Tokyo']) {
        const back = parseIsoInstant('from', text, readZone);
        if (back !== ms) failures.push(`${zone} ${new Date(ms).toISOString()} → ${text} → ${new Date(back).toISOString()}`);
      }
    }
    for (const t of ['2021-03-14T07:00:00Z', '2021-11-07T05:30:00Z', '2021-11-07T06:30:00Z', '2021-11-07T05:59:59.999Z', '2021-11-07T06:00:00.001Z']) {
      const text = renderLinkInstant(at(t), NY);
      if (parseIsoInstant('to', text, 'UTC') !== at(t)) failures.push(`${t} → ${text}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('renderLinkInstant: offsets of local mean time', () => {
  it('writes a whole-minute offset and the wall time that goes with it, so the bound re-parses exactly', () => {
    const rand = seededRandom(1972);
    const failures: string[] = [];
    for (const zone of ['Africa/Monrovia', NY, 'Europe/Paris', 'Asia/Kolkata']) {
      for (let i = 0; i < 200; i += 1) {
        let ms = randomInt(rand, at('0001-01-01T00:00:00Z'), Date.UTC(1972, 0, 1));
        if (i % 2 === 0) ms = Math.floor(ms / 1000) * 1000;
        const text = renderLinkInstant(ms, zone);
        const back = parseIsoInstant('from', text, 'UTC');
        if (back !== ms) failures.push(`${zone} ${new Date(ms).toISOString()} → ${text} → ${new Date(back).toISOString()}`);
      }
    }
    expect(renderLinkInstant(at('1960-05-20T00:00:00Z'), 'Africa/Monrovia')).toBe('1960-05-19T23:15:00-00:45');
    expect(failures).toEqual([]);
  });
});

describe('nextPageQuery', () => {
  it('holds max, the explicit window, the site, status and cursor, in that order', () => {
    const q = nextPageQuery(BASE, 'a.example.com', CURSOR);
    expect(q).toBe(`max=10&from=2021-03-10T12%3A00%3A00Z&to=2021-03-17T12%3A00%3A00Z&siteUrl=a.example.com&status=available&cursor=${CURSOR}`);
  });

  it('repeats every filter given, each exactly once', () => {
    const query: ListQuery = { ...BASE, max: 3, integrationTag: 'JIRA-1', topic: 'Weekly Sync', format: 'ARF', serviceType: 'EventCenter', status: 'deleted' };
    const params = paramsOf(nextPageQuery(query, 'b.example.com', CURSOR));
    expect(params).toEqual({
      max: ['3'],
      from: ['2021-03-10T12:00:00Z'],
      to: ['2021-03-17T12:00:00Z'],
      siteUrl: ['b.example.com'],
      integrationTag: ['JIRA-1'],
      topic: ['Weekly Sync'],
      format: ['ARF'],
      serviceType: ['EventCenter'],
      status: ['deleted'],
      cursor: [CURSOR],
    });
  });

  it('renders the window with offsets in the request zone, re-parsing to the same instants (milliseconds kept)', () => {
    const window = { from: at('2021-03-01T05:00:00.250Z'), to: at('2021-03-31T04:00:00.999Z') };
    const params = paramsOf(nextPageQuery({ ...BASE, zone: NY, window }, 'a.example.com', CURSOR));
    expect(params.from).toEqual(['2021-03-01T00:00:00.250-05:00']);
    expect(params.to).toEqual(['2021-03-31T00:00:00.999-04:00']);
    expect(parseIsoInstant('from', params.from![0]!, 'UTC')).toBe(window.from);
    expect(parseIsoInstant('to', params.to![0]!, 'Asia/Tokyo')).toBe(window.to);
  });

  it('encodes a + offset so it does not turn into a space', () => {
    const query = nextPageQuery({ ...BASE, zone: 'Asia/Kolkata' }, 'a.example.com', CURSOR);
    expect(query).toContain('%2B05%3A30');
    expect(paramsOf(query).from).toEqual(['2021-03-10T17:30:00+05:30']);
  });

  it('with meetingId: no from, to or siteUrl', () => {
    const query: ListQuery = { ...BASE, meetingId: 'series-1', window: null, topic: 'x' };
    const params = paramsOf(nextPageQuery(query, null, CURSOR));
    expect(params).toEqual({ max: ['10'], meetingId: ['series-1'], topic: ['x'], status: ['available'], cursor: [CURSOR] });
  });

  it('never contains an unencoded ; or , — a naive Link parser splitting on ; (or ,) gets the whole URL', () => {
    const nasty: ListQuery = {
      ...BASE,
      zone: 'Asia/Kathmandu',
      window: { from: at('2021-03-10T12:00:00.5Z'), to: at('2021-03-17T12:00:00Z') },
      integrationTag: 'a;b,c d&e=f#g?h/i+j%k',
      topic: 'Q1; review, "final" <draft> \\ ß',
    };
    const query = nextPageQuery(nasty, 'site;x,y.example.com', `${CURSOR}`);
    expect(query).not.toMatch(/[;,\s"<>#\\]/);
    const url = `https://recvault.example.com/v1/admin/recordings?${query}`;
    const header = `<${url}>; rel="next"`;
    expect(header.split(';')[0]).toBe(`<${url}>`);
    expect(header.split(',')).toHaveLength(1);
    const params = paramsOf(new URL(header.split(';')[0]!.trim().slice(1, -1)).search);
    expect(params.integrationTag).toEqual(['a;b,c d&e=f#g?h/i+j%k']);
    expect(params.topic).toEqual(['Q1; review, "final" <draft> \\ ß']);
    expect(params.siteUrl).toEqual(['site;x,y.example.com']);
    expect(params.from).toEqual(['2021-03-10T17:45:00.500+05:45']);
  });
});

describe('next link → follow-up request round trip', () => {
  /** Builds the next query from a first request, then parses it as the follow-up, without the timezone header. */
  function follow(raw: RawQuery, tz: string | undefined, siteUrl: string | null, later = NOW + 3_600_000) {
    const first = parseListQuery(raw, tz, NOW, codec);
    const cursor = codec.encode({ createTime: at('2021-03-16T10:00:00Z'), id: 'rec-9', filters: 'd', zone: first.zone });
    const next = parseListQuery(rawOf(nextPageQuery(first, siteUrl, cursor)), undefined, later, codec);
    return { first, next };
  }

  it('a defaulted window does not slide and the zone carries over via the cursor', () => {
    const { first, next } = follow({}, NY, 'a.example.com');
    expect(next.window).toEqual(first.window);
    expect(next.zone).toBe(NY);
    expect(next.siteUrl).toBe('a.example.com');
    expect(next.status).toBe('available');
  });

  it('explicit windows with milliseconds and every filter survive', () => {
    const raw = {
      max: '7',
      from: '2021-03-01T00:00:00.123',
      to: '2021-03-30T00:00:00,456',
      integrationTag: 'ZD;9',
      topic: 'Straße, Weekly',
      format: 'UPLOADED',
      serviceType: 'SupportCenter',
      status: 'deleted',
    };
    const { first, next } = follow(raw, 'Asia/Kathmandu', 'b.example.com');
    expect(first.window).toEqual({ from: at('2021-02-28T18:15:00.123Z'), to: at('2021-03-29T18:15:00.456Z') });
    const { cursor: _a, ...firstRest } = first;
    const { cursor: _b, ...nextRest } = next;
    expect(nextRest).toEqual({ ...firstRest, siteUrl: 'b.example.com' });
  });

  it('works the same for a 30-day window across DST that only fits in calendar days', () => {
    const { first, next } = follow({ from: '2021-10-20T00:00', to: '2021-11-19T00:00' }, NY, 'a.example.com');
    expect(next.window).toEqual(first.window);
    expect(next.window!.to - next.window!.from).toBe(721 * 3_600_000);
  });

  it('keeps the window in a zone whose offset then was not whole minutes (Monrovia, 1960)', () => {
    const { first, next } = follow({ from: '1960-05-20', to: '1960-06-10' }, 'Africa/Monrovia', 'a.example.com', at('1960-06-10T00:00:00Z'));
    expect(next.window).toEqual(first.window);
  });

  it('with meetingId, the follow-up has no window or site', () => {
    const { first, next } = follow({ meetingId: 'm-1', from: 'junk' }, NY, null);
    expect(first.window).toBeNull();
    expect(next).toMatchObject({ meetingId: 'm-1', window: null, siteUrl: null, zone: NY });
  });
});
