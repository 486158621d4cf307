/** Shared helpers for the pure-domain unit tests (not a test file itself). */
import { expect } from 'vitest';
import { ApiError } from '../../src/domain/errors.js';
import type { Recording } from '../../src/domain/types.js';

/** Runs `fn`, which must throw an ApiError, and returns that error. */
export function catchApiError(fn: () => unknown): ApiError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected an ApiError to be thrown, but the call returned normally');
  if (!(thrown instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(thrown)}`);
  return thrown;
}

/** Asserts a 400 and that its message contains every fragment. */
export function expect400(fn: () => unknown, ...fragments: string[]): ApiError {
  const error = catchApiError(fn);
  expect(error.status).toBe(400);
  expect(error.code).toBe('BAD_REQUEST');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

/** Asserts a 403 and returns the error. */
export function expect403(fn: () => unknown): ApiError {
  const error = catchApiError(fn);
  expect(error.status).toBe(403);
  expect(error.code).toBe('FORBIDDEN');
  return error;
}

/** Epoch ms of an ISO string with an explicit offset; throws on anything Date cannot read. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad fixture instant ${iso}`);
  return ms;
}

/** ISO string (UTC, milliseconds) of an epoch-ms instant, for readable assertions. */
export function utc(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Small deterministic PRNG (mulberry32) so "random" tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A uniformly distributed integer in [min, max] from `rand`. */
export function randomInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** A complete, valid recording for rendering tests; `over` changes the fields a test is about. */
export function sampleRecording(over: Partial<Recording> = {}): Recording {
  return {
    id: 'rec-1',
    orgId: 'acme',
    siteUrl: 'a.example.com',
    meetingId: 'inst-1',
    scheduledMeetingId: 'sched-1',
    meetingSeriesId: 'series-1',
    topic: 'Weekly Sync',
    createTime: at('2020-07-13T17:11:35.789Z'),
    timeRecorded: at('2020-07-13T16:11:35.001Z'),
    hostDisplayName: 'Ada Lovelace',
    hostEmail: 'ada@acme.example',
    downloadUrl: 'https://a.example.com/lsr.php?RCID=1',
    playbackUrl: 'https://a.example.com/ldr.php?RCID=1',
    format: 'MP4',
    serviceType: 'MeetingCenter',
    durationSeconds: 1800,
    sizeBytes: 123456789,
    status: 'available',
    preventDownload: false,
    adminDeleted: false,
    integrationTags: [],
    ...over,
  };
}
