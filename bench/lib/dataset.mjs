// The benchmark dataset: a generated SQLite database cached under bench/.cache/, the bench
// personas (admin, compliance officer, zendesk-app CO) imported into it, and the ids/filters the
// cases use, picked from the data with plain SQL and cached next to the database.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { runCommand } from './proc.mjs';

const PICKS_VERSION = 3;
const DAY_MS = 86_400_000;

/** Bench personas; the secrets are fixed so a cached database keeps working. */
export const TOKENS = {
  co: 'recvault-bench-compliance-officer-0001',
  coZendesk: 'recvault-bench-compliance-zendesk-0001',
  admin: 'recvault-bench-admin-all-sites-0001',
};

export function dbFiles(file) {
  return [file, `${file}-wal`, `${file}-shm`];
}

export function removeDb(file) {
  for (const f of dbFiles(file)) rmSync(f, { force: true });
}

function short(n) {
  return n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export function datasetName({ recordings, days, seed }) {
  return `bench-${short(recordings)}-${days}d-s${seed}`;
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The people/tokens import document for the org that owns `site`. */
export function personasDocument(orgId, orgSites, site) {
  return {
    people: [
      { id: 'bench-admin', email: 'bench-admin@bench.invalid', displayName: 'Bench Admin', orgId, siteUrls: orgSites, preferredSiteUrl: site },
      { id: 'bench-co', email: 'bench-co@bench.invalid', displayName: 'Bench Compliance Officer', orgId, siteUrls: [site], preferredSiteUrl: site },
    ],
    tokens: [
      { token: TOKENS.co, personId: 'bench-co', scopes: ['spark-compliance:meetings_read', 'meeting:admin_preferences_read'] },
      { token: TOKENS.coZendesk, personId: 'bench-co', scopes: ['spark-compliance:meetings_read'], clientId: 'zendesk-app' },
      { token: TOKENS.admin, personId: 'bench-admin', scopes: ['meeting:admin_recordings_read', 'meeting:admin_preferences_read'] },
    ],
  };
}

/**
 * Generates (or reuses) the database and returns {dbFile, meta}. `meta.picks` holds the window,
 * ids and filters of the cases. `recvault` is the argv prefix that runs the CLI.
 */
export async function prepareDataset({ cacheDir, recordings, days, seed, recvault }) {
  const name = datasetName({ recordings, days, seed });
  const dbFile = join(cacheDir, `${name}.db`);
  const metaFile = join(cacheDir, `${name}.meta.json`);
  let meta = existsSync(metaFile) && existsSync(dbFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : null;
  const save = () => writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);

  if (meta === null || meta.prepared !== true) {
    removeDb(dbFile);
    rmSync(metaFile, { force: true });
    log(`generating ${recordings} recordings over ${days} days (seed ${seed}) into ${dbFile} — this takes a few minutes the first time`);
    const gen = await runCommand(recvault[0], [...recvault.slice(1), 'generate', '--recordings', String(recordings), '--days', String(days), '--seed', String(seed), '--db', dbFile]);
    if (gen.code !== 0) throw new Error(`generate failed (${gen.code}):\n${gen.stderr}`);
    log(gen.stderr.trim().split('\n').at(-1) ?? '');

    const { site, orgId, orgSites } = largestSite(dbFile);
    const peopleFile = join(cacheDir, `${name}.people.json`);
    writeFileSync(peopleFile, `${JSON.stringify(personasDocument(orgId, orgSites, site), null, 2)}\n`);
    const imp = await runCommand(recvault[0], [...recvault.slice(1), 'import', peopleFile, '--db', dbFile]);
    if (imp.code !== 0) throw new Error(`import of bench people failed (${imp.code}):\n${imp.stderr}`);
    meta = {
      prepared: true,
      params: { recordings, days, seed },
      generatedAt: new Date().toISOString(),
      generateSeconds: Math.round(gen.seconds * 10) / 10,
      generateLog: gen.stderr.trim().split('\n').at(-1) ?? '',
    };
    save();
  }
  if (meta.picksVersion !== PICKS_VERSION) {
    log('picking case parameters from the data (ids, topic, tag, window)…');
    meta.picks = pickCaseParameters(dbFile);
    meta.picksVersion = PICKS_VERSION;
    delete meta.deepPage;
    save();
  }
  return { dbFile, metaFile, meta, save };
}

function largestSite(dbFile) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const top = db.prepare('SELECT site_url AS site, count(*) AS n FROM recordings GROUP BY site_url ORDER BY n DESC, site_url LIMIT 1').get();
    const { org_id: orgId } = db.prepare('SELECT org_id FROM sites WHERE site_url = ?').get(top.site);
    const orgSites = db.prepare('SELECT site_url FROM sites WHERE org_id = ? ORDER BY site_url').all(orgId).map((r) => r.site_url);
    return { site: top.site, orgId, orgSites, rows: top.n };
  } finally {
    db.close();
  }
}

