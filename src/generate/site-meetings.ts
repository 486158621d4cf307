import type { ServiceType } from '../domain/constants.js';
import type { IntegrationTag, Person, Recording, Site } from '../domain/types.js';
import type { StringPool } from './id-pools.js';
import { randomTag, randomTagSet } from './integration-tags.js';
import {
  CompactUtcCache, randomDurationSeconds, randomStartOfDay, weekdayWeightedDays, yearAndQuarter, type SlotKind,
} from './meeting-times.js';
import type { NameRegion } from './people-names.js';
import { WeightedTable, type Prng } from './prng.js';
import { randomFormat, randomSizeBytes, randomStatus } from './recording-fields.js';
import { ONE_OFF_TEMPLATES, RECURRING_TEMPLATES, type MeetingTemplate, type TopicContext } from './topics.js';
import { weekdayOf, type ZoneClock } from './zone-clock.js';

export interface SiteSetup {
  readonly site: Site;
  /** Hosts of this site; activity is Zipf-like over a seeded shuffle of this list. */
  readonly hosts: readonly Person[];
  readonly clock: ZoneClock;
  readonly region: NameRegion;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly prng: Prng;
  readonly ids: SiteIdPools;
}

/** Where the site's generated identifiers come from (each pool draws on its own random stream). */
export interface SiteIdPools {
  readonly recordingIds: StringPool;
  readonly seriesIds: StringPool;
  /** The end of instance ids: `_I_` + 18 digits. */
  readonly instanceNumbers: StringPool;
  readonly downloadUrls: StringPool;
  readonly playbackUrls: StringPool;
}

/** What all meetings of one series share. */
interface Series {
  readonly id: string;
  readonly host: Person;
  readonly topic: string;
  readonly serviceType: ServiceType;
  readonly medianMinutes: number;
  /** A standing tag (e.g. the team's Jira epic) reused by some of the series' tagged meetings. */
  readonly tag: IntegrationTag | null;
}

const NO_TAGS: readonly IntegrationTag[] = Object.freeze([]);
const RECORDINGS_PER_INSTANCE = WeightedTable.of<number>([[1, 78], [2, 17], [3, 5]]);
const RECURRING_SHARE = 0.18;
const TAGGED_SHARE = 0.15;
const SECOND = 1000;
/** Give up on a window where meetings keep producing nothing, rather than loop forever. */
const MAX_BARREN_SERIES = 100_000;

