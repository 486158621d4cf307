import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Recording } from '../src/domain/types.js';
import {
  INTEGRATION_CLIENTS,
  generateRecordings,
  generateWorld,
  toImportRecord,
  type GenerateOptions,
} from '../src/generate/generator.js';

const DAY_MS = 86_400_000;
// A window that spans the 2025 spring DST changes of New York (9 Mar) and Berlin (30 Mar).
const NOW = Date.UTC(2025, 2, 31, 14, 30, 17);
const OPTS: GenerateOptions = { seed: 20_250_331, recordings: 20_000, days: 30, now: NOW };

function generateAll(opts: GenerateOptions, batchSize?: number): Recording[] {
  const world = generateWorld(opts);
  return [...generateRecordings(opts, world, batchSize)].flat();
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

/** Per-item expect() calls would take seconds on 20,000 rows: collect offenders, show a few. */
function offenders<T>(items: readonly T[], ok: (item: T) => boolean): T[] {
  return items.filter((item) => !ok(item)).slice(0, 3);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const world = generateWorld(OPTS);
const all = [...generateRecordings(OPTS, world)].flat();

describe('determinism', () => {
  it('gives identical output for the same seed and options, whatever the batch size', () => {
    const small: GenerateOptions = { ...OPTS, recordings: 3000 };
    const first = JSON.stringify([generateWorld(small), generateAll(small, 500)]);
    const second = JSON.stringify([generateWorld(small), generateAll(small, 7)]);
    expect(second).toBe(first);
  });

  it('gives different output for a different seed', () => {
    const a = generateAll({ ...OPTS, recordings: 500 });
    const b = generateAll({ ...OPTS, recordings: 500, seed: OPTS.seed + 1 });
    expect(b.map((r) => r.id)).not.toEqual(a.map((r) => r.id));
    expect(JSON.stringify(generateWorld({ ...OPTS, seed: 1 }).people)).not.toBe(JSON.stringify(world.people));
  });
});

describe('counts and batches', () => {
  it('yields exactly the requested number of recordings in batches of at most batchSize', () => {
    for (const recordings of [0, 1, 7, 1234]) {
      const opts = { ...OPTS, recordings };
      const batches = [...generateRecordings(opts, generateWorld(opts), 100)];
      expect(batches.every((b) => b.length > 0 && b.length <= 100)).toBe(true);
      expect(batches.reduce((n, b) => n + b.length, 0)).toBe(recordings);
    }
    expect(all).toHaveLength(OPTS.recordings);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateWorld({ ...OPTS, days: 0 })).toThrow(RangeError);
    expect(() => generateWorld({ ...OPTS, recordings: -1 })).toThrow(RangeError);
    expect(() => [...generateRecordings(OPTS, world, 0)]).toThrow(RangeError);
  });
});

describe('world', () => {
  it('has the fixed orgs and sites with their home time zones', () => {
    expect(world.orgs).toEqual([
      { id: 'acme', name: 'Acme Corp' },
      { id: 'globex', name: 'Globex Inc' },
    ]);
    expect(world.sites).toEqual([
      { siteUrl: 'acme.webex.com', orgId: 'acme' },
      { siteUrl: 'acme-eu.webex.com', orgId: 'acme' },
      { siteUrl: 'globex.webex.com', orgId: 'globex' },
    ]);
    expect(world.siteTimeZones).toEqual({
      'acme.webex.com': 'America/New_York',
      'acme-eu.webex.com': 'Europe/Berlin',
      'globex.webex.com': 'Asia/Tokyo',
    });
    const four = generateWorld({ ...OPTS, orgs: 4, recordings: 100 });
    expect(four.sites.map((s) => s.siteUrl)).toEqual([
      'acme.webex.com', 'acme-eu.webex.com', 'globex.webex.com', 'org3.webex.com', 'org4.webex.com',
    ]);
    expect(four.siteTimeZones['org3.webex.com']).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
  });

  it('has hosts with unique emails and ids, one home site each, international names', () => {
    const { people } = world;
    expect(people.length).toBeGreaterThanOrEqual(3 * 40);
    expect(new Set(people.map((p) => p.email)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
    const bad = offenders(
      people,
      (p) =>
        new RegExp(`^${p.orgId}-p\\d{4,}$`).test(p.id) &&
        new RegExp(`^[a-z-]+\\.[a-z-]+\\d*@${p.orgId}\\.com$`).test(p.email) &&
        p.siteUrls.length === 1 &&
        p.siteUrls[0] === p.preferredSiteUrl,
    );
    expect(bad).toEqual([]);
    expect(people.some((p) => /[^\x00-\x7f]/.test(p.displayName))).toBe(true);
  });

  it('gives the first org ~70 % of the recordings, most on acme.webex.com', () => {
    expect(share(all, (r) => r.orgId === 'acme')).toBeCloseTo(0.7, 2);
    const bySite = countBy(all, (r) => r.siteUrl);
    const largest = [...bySite].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(largest).toBe('acme.webex.com');
    const sites = new Map(world.sites.map((s) => [s.siteUrl, s.orgId]));
    expect(all.every((r) => sites.get(r.siteUrl) === r.orgId)).toBe(true);
  });

  it('has Zipf-like host activity: the busiest host records far more than the median one', () => {
    const counts = [...countBy(all.filter((r) => r.siteUrl === 'acme.webex.com'), (r) => r.hostEmail).values()].sort((a, b) => b - a);
    const median = counts[Math.floor(counts.length / 2)] ?? 0;
    expect(counts[0]).toBeGreaterThan(4 * median);
  });
});

describe('times', () => {
  it('puts every createTime and timeRecorded in [now - days, now), in whole seconds', () => {
    const start = NOW - OPTS.days * DAY_MS;
    const bad = offenders(
      all,
      (r) =>
        r.createTime % 1000 === 0 &&
        r.timeRecorded % 1000 === 0 &&
        r.timeRecorded >= start &&
        r.createTime < NOW &&
        r.createTime >= r.timeRecorded + r.durationSeconds * 1000 + 60_000,
    );
    expect(bad).toEqual([]);
  });

  it('spreads recordings over the whole window', () => {
    const firstWeek = share(all, (r) => r.createTime < NOW - (OPTS.days - 7) * DAY_MS);
    const lastWeek = share(all, (r) => r.createTime >= NOW - 7 * DAY_MS);
    expect(firstWeek).toBeGreaterThan(0.15);
    expect(lastWeek).toBeGreaterThan(0.15);
  });

  it('records mostly in business hours of the site zone', () => {
    const inBusinessHours = share(all, (r) => {
      const local = DateTime.fromMillis(r.timeRecorded, { zone: world.siteTimeZones[r.siteUrl] ?? 'UTC' });
      return local.weekday <= 5 && local.hour >= 7 && local.hour < 19;
    });
    expect(inBusinessHours).toBeGreaterThan(0.85);
    expect(inBusinessHours).toBeLessThan(0.995); // the odd evening or weekend call exists
  });

  it('has ties: recordings of one meeting processed in the same second', () => {
    const seen = new Set<string>();
    let ties = 0;
    for (const r of all) {
      const key = `${r.meetingId}@${r.createTime}`;
      if (seen.has(key)) ties++;
      seen.add(key);
    }
    expect(ties).toBeGreaterThan(50);
  });
});

describe('ids and meetings', () => {
  it('has unique 32-hex recording ids and Webex-shaped meeting ids', () => {
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const hex32 = /^[0-9a-f]{32}$/;
    const bad = offenders(all, (r) => {
      const series = r.meetingSeriesId ?? '';
      const site = r.siteUrl.split('.')[0] ?? '';
      return (
        hex32.test(r.id) &&
        hex32.test(series) &&
        r.meetingId.startsWith(`${series}_I_`) &&
        /^[1-9]\d{17}$/.test(r.meetingId.slice(series.length + 3)) &&
        (r.scheduledMeetingId ?? '').startsWith(`${series}_`) &&
        /^\d{8}T\d{6}Z$/.test((r.scheduledMeetingId ?? '').slice(series.length + 1)) &&
        r.downloadUrl.startsWith(`https://${r.siteUrl}/${site}/lsr.php?RCID=`) &&
        hex32.test(r.downloadUrl.slice(-32)) &&
        r.playbackUrl.startsWith(`https://${r.siteUrl}/${site}/ldr.php?RCID=`) &&
        hex32.test(r.playbackUrl.slice(-32)) &&
        r.downloadUrl.slice(-32) !== r.playbackUrl.slice(-32)
      );
    });
    expect(bad).toEqual([]);
    expect(all[0]?.downloadUrl).toMatch(/^https:\/\/[a-z-]+\.webex\.com\/[a-z-]+\/lsr\.php\?RCID=[0-9a-f]{32}$/);
  });

  it('has recurring series that keep topic and host, and many one-off meetings', () => {
    const instancesBySeries = new Map<string, Set<string>>();
    const topicsBySeries = new Map<string, Set<string>>();
    for (const r of all) {
      const series = r.meetingSeriesId ?? '';
      instancesBySeries.set(series, (instancesBySeries.get(series) ?? new Set()).add(r.meetingId));
      topicsBySeries.set(series, (topicsBySeries.get(series) ?? new Set()).add(`${r.topic}|${r.hostEmail}`));
    }
    const sizes = [...instancesBySeries.values()].map((s) => s.size);
    expect(sizes.filter((n) => n >= 8).length).toBeGreaterThan(20);
    expect(share(sizes, (n) => n === 1)).toBeGreaterThan(0.5);
    expect([...topicsBySeries.values()].every((t) => t.size === 1)).toBe(true);
    expect(all.some((r) => r.topic.includes('Standup'))).toBe(true);
    expect(all.some((r) => /[^\x00-\x7f]/.test(r.topic))).toBe(true);
  });

  it('has 1–3 recordings per meeting instance', () => {
    const perInstance = [...countBy(all, (r) => r.meetingId).values()];
    expect(Math.max(...perInstance)).toBe(3);
    expect(share(perInstance, (n) => n === 1)).toBeGreaterThan(0.6);
  });
});

describe('field distributions (20,000 rows)', () => {
  it('has ~90 % available, ~8 % deleted, ~2 % purged, never admin-deleted', () => {
    expect(Math.abs(share(all, (r) => r.status === 'available') - 0.9)).toBeLessThan(0.015);
    expect(Math.abs(share(all, (r) => r.status === 'deleted') - 0.08)).toBeLessThan(0.01);
    expect(Math.abs(share(all, (r) => r.status === 'purged') - 0.02)).toBeLessThan(0.006);
    expect(all.every((r) => !r.adminDeleted)).toBe(true);
  });

  it('has ~80 % MP4, ~15 % ARF, ~5 % UPLOADED and ~10 % prevent-download', () => {
    expect(Math.abs(share(all, (r) => r.format === 'MP4') - 0.8)).toBeLessThan(0.015);
    expect(Math.abs(share(all, (r) => r.format === 'ARF') - 0.15)).toBeLessThan(0.015);
    expect(Math.abs(share(all, (r) => r.format === 'UPLOADED') - 0.05)).toBeLessThan(0.01);
    expect(Math.abs(share(all, (r) => r.preventDownload) - 0.1)).toBeLessThan(0.015);
  });

  it('has mostly MeetingCenter, then EventCenter, TrainingCenter, SupportCenter', () => {
    const s = (type: string): number => share(all, (r) => r.serviceType === type);
    expect(s('MeetingCenter')).toBeGreaterThan(0.8);
    expect(s('EventCenter')).toBeGreaterThan(s('TrainingCenter'));
    expect(s('TrainingCenter')).toBeGreaterThan(s('SupportCenter'));
    expect(s('SupportCenter')).toBeGreaterThan(0);
  });

  it('has plausible durations and sizes', () => {
    const bad = offenders(all, (r) => {
      const bytesPerMinute = r.sizeBytes / (r.durationSeconds / 60);
      return (
        Number.isInteger(r.durationSeconds) &&
        r.durationSeconds >= 300 &&
        r.durationSeconds <= 10_800 &&
        Number.isInteger(r.sizeBytes) &&
        r.sizeBytes > 0 &&
        (r.format !== 'MP4' || (bytesPerMinute >= 0.49e6 && bytesPerMinute <= 2.01e6))
      );
    });
    expect(bad).toEqual([]);
    expect(all.some((r) => r.durationSeconds > 2 * 3600)).toBe(true);
  });

  it('tags ~15 % of recordings, from both clients and without a client, shared within a meeting', () => {
    const tagged = all.filter((r) => r.integrationTags.length > 0);
    expect(Math.abs(tagged.length / all.length - 0.15)).toBeLessThan(0.03);
    const tags = tagged.flatMap((r) => r.integrationTags);
    expect(INTEGRATION_CLIENTS).toEqual(['zendesk-app', 'jira-cloud']);
    expect(tags.some((t) => t.clientId === 'zendesk-app' && /^ZD-\d+$/.test(t.tag))).toBe(true);
    expect(tags.some((t) => t.clientId === 'jira-cloud' && /^[A-Z]+-\d+$/.test(t.tag))).toBe(true);
    expect(tags.some((t) => t.clientId === null)).toBe(true);
    expect(tags.every((t) => t.tag.length <= 64 && (t.clientId === null || INTEGRATION_CLIENTS.includes(t.clientId as 'zendesk-app')))).toBe(true);
    const byMeeting = new Map<string, Recording[]>();
    for (const r of all) byMeeting.set(r.meetingId, [...(byMeeting.get(r.meetingId) ?? []), r]);
    const mixed = offenders([...byMeeting.values()], (rs) =>
      rs.every((r) => JSON.stringify(r.integrationTags) === JSON.stringify(rs[0]?.integrationTags)),
    );
    expect(mixed).toEqual([]);
    const sharedTagged = [...byMeeting.values()].filter((rs) => rs.length > 1 && (rs[0]?.integrationTags.length ?? 0) > 0);
    expect(sharedTagged.length).toBeGreaterThan(10);
  });
});

describe('toImportRecord', () => {
  it('gives the SPEC import-format object', () => {
    const tagged = all.find((r) => r.integrationTags.some((t) => t.clientId === null) && r.integrationTags.some((t) => t.clientId !== null))
      ?? all.find((r) => r.integrationTags.length > 0);
    expect(tagged).toBeDefined();
    const r = tagged as Recording;
    const record = JSON.parse(JSON.stringify(toImportRecord(r))) as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(
      [
        'id', 'meetingId', 'scheduledMeetingId', 'meetingSeriesId', 'topic', 'createTime', 'timeRecorded',
        'hostDisplayName', 'hostEmail', 'siteUrl', 'downloadUrl', 'playbackUrl', 'format', 'serviceType',
        'durationSeconds', 'sizeBytes', 'status', 'preventDownload', 'integrationTags',
      ].sort(),
    );
    expect(record.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(record.timeRecorded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(record.createTime as string)).toBe(r.createTime);
    expect(Date.parse(record.timeRecorded as string)).toBe(r.timeRecorded);
    expect(record.integrationTags).toEqual(
      r.integrationTags.map((t) => (t.clientId === null ? t.tag : { tag: t.tag, clientId: t.clientId })),
    );
    expect(record).toMatchObject({
      id: r.id, meetingId: r.meetingId, topic: r.topic, siteUrl: r.siteUrl, format: r.format,
      status: r.status, preventDownload: r.preventDownload, sizeBytes: r.sizeBytes,
    });
  });
});