const iso = (ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The window, ids and filters every case uses, chosen from the data so each case returns a full page. */
export function pickCaseParameters(dbFile) {
  const { site, orgId, orgSites, rows } = largestSite(dbFile);
  const db = new Database(dbFile, { readonly: true });
  try {
    const one = (sql, ...args) => db.prepare(sql).get(...args);
    // 30 days ending just after the site's newest recording. `from` is the later of "30 days
    // before" in UTC and in America/New_York, so the same window is valid in both zones
    // (a DST change inside the window would otherwise make it 30 days + 1 h in one of them).
    const newest = one('SELECT max(create_time) AS t FROM recordings WHERE site_url = ?', site).t;
    const to = Math.floor(newest / 1000) * 1000 + 1000;
    const fromUtc = to - 30 * DAY_MS;
    const fromNy = DateTime.fromMillis(to, { zone: 'America/New_York' }).minus({ days: 30 }).toMillis();
    const from = Math.max(fromUtc, fromNy);
    const inWindow = (status) =>
      one('SELECT count(*) AS n FROM recordings WHERE site_url = ? AND status = ? AND create_time >= ? AND create_time < ?', site, status, from, to).n;
    const mostRecorded = (column, where) =>
      one(
        `SELECT ${column} AS id, count(*) AS n FROM recordings WHERE org_id = ? AND status = 'available' AND ${column} IS NOT NULL ${where}
          GROUP BY ${column} ORDER BY n DESC, max(create_time) DESC, ${column} LIMIT 1`,
        orgId,
        ...(where === '' ? [] : [site]),
      );
    const series = mostRecorded('meeting_series_id', '');
    const scheduled = mostRecorded('scheduled_meeting_id', 'AND site_url = ?');
    const instance = mostRecorded('meeting_id', 'AND site_url = ?');
    const topic = one(
      `SELECT topic_key AS key, min(topic) AS topic, count(*) AS n FROM recordings
        WHERE site_url = ? AND status = 'available' AND create_time >= ? AND create_time < ?
        GROUP BY topic_key ORDER BY n DESC, topic_key LIMIT 1`,
      site, from, to,
    );
    const tag = one(
      `SELECT t.tag AS tag, count(*) AS n FROM recording_tags t
        WHERE t.client_id = 'zendesk-app' AND t.site_url = ? AND t.status = 'available' AND t.create_time >= ? AND t.create_time < ?
        GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT 1`,
      site, from, to,
    );
    return {
      site,
      orgId,
      orgSites,
      siteRows: rows,
      window: { from: iso(from), to: iso(to), fromMs: from, toMs: to },
      windowAvailable: inWindow('available'),
      windowDeleted: inWindow('deleted'),
      meetingSeries: series,
      scheduledMeeting: scheduled,
      meetingInstance: instance,
      topic,
      zendeskTag: tag,
    };
  } finally {
    db.close();
  }
}

/** Writes the orgs and sites of `dbFile` as an import document (for the NDJSON import benchmark). */
export function worldDocument(dbFile) {
  const db = new Database(dbFile, { readonly: true });
  try {
    return {
      orgs: db.prepare('SELECT id, name FROM orgs ORDER BY id').all(),
      sites: db.prepare('SELECT site_url AS siteUrl, org_id AS orgId FROM sites ORDER BY site_url').all(),
    };
  } finally {
    db.close();
  }
}

/**
 * Exports every recording of `dbFile` as NDJSON in the SPEC import format (used to load the very
 * same data into PostgreSQL). Returns the number of lines written.
 */
export function exportNdjson(dbFile, outFile) {
  const db = new Database(dbFile, { readonly: true });
  const fd = openSync(outFile, 'w');
  let n = 0;
  try {
    let chunk = [];
    const flush = () => {
      if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    };
    for (const r of db.prepare('SELECT * FROM recordings ORDER BY site_url, create_time, id').iterate()) {
      const rec = {
        id: r.id,
        meetingId: r.meeting_id,
        ...(r.scheduled_meeting_id === null ? {} : { scheduledMeetingId: r.scheduled_meeting_id }),
        ...(r.meeting_series_id === null ? {} : { meetingSeriesId: r.meeting_series_id }),
        topic: r.topic,
        createTime: iso(r.create_time),
        timeRecorded: iso(r.time_recorded),
        hostDisplayName: r.host_display_name,
        hostEmail: r.host_email,
        siteUrl: r.site_url,
        downloadUrl: r.download_url,
        playbackUrl: r.playback_url,
        format: r.format,
        serviceType: r.service_type,
        durationSeconds: r.duration_seconds,
        sizeBytes: r.size_bytes,
        status: r.status,
        preventDownload: r.prevent_download === 1,
        integrationTags: JSON.parse(r.tags).map(([tag, clientId]) => (clientId === null ? tag : { tag, clientId })),
      };
      chunk.push(JSON.stringify(rec));
      n++;
      if (chunk.length === 5000) flush();
    }
    flush();
  } finally {
    closeSync(fd);
    db.close();
  }
  return n;
}
