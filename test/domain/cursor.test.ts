import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CursorCodec, filterDigest, type CursorState } from '../../src/domain/cursor.js';
import { expect400 } from './support.js';

const STATE: CursorState = {
  createTime: Date.UTC(2021, 2, 17, 12, 0, 0, 123),
  id: '4f914b1dfe3c4d11a61730f18c0f5387',
  filters: filterDigest(['acme', null, 'a.example.com', null, 1, 2, null, null, null, null, 'available']),
  zone: 'America/New_York',
};

const codec = new CursorCodec('test-cursor-secret');

/** Replaces the character at `index` with a different character of the base64url alphabet. */
function flipChar(text: string, index: number): string {
  const c = text[index];
  const replacement = c === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

function expectInvalidCursor(cursor: string, decoder: CursorCodec = codec): void {
  const error = expect400(() => decoder.decode(cursor));
  expect(error.message.toLowerCase()).toContain('cursor');
}

describe('CursorCodec round trip', () => {
  it('decodes what it encoded', () => {
    expect(codec.decode(codec.encode(STATE))).toEqual(STATE);
  });

  it('round-trips awkward ids, zones and times', () => {
    const states: CursorState[] = [
      { createTime: 0, id: '', filters: '', zone: 'UTC' },
      { createTime: -1, id: 'a.b;c,d e/f?g=h&i#j', filters: 'x'.repeat(22), zone: 'Asia/Kathmandu' },
      { createTime: 8.64e15, id: 'ünïcödé ß Σ 日本 🎥', filters: 'f', zone: 'Etc/GMT+5' },
      { createTime: 1_615_982_400_000, id: '"quoted"\\\n', filters: '{}', zone: 'UTC' },
    ];
    for (const state of states) expect(codec.decode(codec.encode(state))).toEqual(state);
  });

  it('round-trips the longest ids an import accepts (256 code points), in the widest encodings', () => {
    for (const char of ['漢', '𝔦', '\u0001', '"', 'x']) {
      const state: CursorState = { createTime: -62_135_596_800_000, id: char.repeat(256), filters: 'f'.repeat(22), zone: 'America/Argentina/ComodRivadavia' };
      expect(codec.decode(codec.encode(state))).toEqual(state);
    }
  });

  it('encodes deterministically, URL-safe, and differently for different states', () => {
    const a = codec.encode(STATE);
    expect(codec.encode(STATE)).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(a)).toBe(a);
    expect(codec.encode({ ...STATE, id: `${STATE.id}x` })).not.toBe(a);
    expect(codec.encode({ ...STATE, createTime: STATE.createTime + 1 })).not.toBe(a);
    expect(codec.encode({ ...STATE, filters: 'other' })).not.toBe(a);
    expect(codec.encode({ ...STATE, zone: 'UTC' })).not.toBe(a);
  });

  it('a second codec with the same secret (another instance) accepts the cursor; string and Buffer secrets agree', () => {
    const cursor = codec.encode(STATE);
    expect(new CursorCodec('test-cursor-secret').decode(cursor)).toEqual(STATE);
    expect(new CursorCodec(Buffer.from('test-cursor-secret', 'utf8')).decode(cursor)).toEqual(STATE);
  });
});