/** An endless stream of one site's meetings; each yield is the recordings of one meeting instance. */
export function* siteMeetings(setup: SiteSetup): Generator<Recording[]> {
  const { prng, clock } = setup;
  if (setup.hosts.length === 0) throw new RangeError(`site ${setup.site.siteUrl} has no hosts`);
  const ranked = [...setup.hosts];
  for (let i = ranked.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [ranked[i], ranked[j]] = [ranked[j] as Person, ranked[i] as Person];
  }
  // Zipf–Mandelbrot weights: a few hosts record a lot, most now and then.
  const hostTable = new WeightedTable(ranked, ranked.map((_, rank) => 1 / (rank + 4)));
  const firstDay = clock.localDayOf(setup.windowStart);
  const lastDay = clock.localDayOf(setup.windowEnd - 1);
  const oneOffDays = weekdayWeightedDays(firstDay, lastDay);
  const { ids } = setup;
  const scheduledSuffixes = new CompactUtcCache('_');
  // One topic context per day of the window rather than one object and date split per meeting.
  const topicContexts: TopicContext[] = [];
  for (let day = firstDay; day <= lastDay; day++) topicContexts.push({ region: setup.region, ...yearAndQuarter(day) });

  const newSeries = (template: MeetingTemplate, day: number, recurring: boolean): Series => ({
    id: ids.seriesIds.next(),
    host: hostTable.pick(prng),
    topic: template.topic(prng, topicContexts[day - firstDay] ?? { region: setup.region, ...yearAndQuarter(day) }),
    serviceType: template.serviceType,
    medianMinutes: template.medianMinutes,
    tag: recurring && prng.chance(0.3) ? randomTag(prng) : null,
  });

  const instance = (series: Series, day: number, msOfDay: number): Recording[] => {
    const scheduled = clock.toUtc(day, msOfDay);
    const scheduledMeetingId = series.id + scheduledSuffixes.format(scheduled);
    const meetingId = series.id + ids.instanceNumbers.next();
    const count = RECORDINGS_PER_INSTANCE.pick(prng);
    const tags = prng.chance(TAGGED_SHARE) ? randomTagSet(prng, series.tag) : NO_TAGS;
    // Meetings start a little early or late; recording starts a moment after joining.
    const firstStart = scheduled + prng.int(-120, 420) * SECOND + prng.int(0, 240) * SECOND;
    const starts: number[] = [];
    const durations: number[] = [];
    const createTimes: number[] = [];
    if (count > 1 && prng.chance(0.5)) {
      // One session captured as several recordings (e.g. MP4 and ARF), processed together:
      // same timeRecorded and, as in the Webex example, the same createTime or a second apart.
      const duration = randomDurationSeconds(prng, series.medianMinutes);
      const createTime = firstStart + duration * SECOND + prng.int(62, 1800) * SECOND;
      const staggered = prng.chance(0.25);
      for (let i = 0; i < count; i++) {
        starts.push(firstStart);
        durations.push(duration);
        createTimes.push(staggered ? createTime - i * SECOND : createTime);
      }
    } else {
      // Recording stopped and started again: consecutive segments, each processed on its own.
      let cursor = firstStart;
      for (let i = 0; i < count; i++) {
        const duration = randomDurationSeconds(prng, series.medianMinutes / count);
        starts.push(cursor);
        durations.push(duration);
        createTimes.push(cursor + duration * SECOND + prng.int(60, 1800) * SECOND);
        cursor += duration * SECOND + prng.int(60, 600) * SECOND;
      }
    }
    const recordings: Recording[] = [];
    for (let i = 0; i < count; i++) {
      const timeRecorded = starts[i] ?? 0;
      const durationSeconds = durations[i] ?? 0;
      const createTime = createTimes[i] ?? 0;
      if (timeRecorded < setup.windowStart || createTime >= setup.windowEnd) continue; // outside, or still processing
      const format = randomFormat(prng);
      recordings.push({
        id: ids.recordingIds.next(),
        orgId: setup.site.orgId,
        siteUrl: setup.site.siteUrl,
        meetingId,
        scheduledMeetingId,
        meetingSeriesId: series.id,
        topic: series.topic,
        createTime,
        timeRecorded,
        hostDisplayName: series.host.displayName,
        hostEmail: series.host.email,
        downloadUrl: ids.downloadUrls.next(),
        playbackUrl: ids.playbackUrls.next(),
        format,
        serviceType: series.serviceType,
        durationSeconds,
        sizeBytes: randomSizeBytes(prng, format, durationSeconds),
        status: randomStatus(prng),
        preventDownload: prng.chance(0.1),
        adminDeleted: false,
        integrationTags: tags,
      });
    }
    return recordings;
  };

  let barren = 0;
  for (;;) {
    let produced = 0;
    if (prng.chance(RECURRING_SHARE)) {
      const template = RECURRING_TEMPLATES.pick(prng);
      const lifetimeDays = prng.int(28, 280);
      const startDay = prng.int(firstDay - lifetimeDays + 1, lastDay);
      const series = newSeries(template, Math.max(startDay, firstDay), true);
      const weekday = prng.int(1, 5);
      const weekParity = prng.int(0, 1);
      const msOfDay = randomStartOfDay(prng, 'recurring');
      const recordedShare = template.cadence === 'daily' ? 0.25 + 0.45 * prng.float() : 0.5 + 0.45 * prng.float();
      const endDay = Math.min(startDay + lifetimeDays - 1, lastDay);
      for (let day = Math.max(startDay, firstDay); day <= endDay; day++) {
        const dayOfWeek = weekdayOf(day);
        const meets =
          template.cadence === 'daily'
            ? dayOfWeek >= 1 && dayOfWeek <= 5
            : dayOfWeek === weekday && (template.cadence === 'weekly' || Math.floor(day / 7) % 2 === weekParity);
        if (!meets || !prng.chance(recordedShare)) continue;
        const recordings = instance(series, day, msOfDay);
        produced += recordings.length;
        if (recordings.length > 0) yield recordings;
      }
    } else {
      const day = oneOffDays.pick(prng);
      const slot: SlotKind = prng.chance(0.05) ? 'offHours' : 'oneOff';
      const recordings = instance(newSeries(ONE_OFF_TEMPLATES.pick(prng), day, false), day, randomStartOfDay(prng, slot));
      produced = recordings.length;
      if (produced > 0) yield recordings;
    }
    barren = produced > 0 ? 0 : barren + 1;
    if (barren > MAX_BARREN_SERIES) throw new Error(`no meeting of ${setup.site.siteUrl} fits the window`);
  }
}
