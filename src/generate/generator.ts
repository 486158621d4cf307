import type { Recording } from '../domain/types.js';
import { checkOptions, type GenerateOptions } from './generate-options.js';
import { digits18Pool, randomHexPool, uniqueHexPool } from './id-pools.js';
import { Prng } from './prng.js';
import { siteMeetings } from './site-meetings.js';
import { siteQuotas } from './site-shares.js';
import { regionOfZone, type GeneratedWorld } from './world.js';
import { ZoneClock } from './zone-clock.js';

export type { GenerateOptions } from './generate-options.js';
export { generateWorld, SITE_TIME_ZONES, type GeneratedWorld } from './world.js';
export { INTEGRATION_CLIENTS } from './integration-tags.js';

// Small batches die young: a batch that outlives a young-generation GC is copied and promoted;
// with 10,000 rows per batch a 1M-row run took ~1.8x the CPU of 1,000 rows per batch (measured).
const DEFAULT_BATCH_SIZE = 1_000;
// Random streams, so that changing how one thing is drawn leaves the others as they were.
const STREAM_RECORDING_IDS = 0x4944_0001;
const STREAM_SERIES_IDS = 0x4944_0002;
const STREAM_SITE_BASE = 0x5349_0000; // + 8 × site index + purpose

/**
 * Yields recordings in batches (arrays of <= batchSize) so callers can insert 1,000,000 rows
 * with bounded memory. Exactly `opts.recordings` recordings in total, site by site; each site
 * gets its share (the first org ~70 %). The batch size does not change the data.
 */
export function* generateRecordings(
  opts: GenerateOptions,
  world: GeneratedWorld,
  batchSize = DEFAULT_BATCH_SIZE,
): Generator<Recording[]> {
  const checked = checkOptions(opts);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const quotas = siteQuotas(world.orgs, world.sites, checked.recordings);
  // Ids are unique across the whole run, so these two pools are shared by all sites.
  const recordingIds = uniqueHexPool(new Prng(checked.seed, STREAM_RECORDING_IDS));
  const seriesIds = uniqueHexPool(new Prng(checked.seed, STREAM_SERIES_IDS));
  let batch: Recording[] = [];
  for (const [siteIndex, site] of world.sites.entries()) {
    let remaining = quotas[siteIndex] ?? 0;
    if (remaining === 0) continue;
    const zone = world.siteTimeZones[site.siteUrl] ?? 'UTC';
    const stream = (purpose: number): Prng => new Prng(checked.seed, STREAM_SITE_BASE + 8 * siteIndex + purpose);
    const siteShort = site.siteUrl.split('.')[0] ?? site.siteUrl;
    const meetings = siteMeetings({
      site,
      hosts: world.people.filter((p) => p.orgId === site.orgId && p.preferredSiteUrl === site.siteUrl),
      clock: new ZoneClock(zone, checked.windowStart, checked.windowEnd),
      region: regionOfZone(zone),
      windowStart: checked.windowStart,
      windowEnd: checked.windowEnd,
      prng: stream(0),
      ids: {
        recordingIds,
        seriesIds,
        instanceNumbers: digits18Pool(stream(1), '_I_'),
        // Webex shape: https://{site}/{first label}/lsr.php?RCID={32 hex}, ldr.php to play.
        downloadUrls: randomHexPool(stream(2), `https://${site.siteUrl}/${siteShort}/lsr.php?RCID=`),
        playbackUrls: randomHexPool(stream(3), `https://${site.siteUrl}/${siteShort}/ldr.php?RCID=`),
      },
    });
    for (const recordings of meetings) {
      for (const recording of recordings) {
        batch.push(recording);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
        if (--remaining === 0) break;
      }
      if (remaining === 0) break;
    }
  }
  if (batch.length > 0) yield batch;
}

/** ISO 8601 UTC with `Z`, second precision (the import format and Webex's own rendering). */
function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * The SPEC import-format object for one recording. Tags of an integration client become
 * `{tag, clientId}`; tags without a client stay plain strings. `orgId` is not a field of the
 * format (the site implies it), nor is `adminDeleted`.
 */
export function toImportRecord(r: Recording): Record<string, unknown> {
  return {
    id: r.id,
    meetingId: r.meetingId,
    ...(r.scheduledMeetingId === null ? {} : { scheduledMeetingId: r.scheduledMeetingId }),
    ...(r.meetingSeriesId === null ? {} : { meetingSeriesId: r.meetingSeriesId }),
    topic: r.topic,
    createTime: isoSeconds(r.createTime),
    timeRecorded: isoSeconds(r.timeRecorded),
    hostDisplayName: r.hostDisplayName,
    hostEmail: r.hostEmail,
    siteUrl: r.siteUrl,
    downloadUrl: r.downloadUrl,
    playbackUrl: r.playbackUrl,
    format: r.format,
    serviceType: r.serviceType,
    durationSeconds: r.durationSeconds,
    sizeBytes: r.sizeBytes,
    status: r.status,
    preventDownload: r.preventDownload,
    integrationTags: r.integrationTags.map((t) => (t.clientId === null ? t.tag : { tag: t.tag, clientId: t.clientId })),
  };
}
