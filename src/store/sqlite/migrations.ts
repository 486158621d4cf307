/**
 * Versioned schema of the SQLite store. Each step runs once, in order, in its own transaction;
 * applied versions are recorded in `schema_migrations`. Never edit a released step: add one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The condition of the partial recycle-bin index, written the same way in its queries. */
export const NOT_AVAILABLE = "status <> 'available'";

/**
 * The recycle bin and purged recordings only (about a tenth of the rows): an `available` page
 * walks the clustered primary key, which is in the same order. Queries that use it must carry
 * the literal term `status <> 'available'` (SQLite's test for a usable partial index).
 */
const RECYCLE_BIN_INDEX = `CREATE INDEX recordings_by_site ON recordings (site_url, status, create_time, id) WHERE ${NOT_AVAILABLE}`;

/** The secondary recording indexes as version 1 created them (a released step never changes). */
const V1_RECORDING_INDEXES: readonly string[] = [
  'CREATE INDEX recordings_by_site ON recordings (site_url, status, create_time, id)',
  'CREATE INDEX recordings_by_topic ON recordings (site_url, status, topic_key, create_time, id)',
  'CREATE INDEX recordings_by_instance ON recordings (meeting_id, org_id, status, create_time, id)',
  'CREATE INDEX recordings_by_scheduled ON recordings (scheduled_meeting_id, org_id, status, create_time, id)',
  'CREATE INDEX recordings_by_series ON recordings (meeting_series_id, org_id, status, create_time, id)',
];

/**
 * Secondary indexes of the current schema. A bulk load into an empty table drops them and builds
 * them once at the end (a sorted build instead of a million random inserts per index).
 */
export const RECORDING_INDEXES: readonly string[] = [
  RECYCLE_BIN_INDEX,
  'CREATE INDEX recordings_by_topic ON recordings (site_url, status, topic_key, create_time, id)',
  // Meeting-id indexes end in (create_time, id): each level is read in page order and merged.
  'CREATE INDEX recordings_by_instance ON recordings (meeting_id, org_id, status, create_time, id)',
  'CREATE INDEX recordings_by_scheduled ON recordings (scheduled_meeting_id, org_id, status, create_time, id)',
  'CREATE INDEX recordings_by_series ON recordings (meeting_series_id, org_id, status, create_time, id)',
];
export const TAG_INDEXES: readonly string[] = [
  'CREATE INDEX recording_tags_keyset ON recording_tags (tag, client_id, site_url, status, create_time, recording_id)',
  'CREATE INDEX recording_tags_by_recording ON recording_tags (org_id, recording_id)',
];

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE sites (
        site_url TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id)
      ) WITHOUT ROWID;
      CREATE INDEX sites_by_org ON sites (org_id, site_url);
      CREATE TABLE people (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        email TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        site_urls TEXT NOT NULL,            -- JSON array of administered sites
        preferred_site_url TEXT
      ) WITHOUT ROWID;
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        token_hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the secret; the secret is never stored
        person_id TEXT NOT NULL REFERENCES people(id),
        scopes TEXT NOT NULL,               -- JSON array
        client_id TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER
      ) WITHOUT ROWID;
      -- Clustered by (site, createTime, id): the rows of one page sit next to each other on disk,
      -- so a page of 10 reads one or two table pages however large the table grows.
      CREATE TABLE recordings (
        site_url TEXT NOT NULL,
        create_time INTEGER NOT NULL,       -- UTC epoch milliseconds
        id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        meeting_id TEXT NOT NULL,
        scheduled_meeting_id TEXT,
        meeting_series_id TEXT,
        topic TEXT NOT NULL,
        topic_key TEXT NOT NULL,            -- NFC + case-folded topic, see domain/topic-key.ts
        time_recorded INTEGER NOT NULL,     -- UTC epoch milliseconds
        host_display_name TEXT NOT NULL,
        host_email TEXT NOT NULL,
        download_url TEXT NOT NULL,
        playback_url TEXT NOT NULL,
        format TEXT NOT NULL,
        service_type TEXT NOT NULL,
        duration_seconds INTEGER NOT NULL,
        size_bytes INTEGER NOT NULL,
        status TEXT NOT NULL,
        prevent_download INTEGER NOT NULL,
        admin_deleted INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]',    -- JSON [[tag, clientId|null], ...], read with the row
        PRIMARY KEY (site_url, create_time, id),
        UNIQUE (org_id, id)                 -- ids are unique per org; orgs never see each other's
      ) WITHOUT ROWID;
      -- One index per access path, each ending in (create_time, id) so a page is a bounded
      -- range scan whatever its depth.
      ${V1_RECORDING_INDEXES.map((index) => `${index};`).join('\n      ')}
      -- Tag rows carry the recording's site, status, createTime and id (kept in step on every
      -- write) so a tag filter pages by keyset like the site path does.
      CREATE TABLE recording_tags (
        tag TEXT NOT NULL,
        client_id TEXT NOT NULL DEFAULT '', -- '' = created without a client, visible to all
        org_id TEXT NOT NULL,
        recording_id TEXT NOT NULL,
        site_url TEXT NOT NULL,
        status TEXT NOT NULL,
        create_time INTEGER NOT NULL,
        PRIMARY KEY (tag, client_id, org_id, recording_id),
        FOREIGN KEY (org_id, recording_id) REFERENCES recordings (org_id, id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      ${TAG_INDEXES.map((index) => `${index};`).join('\n      ')}
    `,
  },
  {
    version: 2,
    name: 'audit-log',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,                -- UTC epoch milliseconds
        org_id TEXT NOT NULL,
        person_id TEXT,
        token_id TEXT,
        action TEXT NOT NULL,               -- softDelete, restore, purge, adminDelete, ingest.create, ingest.update
        recording_id TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        tracking_id TEXT
      );
      CREATE INDEX audit_log_by_time ON audit_log (at, seq);
      -- Append-only: the trail must not be rewritten, not even by the application.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'partial-recycle-bin-index',
    // Nine rows in ten are available and never read through this index: leaving them out makes
    // every write and bulk load cheaper and the file ~6 % smaller (1M recordings: 70 → 7 MB).
    sql: `
      DROP INDEX recordings_by_site;
      ${RECYCLE_BIN_INDEX};
    `,
  },
];
