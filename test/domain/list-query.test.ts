import { describe, expect, it } from 'vitest';
import { CursorCodec, type CursorState } from '../../src/domain/cursor.js';
import { LIST_PARAMS, parseListQuery } from '../../src/domain/list-query.js';
import type { RawQuery } from '../../src/domain/query-params.js';
import { at, DAY_MS, expect400, HOUR_MS, utc } from './support.js';

const NOW = at('2021-03-17T12:00:00.789Z');
const codec = new CursorCodec('list-query-secret');
const cursorFor = (zone: string, extra: Partial<CursorState> = {}) =>
  codec.encode({ createTime: at('2021-03-16T10:00:00Z'), id: 'rec-9', filters: 'digest', zone, ...extra });

const parse = (raw: RawQuery, tz?: string, now = NOW) => parseListQuery(raw, tz, now, codec);

describe('parseListQuery: defaults', () => {
  it('an empty query gives the documented defaults', () => {
    expect(parse({})).toEqual({
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
    });
  });

  it('lists exactly the endpoint parameters', () => {
    expect([...LIST_PARAMS].sort()).toEqual(
      ['cursor', 'format', 'from', 'integrationTag', 'max', 'meetingId', 'serviceType', 'siteUrl', 'status', 'to', 'topic'].sort(),
    );
  });

  it('empty values count as not given', () => {
    const q = parse({ max: '', from: '', to: '', topic: '', format: '', serviceType: '', status: '', siteUrl: '', integrationTag: '', meetingId: '', cursor: '' });
    expect(q).toEqual(parse({}));
  });

  it('unknown parameters are ignored', () => {
    expect(parse({ foo: 'bar', hostEmail: 'x@y', MAX: '0', Topic: ['a', 'b'] })).toEqual(parse({}));
  });
});