describe('CursorCodec rejects anything it did not sign (400)', () => {
  const cursor = codec.encode(STATE);
  const dot = cursor.indexOf('.');
  const payload = cursor.slice(0, dot);
  const mac = cursor.slice(dot + 1);

  it('a cursor signed with another secret', () => {
    expectInvalidCursor(new CursorCodec('another-secret').encode(STATE));
    expectInvalidCursor(cursor, new CursorCodec('another-secret'));
    expectInvalidCursor(cursor, new CursorCodec('test-cursor-secreT'));
  });

  it('a tampered payload (every position)', () => {
    for (let i = 0; i < payload.length; i += 1) expectInvalidCursor(`${flipChar(payload, i)}.${mac}`);
  });

  it('a forged payload with the original MAC', () => {
    const forged = Buffer.from(JSON.stringify([1, STATE.createTime, 'other-id', STATE.filters, STATE.zone]), 'utf8').toString('base64url');
    expectInvalidCursor(`${forged}.${mac}`);
  });

  it('a tampered MAC (every position but the last, whose low bits are padding)', () => {
    for (let i = 0; i < mac.length - 1; i += 1) expectInvalidCursor(`${payload}.${flipChar(mac, i)}`);
  });

  it('a truncated cursor', () => {
    for (const cut of [1, 2, 3, 5, mac.length, mac.length + 1, cursor.length - 1]) expectInvalidCursor(cursor.slice(0, cursor.length - cut));
    expectInvalidCursor(payload);
    expectInvalidCursor(`${payload}.`);
    expectInvalidCursor(`.${mac}`);
    expectInvalidCursor(cursor.slice(1));
  });

  it('garbage', () => {
    for (const junk of ['', '.', '..', 'abc', 'abc.def', 'null', '{}', '[1,2,3,"a","b"]', '%00', 'a.b.c', '😀.😀', ' '.repeat(10), cursor.replace('.', '')]) {
      expectInvalidCursor(junk);
    }
  });

  it('an overlong cursor, even with a valid signature', () => {
    const long: CursorState = { ...STATE, id: 'x'.repeat(2_000) };
    expectInvalidCursor(codec.encode(long));
    expectInvalidCursor(`${cursor}${'A'.repeat(2_000)}`);
    expectInvalidCursor('A'.repeat(100_000));
  });

  it('a correctly signed payload of the wrong shape', () => {
    // Payloads signed with the real secret the way the codec signs (HMAC-SHA256, first 16 bytes).
    const sign = (value: unknown): string => {
      const p = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      return `${p}.${macOf(p)}`;
    };
    expect(codec.decode(sign([1, STATE.createTime, STATE.id, STATE.filters, STATE.zone]))).toEqual(STATE);
    for (const bad of [
      [2, STATE.createTime, STATE.id, STATE.filters, STATE.zone],
      [1, String(STATE.createTime), STATE.id, STATE.filters, STATE.zone],
      [1, STATE.createTime, 5, STATE.filters, STATE.zone],
      [1, STATE.createTime, STATE.id, null, STATE.zone],
      [1, STATE.createTime, STATE.id, STATE.filters],
      [1, STATE.createTime, STATE.id, STATE.filters, STATE.zone, 'extra'],
      { createTime: STATE.createTime, id: STATE.id, filters: STATE.filters, zone: STATE.zone },
      'not-an-array',
      null,
    ]) {
      expectInvalidCursor(sign(bad));
    }
    const notJson = Buffer.from('not json', 'utf8').toString('base64url');
    expectInvalidCursor(`${notJson}.${macOf(notJson)}`);
  });

  it('any change to the cursor text is rejected, even one that decodes to the same bytes', () => {
    // A tampered cursor → 400 (SPEC). Base64 decoding that skips unknown characters or padding would
    // otherwise accept several spellings of one cursor.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = mac[mac.length - 1] as string;
    const samePrefixLast = alphabet[alphabet.indexOf(last) ^ 1] as string;
    const variants = [
      `${payload}.${mac.slice(0, -1)}${samePrefixLast}`,
      `${cursor}=`,
      `${cursor}==`,
      `${cursor}!`,
      `${cursor}.`,
      `${cursor} `,
      `${payload}..${mac}`,
      `${payload}.${mac.slice(0, 5)}*${mac.slice(5)}`,
    ];
    const accepted = variants.filter((variant) => {
      try {
        codec.decode(variant);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });
});

function macOf(payload: string): string {
  return createHmac('sha256', Buffer.from('test-cursor-secret', 'utf8')).update(payload).digest().subarray(0, 16).toString('base64url');
}

describe('filterDigest', () => {
  const base: (string | number | null)[] = ['acme', 'zendesk-app', 'a.example.com', null, 1_615_377_600_000, 1_615_982_400_000, 'JIRA-1', 'Weekly', 'MP4', 'MeetingCenter', 'available'];

  it('is stable and short', () => {
    expect(filterDigest(base)).toBe(filterDigest([...base]));
    expect(filterDigest(base)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('changes when any single part changes', () => {
    const digests = new Set([filterDigest(base)]);
    base.forEach((value, i) => {
      const changed = [...base];
      changed[i] = value === null ? 'x' : typeof value === 'number' ? value + 1 : `${value}x`;
      digests.add(filterDigest(changed));
      const nulled = [...base];
      nulled[i] = value === null ? '' : null;
      digests.add(filterDigest(nulled));
    });
    expect(digests.size).toBe(1 + 2 * base.length);
  });

  it('distinguishes null from "null", numbers from strings, and part boundaries', () => {
    expect(filterDigest([null])).not.toBe(filterDigest(['null']));
    expect(filterDigest([1])).not.toBe(filterDigest(['1']));
    expect(filterDigest(['ab', 'c'])).not.toBe(filterDigest(['a', 'bc']));
    expect(filterDigest(['a,b'])).not.toBe(filterDigest(['a', 'b']));
    expect(filterDigest([])).not.toBe(filterDigest([null]));
  });
});
