/**
 * Versioned schema of the PostgreSQL store. Steps run once, in order, each in its own
 * transaction, under an advisory lock so that several instances starting together apply each
 * step exactly once. Never edit a released step: add one.
 *
 * Identifiers and keys use the "C" collation: ids and topics then sort and compare by code
 * point (byte order in UTF-8), exactly like SQLite's BINARY collation, so both engines page
 * in the same order and accept each other's cursors.
 */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Advisory-lock keys (arbitrary, fixed): one for migrations, one for partition creation, one for seeding an empty catalogue. */
export const MIGRATION_LOCK = 7_301_2024;
export const PARTITION_LOCK = 7_301_2025;
export const SEED_LOCK = 7_301_2026;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'catalog',
    sql: `
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE orgs (id text COLLATE "C" PRIMARY KEY, name text NOT NULL);
      CREATE TABLE sites (
        site_url text COLLATE "C" PRIMARY KEY,
        org_id text COLLATE "C" NOT NULL REFERENCES orgs (id)
      );
      CREATE INDEX sites_by_org ON sites (org_id, site_url);
      CREATE TABLE people (
        id text COLLATE "C" PRIMARY KEY,
        org_id text COLLATE "C" NOT NULL REFERENCES orgs (id),
        email text NOT NULL UNIQUE,
        display_name text NOT NULL,
        site_urls text NOT NULL,              -- JSON array of administered sites
        preferred_site_url text
      );
      CREATE INDEX people_by_email ON people (lower(email));
      CREATE TABLE tokens (
        id text PRIMARY KEY,
        token_hash bytea NOT NULL UNIQUE,     -- SHA-256 of the secret; the secret is never stored
        person_id text COLLATE "C" NOT NULL REFERENCES people (id),
        scopes text NOT NULL,                 -- JSON array
        client_id text,
        created_at bigint NOT NULL,
        expires_at bigint,
        revoked_at bigint
      );
      -- Partitioned by month of createTime (UTC epoch milliseconds): old months can be
      -- detached and archived whole, and a window query touches one or two partitions.
      -- The primary key leads with the site so each partition is read by (site, time) ranges.
      CREATE TABLE recordings (
        site_url text COLLATE "C" NOT NULL,
        create_time bigint NOT NULL,
        id text COLLATE "C" NOT NULL,
        org_id text COLLATE "C" NOT NULL,
        meeting_id text COLLATE "C" NOT NULL,
        scheduled_meeting_id text COLLATE "C",
        meeting_series_id text COLLATE "C",
        topic text NOT NULL,
        topic_key text COLLATE "C" NOT NULL,  -- NFC + case-folded topic, see domain/topic-key.ts
        time_recorded bigint NOT NULL,
        host_display_name text NOT NULL,
        host_email text NOT NULL,
        download_url text NOT NULL,
        playback_url text NOT NULL,
        format text COLLATE "C" NOT NULL,
        service_type text COLLATE "C" NOT NULL,
        duration_seconds bigint NOT NULL,
        size_bytes bigint NOT NULL,
        status text COLLATE "C" NOT NULL,
        prevent_download boolean NOT NULL,
        admin_deleted boolean NOT NULL DEFAULT false,
        tags text NOT NULL DEFAULT '[]',      -- JSON [[tag, clientId|null], ...], read with the row
        PRIMARY KEY (site_url, create_time, id)
      ) PARTITION BY RANGE (create_time);
      -- One index per access path, each ending in (create_time, id): a page is a bounded
      -- backward range scan from the cursor, whatever its depth.
      CREATE INDEX recordings_by_site ON recordings (site_url, status, create_time, id);
      CREATE INDEX recordings_by_topic ON recordings (site_url, status, topic_key, create_time, id);
      CREATE INDEX recordings_by_instance ON recordings (meeting_id, org_id, status, create_time, id);
      CREATE INDEX recordings_by_scheduled ON recordings (scheduled_meeting_id, org_id, status, create_time, id);
      CREATE INDEX recordings_by_series ON recordings (meeting_series_id, org_id, status, create_time, id);
      -- A partitioned table cannot enforce uniqueness without the partition key, so ids are
      -- unique per org here; this table is also how a recording is found by id alone.
      CREATE TABLE recording_keys (
        org_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        site_url text COLLATE "C" NOT NULL,
        create_time bigint NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      -- Tag rows carry the recording's site, status, createTime and id (kept in step on every
      -- write) so a tag filter pages by keyset like the site path does.
      CREATE TABLE recording_tags (
        tag text COLLATE "C" NOT NULL,
        client_id text COLLATE "C" NOT NULL DEFAULT '',  -- '' = created without a client
        org_id text COLLATE "C" NOT NULL,
        recording_id text COLLATE "C" NOT NULL,
        site_url text COLLATE "C" NOT NULL,
        status text COLLATE "C" NOT NULL,
        create_time bigint NOT NULL,
        PRIMARY KEY (tag, client_id, org_id, recording_id)
      );
      CREATE INDEX recording_tags_keyset ON recording_tags (tag, client_id, site_url, status, create_time, recording_id);
      CREATE INDEX recording_tags_by_recording ON recording_tags (org_id, recording_id);
    `,
  },
  {
    version: 2,
    name: 'audit-log',
    sql: `
      CREATE TABLE audit_log (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at bigint NOT NULL,
        org_id text NOT NULL,
        person_id text,
        token_id text,
        action text NOT NULL,
        recording_id text NOT NULL,
        from_status text,
        to_status text,
        tracking_id text
      );
      CREATE INDEX audit_log_by_time ON audit_log (at, seq);
      -- Append-only: the trail must not be rewritten, not even by the application.
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    version: 3,
    name: 'topic-index-by-hash',
    // A B-tree entry holds at most about 2.7 KB, and a topic may have 2,048 characters (up to
    // 8 KB of UTF-8): such a recording could not be written (a 500). The index keeps a 64-bit
    // hash of the topic key instead (`hashtextextended`: built in, immutable, and not a
    // cryptographic digest, so it also works where FIPS mode disables md5); queries match the
    // hash, then the key itself. The new index is built before the old one is dropped, so reads
    // go on during the build (CREATE INDEX blocks writes only) and the exclusive lock of the
    // drop lasts until the commit that follows at once. (Migrations run without the pool's
    // statement timeout, which a large catalogue's index build would exceed.)
    sql: `
      CREATE INDEX recordings_by_topic_hash ON recordings (site_url, status, hashtextextended(topic_key, 0), create_time, id);
      DROP INDEX recordings_by_topic;
      ALTER INDEX recordings_by_topic_hash RENAME TO recordings_by_topic;
    `,
  },
];
