import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  errorFromResponse,
  NotFoundError,
  parseNextLink,
  parseRetryAfter,
  PermissionError,
  RateLimitError,
  RecvaultClient,
  RecvaultError,
  ServerError,
  splitWindow,
} from '../../src/client/index.js';
import { planWindows } from '../../src/client/windows.js';
import { parseIsoInstant } from '../../src/domain/iso8601.js';

describe('parseNextLink', () => {
  it('reads the form the API sends and common variants', () => {
    const url = 'https://h.example/v1/admin/recordings?max=10&cursor=abc%3B%2C';
    expect(parseNextLink(`<${url}>; rel="next"`)).toBe(url);
    expect(parseNextLink(`<${url}>;rel=next`)).toBe(url);
    expect(parseNextLink(`  <${url}> ;  rel="next"  `)).toBe(url);
    expect(parseNextLink(`<https://h/p?page=1>; rel="prev", <${url}>; rel="next"`)).toBe(url);
    expect(parseNextLink(`<${url}>; rel="prev next"`)).toBe(url);
  });

  it('returns null when there is no next link or the header is malformed', () => {
    for (const header of [null, undefined, '', '<https://h/x>; rel="prev"', 'https://h/x; rel="next"', '<https://h/x>', '<a b>; rel="next"', '<<x>>; rel="next"']) {
      expect(parseNextLink(header), String(header)).toBeNull();
    }
  });

  it('answers null quickly for huge hostile headers (no catastrophic backtracking)', () => {
    const hostile = [
      `<${'a'.repeat(1_000_000)}`,
      `<${'a'.repeat(15_000)}>;${' '.repeat(1000)}rel=${'n'.repeat(300)}!`,
      `<${'a'.repeat(10_000)}> ${'\t'.repeat(5000)};`,
      '<x>; rel="'.repeat(1600),
      `${'<a>; rel="next", '.repeat(100_000)}`,
      ','.repeat(16_000),
      `<https://h/x>; rel="${'"'.repeat(10_000)}`,
    ];
    for (const header of hostile) {
      const started = performance.now();
      const result = parseNextLink(header);
      expect(performance.now() - started).toBeLessThan(200);
      if (header.length > 16 * 1024) expect(result).toBeNull();
    }
    expect(parseNextLink(`<https://h/x>; rel="next"${' '.repeat(20_000)}`)).toBeNull();
  });
});

describe('errorFromResponse', () => {
  const body = (message: string) => JSON.stringify({ message, errors: [{ description: message }], trackingId: 'BODY-ID' });

  it('maps each status to one class, keeping status, tracking id, headers and body', () => {
    const cases: [number, new (...args: never[]) => RecvaultError][] = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionError],
      [404, NotFoundError],
      [409, ConflictError],
      [429, RateLimitError],
      [500, ServerError],
      [503, ServerError],
      [418, RecvaultError],
    ];
    for (const [status, Class] of cases) {
      const error = errorFromResponse(status, { trackingid: 'HDR-ID' }, body(`m${status}`));
      expect(error, String(status)).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(RecvaultError);
      expect(error.status).toBe(status);
      expect(error.trackingId).toBe('HDR-ID');
      expect(error.message).toBe(`m${status}`);
      expect(error.headers).toEqual({ trackingid: 'HDR-ID' });
      expect(error.body).toMatchObject({ message: `m${status}` });
      expect(error.name).toBe(Class.name);
    }
  });

  it('falls back to the body tracking id, and keeps a non-JSON body as text', () => {
    expect(errorFromResponse(404, {}, body('gone')).trackingId).toBe('BODY-ID');
    const html = errorFromResponse(502, {}, '<html>bad gateway</html>');
    expect(html).toBeInstanceOf(ServerError);
    expect(html.message).toBe('HTTP 502');
    expect(html.body).toBe('<html>bad gateway</html>');
    expect(html.trackingId).toBeNull();
  });

  it('gives a rate-limit error its Retry-After in seconds', () => {
    expect((errorFromResponse(429, { 'retry-after': '7' }, '') as RateLimitError).retryAfter).toBe(7);
    expect((errorFromResponse(429, {}, '') as RateLimitError).retryAfter).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter('Wed, 17 Mar 2021 12:00:00 GMT', Date.parse('2021-03-17T12:00:10Z'))).toBe(0);
  });
});

