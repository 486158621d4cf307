import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatInstant, formatSize, safeHttpUrl } from '../../console/src/format.js';

describe('formatDuration (h:mm:ss)', () => {
  it.each([
    [0, '0:00:00'],
    [59, '0:00:59'],
    [60, '0:01:00'],
    [1800, '0:30:00'],
    [3599, '0:59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [36_000 + 61, '10:01:01'],
    [100 * 3600, '100:00:00'],
    [59.9, '0:00:59'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%s → a dash, not a crash', (seconds) => {
    expect(formatDuration(seconds)).toBe('—');
  });
});

describe('formatSize (decimal units, three significant digits)', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1536, '1.54 kB'],
    [999_499, '999 kB'],
    [999_500, '1.00 MB'],
    [123_456_789, '123 MB'],
    [8_670_000, '8.67 MB'],
    [98_500_000, '98.5 MB'],
    [2_000_000_000, '2.00 GB'],
    [5e15, '5.00 PB'],
    [5e18, '5000 PB'],
  ])('%s bytes → %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it('a negative or non-finite size → a dash', () => {
    expect(formatSize(-5)).toBe('—');
    expect(formatSize(Number.NaN)).toBe('—');
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [123_456_789, '123,456,789'],
  ])('%s → %s', (n, text) => expect(formatCount(n)).toBe(text));
});

describe('formatInstant (reformats, never converts)', () => {
  it.each([
    ['2021-03-17T02:00:00-04:00', '2021-03-17 02:00 −04:00'],
    ['2021-03-17T15:00:00+09:00', '2021-03-17 15:00 +09:00'],
    ['2021-03-17T06:00:00Z', '2021-03-17 06:00 UTC'],
    ['2021-03-17T06:00:00.250+00:00', '2021-03-17 06:00 +00:00'],
  ])('%s → %s', (iso, text) => expect(formatInstant(iso)).toBe(text));

  it('shows anything unexpected as it came', () => {
    expect(formatInstant('yesterday')).toBe('yesterday');
  });
});

describe('safeHttpUrl', () => {
  it('keeps http and https links', () => {
    expect(safeHttpUrl('https://acme.webex.com/ldr.php?RCID=1')).toBe('https://acme.webex.com/ldr.php?RCID=1');
    expect(safeHttpUrl('http://example.com/x')).toBe('http://example.com/x');
  });

  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:x', 'not a url', '', '//evil.example/x'])(
    'refuses %j',
    (value) => expect(safeHttpUrl(value)).toBeNull(),
  );

  it('an absent URL → null', () => expect(safeHttpUrl(undefined)).toBeNull());
});