describe('parseListQuery: values', () => {
  it('parses every filter', () => {
    const q = parse({
      max: '100',
      from: '2021-03-01T00:00:00Z',
      to: '2021-03-02T00:00:00Z',
      siteUrl: 'a.example.com',
      integrationTag: 'JIRA-1',
      topic: 'Weekly Sync',
      format: 'ARF',
      serviceType: 'TrainingCenter',
      status: 'deleted',
    });
    expect(q).toEqual({
      max: 100,
      zone: 'UTC',
      meetingId: null,
      siteUrl: 'a.example.com',
      window: { from: at('2021-03-01T00:00:00Z'), to: at('2021-03-02T00:00:00Z') },
      integrationTag: 'JIRA-1',
      topic: 'Weekly Sync',
      format: 'ARF',
      serviceType: 'TrainingCenter',
      status: 'deleted',
      cursor: null,
    });
  });

  it('accepts status=purged (the role check happens later)', () => {
    expect(parse({ status: 'purged' }).status).toBe('purged');
  });

  it.each([
    [{ max: '0' }, 'max'],
    [{ max: '101' }, 'max'],
    [{ max: 'abc' }, 'max'],
    [{ max: '1.5' }, 'max'],
    [{ max: '1e2' }, 'max'],
    [{ format: 'mp4' }, 'format'],
    [{ serviceType: 'meetingCenter' }, 'serviceType'],
    [{ status: 'Available' }, 'status'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '1594660295' }, 'to'],
    [{ topic: ['a', 'b'] }, 'topic'],
    [{ max: ['5', '6'] }, 'max'],
    [{ from: ['2021-03-01', '2021-03-02'] }, 'from'],
    [{ cursor: ['x', 'y'] }, 'cursor'],
  ] as [RawQuery, string][])('%j → 400 naming %s', (raw, name) => {
    const error = expect400(() => parse(raw));
    expect(error.message).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('rejects ids, sites and tags longer than 512 characters, accepts 512', () => {
    for (const name of ['meetingId', 'siteUrl', 'integrationTag']) {
      expect400(() => parse({ [name]: 'x'.repeat(513) }), name);
      expect(parse({ [name]: 'x'.repeat(512) })[name as 'siteUrl']).toBe('x'.repeat(512));
    }
  });

  it('with meetingId, siteUrl is not read at all: neither its length nor its characters fail the request', () => {
    expect(parse({ meetingId: 'm1', siteUrl: 'x'.repeat(600) }).meetingId).toBe('m1');
    expect(parse({ meetingId: 'm1', siteUrl: 'a\u0000b' }).meetingId).toBe('m1');
    expect400(() => parse({ siteUrl: 'a\u0000b' }), 'siteUrl');
  });

  it('accepts a topic as long as one that can be stored (2,048 characters), rejects one more', () => {
    expect(parse({ topic: 'x'.repeat(2048) }).topic).toBe('x'.repeat(2048));
    expect400(() => parse({ topic: 'x'.repeat(2049) }), 'topic');
    // Characters as the import counts them: 2,048 emoji (4,096 UTF-16 units) can be stored, so they can be asked for.
    expect(parse({ topic: '😀'.repeat(2048) }).topic).toBe('😀'.repeat(2048));
    expect400(() => parse({ topic: '😀'.repeat(2049) }), 'topic');
  });

  it('keeps topic and tag values exactly as given (no trimming)', () => {
    const q = parse({ topic: ' Weekly ', integrationTag: ' JIRA-1' });
    expect(q.topic).toBe(' Weekly ');
    expect(q.integrationTag).toBe(' JIRA-1');
  });
});

describe('parseListQuery: meetingId', () => {
  it('with meetingId, from/to/siteUrl are ignored and not even parsed', () => {
    const q = parse({ meetingId: 'series-1', from: 'garbage', to: 'not-a-date', siteUrl: 'nope.example.com' });
    expect(q.meetingId).toBe('series-1');
    expect(q.window).toBeNull();
    expect(q.siteUrl).toBeNull();
  });

  it('with meetingId, an impossible or over-long window is no error either', () => {
    const q = parse({ meetingId: 'm', from: '2021-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' });
    expect(q.window).toBeNull();
    expect(parse({ meetingId: 'm', from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' }).window).toBeNull();
  });

  it('other filters still apply with meetingId', () => {
    const q = parse({ meetingId: 'm', topic: 'T', format: 'MP4', status: 'deleted', max: '3' });
    expect(q).toMatchObject({ meetingId: 'm', topic: 'T', format: 'MP4', status: 'deleted', max: 3, window: null, siteUrl: null });
    expect400(() => parse({ meetingId: 'm', format: 'mp4' }), 'format');
  });

  it('an empty meetingId is not given: from/to are then parsed', () => {
    expect400(() => parse({ meetingId: '', from: 'garbage' }), 'garbage');
  });
});

describe('parseListQuery: time zone and cursor', () => {
  it('uses the timezone header', () => {
    const q = parse({}, 'America/New_York');
    expect(q.zone).toBe('America/New_York');
    // the defaulted window is 7 calendar days in that zone
    expect(q.window).toEqual({ from: at('2021-03-10T13:00:00Z'), to: at('2021-03-17T12:00:00Z') });
    expect(q.window!.to - q.window!.from).toBe(7 * DAY_MS - HOUR_MS);
  });

  it('reads offset-less from/to in the header zone', () => {
    const q = parse({ from: '2021-03-01T00:00', to: '2021-03-31T00:00' }, 'America/New_York');
    expect({ from: utc(q.window!.from), to: utc(q.window!.to) }).toEqual({ from: '2021-03-01T05:00:00.000Z', to: '2021-03-31T04:00:00.000Z' });
  });

  it('canonicalizes the header zone', () => {
    expect(parse({}, 'US/Eastern').zone).toBe('America/New_York');
    expect(parse({}, 'Etc/UTC').zone).toBe('UTC');
  });

  it('an unknown zone → 400', () => {
    expect400(() => parse({}, 'Mars/Base'), 'Mars/Base');
    expect400(() => parse({}, '+05:00'), '+05:00');
  });

  it('decodes the cursor', () => {
    const q = parse({ cursor: cursorFor('Asia/Tokyo') });
    expect(q.cursor).toEqual({ createTime: at('2021-03-16T10:00:00Z'), id: 'rec-9', filters: 'digest', zone: 'Asia/Tokyo' });
  });

  it('without the header, the zone comes from the cursor', () => {
    expect(parse({ cursor: cursorFor('Asia/Tokyo') }).zone).toBe('Asia/Tokyo');
    expect(parse({ cursor: cursorFor('Asia/Tokyo') }, '').zone).toBe('Asia/Tokyo');
  });

  it('without the header, offset-less from/to are read in the cursor zone', () => {
    const q = parse({ cursor: cursorFor('Asia/Tokyo'), from: '2021-03-01', to: '2021-03-02' });
    expect(q.window).toEqual({ from: at('2021-02-28T15:00:00Z'), to: at('2021-03-01T15:00:00Z') });
  });

  it('the header wins over the cursor zone', () => {
    expect(parse({ cursor: cursorFor('Asia/Tokyo') }, 'Europe/London').zone).toBe('Europe/London');
  });

  it('neither header nor cursor: UTC', () => {
    expect(parse({}, undefined).zone).toBe('UTC');
    expect(parse({}, '').zone).toBe('UTC');
  });

  it('a cursor from another secret or tampered → 400', () => {
    expect400(() => parse({ cursor: new CursorCodec('other').encode({ createTime: 1, id: 'a', filters: 'f', zone: 'UTC' }) }), 'cursor');
    expect400(() => parse({ cursor: 'garbage' }), 'cursor');
    const good = cursorFor('UTC');
    expect400(() => parse({ cursor: `A${good.slice(1)}` === good ? `B${good.slice(1)}` : `A${good.slice(1)}` }), 'cursor');
  });

  it('a cursor whose remembered zone is not valid → 400, not a crash', () => {
    expect400(() => parse({ cursor: cursorFor('Not/AZone') }));
  });

  it('does not read the clock except for defaults', () => {
    const raw = { from: '2021-03-01T00:00:00Z', to: '2021-03-02T00:00:00Z' };
    expect(parse(raw, undefined, 0)).toEqual(parse(raw, undefined, at('2099-01-01T00:00:00Z')));
  });
});
