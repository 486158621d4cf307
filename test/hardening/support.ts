/**
 * Shared checks for the hardening suite: the Webex error shape on every error, "a rejected
 * write changes nothing" snapshots, and scans for internals (stack traces, SQL) in responses.
 */
import { expect } from 'vitest';
import type { App } from '../../src/http/app.js';
import type { Store } from '../../src/store/store.js';

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | undefined;
}

export interface Got {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Sends through app.inject and returns the raw answer. */
export async function send(app: App, req: Sent): Promise<Got> {
  const res = await app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.payload === undefined ? {} : { payload: req.payload }),
  });
  return { status: res.statusCode, headers: res.headers as Got['headers'], body: res.body };
}

export function describeRequest(req: Sent): string {
  const payload = req.payload === undefined ? '' : ` body=${JSON.stringify(req.payload.slice(0, 300))}`;
  return `${req.method} ${req.url.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 300)}${payload}`;
}

/**
 * Invariants of every answer: never a 5xx; every answer has a TrackingID header; every error is
 * `{message, errors:[{description}], trackingId}` with `trackingId` equal to the header; no
 * stack trace or SQL anywhere in the body.
 */
export function checkAnswer(req: Sent, res: Got): void {
  const what = `${describeRequest(req)} → ${res.status} ${res.body.slice(0, 400)}`;
  expect(res.status, what).toBeLessThan(500);
  expect(typeof res.headers['trackingid'], `TrackingID header: ${what}`).toBe('string');
  if (res.status >= 400) {
    expect(String(res.headers['content-type']), what).toMatch(/^application\/json/);
    let body: unknown;
    expect(() => (body = JSON.parse(res.body)), what).not.toThrow();
    const b = body as Record<string, unknown>;
    expect(Object.keys(b).sort(), what).toEqual(['errors', 'message', 'trackingId']);
    expect(typeof b.message, what).toBe('string');
    expect((b.message as string).length, what).toBeGreaterThan(0);
    expect(Array.isArray(b.errors), what).toBe(true);
    expect((b.errors as unknown[]).length, what).toBeGreaterThanOrEqual(1);
    for (const e of b.errors as Record<string, unknown>[]) {
      expect(Object.keys(e), what).toEqual(['description']);
      expect(typeof e.description, what).toBe('string');
    }
    expect(b.trackingId, what).toBe(res.headers['trackingid']);
    expectNoInternals(b.message as string, what);
  }
}

/** JSON-quoted segments are user input echoed back ("Invalid from \"…\""): they are not internals. */
function withoutQuotedInput(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

export const INTERNALS: readonly RegExp[] = [
  /\n\s+at /, // stack frame
  /\bat [\w.<>$]+ \(/, // "at fn (" stack frame
  /\(?(?:file:\/\/|\/)[^\s)]*\.(?:ts|js|mjs|cjs):\d+/, // file:line
  /\.ts:\d+/,
  /node_modules/,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bINSERT\s+INTO\b/i,
  /\bUPDATE\s+\w+\s+SET\b/i,
  /\bsqlite/i,
  /SQLITE_[A-Z]+/,
  /better-sqlite3/,
  /\bFST_ERR_\w+/,
  /TypeError|ReferenceError|RangeError|SyntaxError: /,
  /\bundefined is not\b|Cannot read propert/,
];

export function expectNoInternals(text: string, what: string): void {
  const scanned = withoutQuotedInput(text);
  for (const pattern of INTERNALS) expect(pattern.test(scanned), `${pattern} in ${what}`).toBe(false);
}

/** Statuses of every recording (by org), the audit log and the row count: what a rejected write must leave untouched. */
export interface Snapshot {
  recordings: Record<string, string>;
  auditCount: number;
  lastAuditSeq: number;
  count: number;
}

export async function snapshot(store: Store, ids: readonly { org: string; id: string }[]): Promise<Snapshot> {
  const recordings: Record<string, string> = {};
  for (const { org, id } of ids) {
    const r = await store.getRecording(org, id);
    recordings[`${org}/${id}`] = r === null ? 'missing' : JSON.stringify(r);
  }
  const audit = await store.listAudit(null, 1_000_000);
  return {
    recordings,
    auditCount: audit.length,
    lastAuditSeq: audit.length === 0 ? 0 : (audit[audit.length - 1] as { seq: number }).seq,
    count: await store.countRecordings(),
  };
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