describe('splitWindow', () => {
  it('chains 30-calendar-day windows from the start, newest first, sharing bounds', () => {
    const windows = splitWindow(Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-03-15T00:00:00Z'), 'UTC');
    expect(windows.map((w) => [new Date(w.from).toISOString(), new Date(w.to).toISOString()])).toEqual([
      ['2024-03-01T00:00:00.000Z', '2024-03-15T00:00:00.000Z'],
      ['2024-01-31T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-01-01T00:00:00.000Z', '2024-01-31T00:00:00.000Z'],
    ]);
  });

  it('keeps wall-clock time across a DST change (a 30-day window is 719 hours there)', () => {
    const from = Date.parse('2021-02-20T05:00:00Z'); // midnight in New York (EST)
    const [newest, oldest] = splitWindow(from, Date.parse('2021-04-01T04:00:00Z'), 'America/New_York');
    expect(new Date(oldest!.to).toISOString()).toBe('2021-03-22T04:00:00.000Z'); // midnight EDT
    expect((oldest!.to - oldest!.from) / 3_600_000).toBe(719);
    expect(newest!.from).toBe(oldest!.to);
  });

  it('writes bounds that re-parse exactly in a zone whose offset then was not whole minutes (Monrovia, 1960)', () => {
    const windows = planWindows(Date.parse('1960-01-01T00:44:30Z'), Date.parse('1960-04-01T00:44:30Z'), 'Africa/Monrovia');
    expect(windows.length).toBeGreaterThan(1);
    for (const w of windows) {
      expect(w.from).toMatch(/-00:45$/);
    }
    // Consecutive windows share their bound exactly, to the second.
    for (let i = 0; i + 1 < windows.length; i++) {
      expect(parseIsoInstant('from', windows[i]!.from as string, 'UTC')).toBe(parseIsoInstant('to', windows[i + 1]!.to as string, 'UTC'));
    }
    const first = parseIsoInstant('from', windows.at(-1)!.from as string, 'UTC');
    expect(first).toBe(Date.parse('1960-01-01T00:44:30Z'));
  });
});

describe('malformed tokens and zones', () => {
  const neverCalled = () => {
    throw new Error('no request may be sent');
  };

  it('are refused when the client is made, without quoting the token', () => {
    for (const token of ['abc\n', 'abc\r\ndef', 'a b', 'tökén', 'abc\u0000', ' abc']) {
      expect(() => new RecvaultClient({ baseUrl: 'http://127.0.0.1:1', token, fetch: neverCalled }), JSON.stringify(token)).toThrow(
        new TypeError('token must be printable ASCII without spaces or line breaks (a line break often comes with a token read from a file)'),
      );
    }
    expect(() => new RecvaultClient({ baseUrl: 'http://127.0.0.1:1', token: 'bearer abc', fetch: neverCalled })).toThrow(/without the "Bearer " prefix/);
    expect(() => new RecvaultClient({ baseUrl: 'http://127.0.0.1:1', token: 'abc', timezone: 'Europe/Zürich', fetch: neverCalled })).toThrow(
      /timezone must be an IANA zone name/,
    );
    expect(new RecvaultClient({ baseUrl: 'http://127.0.0.1:1', token: 'rvt_A-z0.9~+/=', fetch: neverCalled }).baseUrl.href).toBe('http://127.0.0.1:1/');
  });

  it('a per-call zone that cannot be a header fails at once instead of being retried as a network error', async () => {
    const client = new RecvaultClient({ baseUrl: 'http://127.0.0.1:1', token: 'abc', fetch: neverCalled });
    await expect(client.recordings.get('x', { timezone: 'Zürich\n' })).rejects.toThrow(TypeError);
    await expect(client.recordings.list({ timezone: 'Asia/東京' }).toArray({ limit: 1 })).rejects.toThrow(/timezone must be an IANA zone name/);
  });
});
