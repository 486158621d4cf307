/**
 * Compile-time checks of the public SDK surface: `npm test` type-checks this file with
 * `tsc --noEmit`, so a wrong type fails the build (each `@ts-expect-error` must see an error).
 * The runtime test only keeps vitest aware of the file.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  errorFromResponse,
  RateLimitError,
  RecordingIterator,
  RecvaultClient,
  RecvaultError,
  RetryPolicy,
  type BatchResult,
  type ListCheckpoint,
  type ListRecordingsParams,
  type RecordingItem,
  type RecordingPage,
  type SiteListEntry,
} from '../../src/client/index.js';
import type { RecordingItem as ServerRecordingItem } from '../../src/domain/types.js';

function typeChecks(client: RecvaultClient): void {
  // The SDK's wire types are the server's.
  expectTypeOf<RecordingItem>().toEqualTypeOf<ServerRecordingItem>();

  expectTypeOf(client.recordings.list({ from: '2024-01-01', to: new Date(), max: 50 })).toEqualTypeOf<RecordingIterator>();
  expectTypeOf(client.recordings.list()).toExtend<AsyncIterable<RecordingItem>>();
  expectTypeOf(client.recordings.list().toArray({ limit: 10 })).resolves.toEqualTypeOf<RecordingItem[]>();
  expectTypeOf(client.recordings.pages({})).toExtend<AsyncIterable<RecordingPage>>();
  expectTypeOf<RecordingPage['trackingId']>().toEqualTypeOf<string | null>();
  expectTypeOf<RecordingPage['link']>().toEqualTypeOf<string | null>();
  expectTypeOf<RecordingPage['checkpoint']>().toEqualTypeOf<ListCheckpoint>();
  expectTypeOf(client.recordings.get('id')).resolves.toEqualTypeOf<RecordingItem>();
  expectTypeOf(client.sites()).resolves.toEqualTypeOf<SiteListEntry[]>();
  expectTypeOf(client.recordings.softDelete(['a'], { siteUrl: 's', hostEmail: 'h' })).resolves.toEqualTypeOf<BatchResult>();
  expectTypeOf(client.recordings.restoreAll()).resolves.toBeVoid();
  expectTypeOf(client.recordings.adminDelete('a')).resolves.toBeVoid();
  expectTypeOf<ListRecordingsParams['format']>().toEqualTypeOf<'MP4' | 'ARF' | 'UPLOADED' | undefined>();
  expectTypeOf<ListRecordingsParams['status']>().toEqualTypeOf<'available' | 'deleted' | 'purged' | undefined>();

  expectTypeOf(errorFromResponse(429, {}, '')).toEqualTypeOf<RecvaultError>();
  expectTypeOf<RateLimitError['retryAfter']>().toEqualTypeOf<number | null>();
  expectTypeOf<AuthenticationError>().toExtend<RecvaultError>();
  expectTypeOf<RecvaultError['status']>().toBeNumber();
  expectTypeOf<RecvaultError['trackingId']>().toEqualTypeOf<string | null>();
  expectTypeOf(new RetryPolicy().delayBeforeRetry(0, { kind: 'connection' })).toEqualTypeOf<number | null>();

  // @ts-expect-error toArray demands a limit
  void client.recordings.list().toArray();
  // @ts-expect-error toArray demands a limit
  void client.recordings.list().toArray({});
  // @ts-expect-error format is a closed enum, case-sensitive like the API
  void client.recordings.list({ format: 'mp4' });
  // @ts-expect-error serviceType is a closed enum
  void client.recordings.list({ serviceType: 'Webinar' });
  // @ts-expect-error unknown filters are not accepted
  void client.recordings.list({ hostEmail: 'a@b.c' });
  // @ts-expect-error from is a Date, epoch ms or ISO string
  void client.recordings.list({ from: true });
  // @ts-expect-error ids are an array
  void client.recordings.softDelete('one-id');
  // @ts-expect-error a token is required
  void new RecvaultClient({ baseUrl: 'http://x' });
  // @ts-expect-error retry options are typed
  void new RecvaultClient({ baseUrl: 'http://x', token: 't', retry: { maxRetries: '3' } });
  // @ts-expect-error items have the wire fields only
  void client.recordings.get('x').then((r) => r.nonexistent);
  // @ts-expect-error the checkpoint is data, not a string
  void client.recordings.pages({}, { resume: 'next-url' });
}

describe('SDK public types', () => {
  it('are checked at compile time', () => {
    expectTypeOf(typeChecks).toBeFunction();
  });
});
