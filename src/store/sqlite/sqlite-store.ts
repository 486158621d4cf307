import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { Dataset } from '../../domain/dataset.js';
import { topicKey } from '../../domain/topic-key.js';
import type { IntegrationTag, Org, Person, Recording, TokenRecord } from '../../domain/types.js';
import type { TokenSeed } from '../../domain/dataset.js';
import type { StatusChange } from '../../domain/lifecycle.js';
import { mergeImported, planIngest, recordingKey } from '../../domain/ingest-merge.js';
import { StoreUnavailableError, type AuditContext, type AuditEntry, type IngestCounts, type IngestRecord, type LifecycleSelection, type ImportCounts, type ImportSession, type KnownEntities, RecordingPageQuery, Store, TokenWithPerson, inlinePageLimit } from '../store.js';
import { NOT_AVAILABLE, RECORDING_INDEXES, SQLITE_MIGRATIONS, TAG_INDEXES, type Migration } from './migrations.js';
import { checkAppliedMigrations, type AppliedMigration } from '../schema-check.js';
import { RecordingCache } from '../recording-cache.js';
import { auditFromRow, personFromRow, RECORDING_COLUMNS, recordingFromColumns, tokenFromRow, type AuditRow, type PersonColumns, type TokenRow } from '../rows.js';

type Statement = Database.Statement<unknown[], unknown>;

/** Page cache for bulk imports, in KiB (negative = KiB in SQLite's pragma): 1 GiB. */
const BULK_CACHE_KIB = -1_048_576;
/**
 * While deferred indexes are built: with a page cache this small (2,000 KiB is also the least
 * SQLite's sorter uses) the sorter cuts the keys into runs, written to temporary files, that
 * helper threads sort side by side; with the bulk cache one thread sorts them all in memory.
 * Measured on a 200,000-recording generate, 2 cores, 4 runs each: index builds and commit
 * 1.90–2.46 s → 1.70–1.89 s.
 */
const INDEX_BUILD_CACHE_KIB = -2_000;
const INDEX_BUILD_SORT_THREADS = Math.min(4, availableParallelism());
/** Lock waits that must not fail a whole load (its commit, the switch back to WAL). */
const PATIENT_BUSY_TIMEOUT_MS = 30_000;

interface PageStatement {
  readonly sql: string;
  readonly args: unknown[];
}

/** The clustered key of a recording, as page key reads return it: site, createTime, id. */
type PageKey = [siteUrl: string, createTime: number, id: string];
const KEY_COLUMNS = 'r.site_url, r.create_time, r.id';

/**
 * A page whose keys are all cached but this many is completed by primary-key reads; with more
 * misses it is read whole (one range read beats many point reads).
 */
const MAX_POINT_READS = 2;

/** The embedded default store: one SQLite file in WAL mode, every statement prepared once. */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private readonly recordingCache = new RecordingCache();
  /** Runs a read in one (deferred) transaction, so its statements share one snapshot. */
  private readonly inSnapshot: <T>(read: () => T) => T;

  private constructor(db: Database.Database) {
    this.db = db;
    this.fileIdentity = db.memory ? null : identityOf(db.name);
    const snapshot = db.transaction((read: () => unknown) => read());
    this.inSnapshot = <T>(read: () => T): T => snapshot(read) as T;
  }

  /** Opens (creating if needed) the database file and applies pending migrations. */
  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    // better-sqlite3 waits for a lock synchronously, so the wait must be short: a write that
    // meets a long import gets a 503 with Retry-After instead of freezing every request.
    db.pragma('busy_timeout = 100');
    // 8 KiB pages hold a page of results in one or two table pages; only takes effect on a new file.
    db.pragma('page_size = 8192');
    try {
      db.pragma('journal_mode = WAL');
    } catch (error) {
      db.close();
      if (!isBusy(error)) throw error;
      // Only a bulk load run alone leaves WAL (see beginImport), and it holds the file until it ends.
      throw new StoreUnavailableError(
        `${file} is locked by another process: most likely a first import into an empty catalogue, which holds the file until it commits. Try again when it has finished.`,
        { cause: error },
      );
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -32000');
    const store = new SqliteStore(db);
    try {
      store.applyMigrations();
    } catch (error) {
      db.close();
      throw error;
    }
    return store;
  }

  /** Versions this connection applied as it opened, until `migrate` has reported them. */
  private appliedAtOpen: number[] = [];

  /**
   * SQLite migrates as it opens (a server can never run on an old schema); this reports what
   * that opening applied, so `recvault migrate` on a new file says it created the schema.
   */
  async migrate(): Promise<number[]> {
    const applied = this.appliedAtOpen;
    this.appliedAtOpen = [];
    return applied;
  }

  /**
   * Applies the steps this file lacks. A file that is up to date is only read, so opening one
   * never waits for a writer. Otherwise each step takes the write lock, waiting as long as a
   * load's commit may (another process may be upgrading the same file), and looks again under
   * it: of two processes upgrading at once, the second finds the work done instead of failing.
   */
  private applyMigrations(): void {
    if (this.pendingMigrations().length === 0) return;
    this.patiently(() => {
      for (const migration of SQLITE_MIGRATIONS) {
        const ran = this.db.transaction(() => {
          this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
          if (!this.pendingMigrations().includes(migration)) return false;
          this.db.exec(migration.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, Date.now());
          return true;
        }).immediate();
        if (ran) this.appliedAtOpen.push(migration.version);
      }
    });
  }

  /** Runs `work` with lock waits as long as a load's commit may take, then back to the request-sized wait. */
  private patiently<T>(work: () => T): T {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${PATIENT_BUSY_TIMEOUT_MS}`);
    try {
      return work();
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** The known steps this file has not had, after checking the ones it has (see checkAppliedMigrations). */
  private pendingMigrations(): Migration[] {
    const hasTable = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
    const applied = hasTable ? (this.db.prepare('SELECT version, name FROM schema_migrations').all() as AppliedMigration[]) : [];
    checkAppliedMigrations(applied, SQLITE_MIGRATIONS, this.db.name === ':memory:' ? 'the database' : this.db.name);
    const versions = new Set(applied.map((row) => row.version));
    return SQLITE_MIGRATIONS.filter((m) => !versions.has(m.version));
  }

  /** Versions recorded in schema_migrations (all applied: SQLite migrates when it opens). */
  async appliedMigrations(): Promise<number[]> {
    return (this.stmt('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  /** Page reads return column arrays: better-sqlite3 builds row objects at twice the cost. */
  private rawStmt(sql: string): Statement {
    const key = `raw:${sql}`;
    let statement = this.statements.get(key);
    if (statement === undefined) {
      statement = this.db.prepare(sql).raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /**
   * Runs a write; a lock held by another writer past `busy_timeout` becomes a StoreUnavailableError (503).
   * This connection's own commits do not change its `data_version`, so the caches are dropped here.
   */
  private writeNow<T>(write: () => T): T {
    this.assertSameFile();
    try {
      return write();
    } catch (error) {
      if (isBusy(error)) throw new StoreUnavailableError();
      if (isStorageFault(error)) throw new StoreUnavailableError(`The catalogue cannot be written: ${(error as Error).message}.`, { cause: error });
      throw error;
    } finally {
      this.invalidateCaches();
    }
  }

  /** The file this connection opened, as (device, inode), to notice it being deleted or replaced. */
  private readonly fileIdentity: string | null;

  /**
   * SQLite keeps working on a file deleted or replaced under it (the open handle still reaches
   * the old inode), so writes would be acknowledged and then lost with the process. Checked
   * before every write and by `/readyz`, so the server reports itself unavailable instead.
   */
  private assertSameFile(): void {
    if (this.fileIdentity === null) return;
    if (identityOf(this.db.name) !== this.fileIdentity) {
      throw new StoreUnavailableError(`The database file ${this.db.name} was deleted or replaced while the server ran; restart it.`);
    }
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** For `/readyz`: the file is still the one opened, and its schema can be read. */
  async ping(): Promise<void> {
    this.assertSameFile();
    this.stmt('SELECT max(version) FROM schema_migrations').get();
  }

  async getMeta(key: string): Promise<string | null> {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /**
   * The value stored under `key`, storing `value` first when there is none. Only that first time
   * writes, so a server starting next to a long import (which holds the write lock) is not
   * stopped by it; the one write waits as patiently as a migration.
   */
  async initMeta(key: string, value: string): Promise<string> {
    const stored = await this.getMeta(key);
    if (stored !== null) return stored;
    this.patiently(() => this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value));
    return (await this.getMeta(key)) as string;
  }

  /**
   * Tokens, people and sites change rarely but are read on every request, so they are cached.
   * The cache is dropped whenever this connection writes, and whenever SQLite's `data_version`
   * says another connection (a second server process, `recvault tokens revoke`) committed — so
   * a revoked token still fails on its very next request.
   */
  private readonly principalCache = new Map<string, TokenWithPerson>();
  private readonly sitesCache = new Map<string, string[]>();
  private cachedDataVersion = -1;
  /** Prepared once, in pluck mode (not through the statement map, which a bulk load clears). */
  private dataVersionStatement: Statement | null = null;

  private freshCaches(): void {
    this.dataVersionStatement ??= this.db.prepare('PRAGMA data_version').pluck();
    const version = this.dataVersionStatement.get() as number;
    if (version !== this.cachedDataVersion) {
      this.invalidateCaches();
      this.cachedDataVersion = version;
    }
  }

  private invalidateCaches(): void {
    this.principalCache.clear();
    this.sitesCache.clear();
    this.recordingCache.clear();
  }

  async findToken(hash: Buffer): Promise<TokenWithPerson | null> {
    this.freshCaches();
    const key = hash.toString('base64');
    const cached = this.principalCache.get(key);
    if (cached !== undefined) return cached;
    const found = this.readToken(hash);
    // Misses are not cached: a spray of random tokens must not evict real callers.
    if (found === null) return null;
    if (this.principalCache.size >= 10_000) this.principalCache.clear();
    this.principalCache.set(key, found);
    return found;
  }

  private readToken(hash: Buffer): TokenWithPerson | null {
    const row = this.stmt(
      `SELECT t.id, t.token_hash, t.person_id, t.scopes, t.client_id, t.created_at, t.expires_at, t.revoked_at,
              p.org_id, p.email, p.display_name, p.site_urls, p.preferred_site_url
         FROM tokens t JOIN people p ON p.id = t.person_id WHERE t.token_hash = ?`,
    ).get(hash) as (TokenRow & PersonColumns & { token_hash: Buffer }) | undefined;
    if (row === undefined) return null;
    return {
      token: tokenFromRow(row),
      hash: row.token_hash,
      person: personFromRow({ ...row, id: row.person_id }),
      orgSiteUrls: this.cachedOrgSites(row.org_id),
    };
  }

  async orgSiteUrls(orgId: string): Promise<string[]> {
    this.freshCaches();
    return [...this.cachedOrgSites(orgId)];
  }

  /** The org's sites through the cache (callers have checked freshness). */
  private cachedOrgSites(orgId: string): readonly string[] {
    let sites = this.sitesCache.get(orgId);
    if (sites === undefined) {
      sites = (this.stmt('SELECT site_url FROM sites WHERE org_id = ? ORDER BY site_url').all(orgId) as { site_url: string }[]).map(
        (row) => row.site_url,
      );
      this.sitesCache.set(orgId, sites);
    }
    return sites;
  }

  async getOrg(orgId: string): Promise<Org | null> {
    const row = this.stmt('SELECT id, name FROM orgs WHERE id = ?').get(orgId) as Org | undefined;
    return row ?? null;
  }

  async findPerson(idOrEmail: string): Promise<Person | null> {
    const row = this.stmt(
      'SELECT id, org_id, email, display_name, site_urls, preferred_site_url FROM people WHERE id = ? OR email = ? COLLATE NOCASE',
    ).get(idOrEmail, idOrEmail) as PersonColumns & { id: string } | undefined;
    return row === undefined ? null : personFromRow(row);
  }

  /**
   * One page in (createTime desc, id desc) order. Three access paths, each a bounded read:
   * - site (+ status, + topic key): a range scan of `recordings_by_site` / `recordings_by_topic`
   *   that starts at the cursor, so page 5,000 costs what page 1 costs;
   * - `meetingId`: the union of the three meeting-id indexes, then a sort of that meeting's
   *   recordings only;
   * - `integrationTag`: the tag index, then a sort of that tag's recordings only.
   * In the last two, `+column` keeps SQLite from preferring the site index and walking the window.
   *
   * The page is read as keys first and served from the recording cache when (nearly) every key
   * is in it; otherwise the rows are read whole, as before. Everything runs in one read
   * transaction, so the cache check, the keys and the rows see the same snapshot.
   */
  async listRecordings(q: RecordingPageQuery): Promise<Recording[]> {
    return this.inSnapshot(() => {
      this.freshCaches();
      if (isMeetingOnly(q)) return this.listByMeeting(q, q.meetingId as string);
      const keyed = this.pageStatements(q, KEY_COLUMNS);
      const keys = keyed.length === 1
        ? (this.rawStmt((keyed[0] as PageStatement).sql).all(...(keyed[0] as PageStatement).args) as PageKey[])
        : pageOrder(keyed.flatMap(({ sql, args }) => this.rawStmt(sql).all(...args) as PageKey[]), q.limit);
      return this.rowsOf(keys, MAX_POINT_READS) ?? this.readPageRows(q);
    });
  }

  /** The page read whole (the first time its rows are seen); the rows join the cache. */
  private readPageRows(q: RecordingPageQuery): Recording[] {
    const statements = this.pageStatements(q, RECORDING_COLUMNS);
    const merged = new Map<string, Recording>();
    for (const { sql, args } of statements) {
      for (const row of this.rawStmt(sql).all(...args) as unknown[][]) {
        const recording = recordingFromColumns(row);
        merged.set(recording.id, recording);
      }
    }
    const page = statements.length === 1
      ? [...merged.values()]
      : [...merged.values()].sort((a, b) => b.createTime - a.createTime || compareIdsAsSqlite(b.id, a.id)).slice(0, q.limit);
    for (const recording of page) this.recordingCache.add(recording);
    return page;
  }

  /**
   * The recordings of `keys`, from the cache, reading at most `maxMisses` rows by primary key;
   * `null` when more are missing (reading the page whole is then cheaper).
   */
  private rowsOf(keys: readonly PageKey[], maxMisses: number): Recording[] | null {
    const out: Recording[] = [];
    let misses = 0;
    for (const [siteUrl, createTime, id] of keys) {
      let recording = this.recordingCache.get(siteUrl, createTime, id);
      if (recording === undefined) {
        if (++misses > maxMisses) return null;
        const row = this.rawStmt(`SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.site_url = ? AND r.create_time = ? AND r.id = ?`)
          .get(siteUrl, createTime, id) as unknown[] | undefined;
        if (row === undefined) return null;
        recording = recordingFromColumns(row);
        this.recordingCache.add(recording);
      }
      out.push(recording);
    }
    return out;
  }

  /**
   * `meetingId` alone: each meeting-id level is read in page order from its index (keys only,
   * from the cursor on, at most one page each), the keys are merged here, and only the page's
   * rows are read. The cost is a page's, however many recordings the meeting has.
   */
  private listByMeeting(q: RecordingPageQuery, meetingId: string): Recording[] {
    if (q.siteUrls.length === 0) return [];
    const keys: PageKey[] = [];
    for (const { sql, args } of this.meetingKeyStatements(q, meetingId)) keys.push(...(this.rawStmt(sql).all(...args) as PageKey[]));
    return this.rowsOf(pageOrder(keys, q.limit), Number.POSITIVE_INFINITY) as Recording[];
  }

  private meetingKeyStatements(q: RecordingPageQuery, meetingId: string): PageStatement[] {
    // The site check runs inside each scan (site_url is part of every index entry), so each
    // level's LIMIT counts only recordings the caller may see.
    return (['meeting_series_id', 'scheduled_meeting_id', 'meeting_id'] as const).map((column) => {
      const where = [`${column} = ?`, 'org_id = ?', 'status = ?', `site_url IN (${q.siteUrls.map(() => '?').join(', ')})`];
      const args: unknown[] = [meetingId, q.orgId, q.status, ...q.siteUrls];
      if (q.after !== null) {
        where.push('create_time <= ? AND (create_time < ? OR id < ?)');
        args.push(q.after.createTime, q.after.createTime, q.after.id);
      }
      const index = { meeting_series_id: 'recordings_by_series', scheduled_meeting_id: 'recordings_by_scheduled', meeting_id: 'recordings_by_instance' }[column];
      return {
        sql: `SELECT site_url, create_time, id FROM recordings INDEXED BY ${index} WHERE ${where.join(' AND ')}
          ORDER BY create_time DESC, id DESC LIMIT ${pageLimit(q)}`,
        args,
      };
    });
  }

  /** SQLite's plan for each statement of a page, for tests that guard the access paths. */
  explainPage(q: RecordingPageQuery, read: 'rows' | 'keys' = 'rows'): string[][] {
    const statements = isMeetingOnly(q)
      ? this.meetingKeyStatements(q, q.meetingId as string)
      : this.pageStatements(q, read === 'rows' ? RECORDING_COLUMNS : KEY_COLUMNS);
    return statements.map(({ sql, args }) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail),
    );
  }

  /**
   * The statements that answer one page, each reading only what the page needs:
   * - site (+ status, + topic key): a range scan of `recordings_by_site` / `recordings_by_topic`
   *   that starts at the cursor, so page 5,000 costs what page 1 costs;
   * - `meetingId`: the union of the three meeting-id indexes, then a sort of that meeting's
   *   recordings only (`+column` keeps SQLite from preferring the site index);
   * - `integrationTag` on a site: one keyset range scan of `recording_tags_keyset` per visible
   *   tag owner (client-less tags and the caller's client), merged by the caller.
   */
  private pageStatements(q: RecordingPageQuery, select: string): PageStatement[] {
    if (q.siteUrls.length === 0) return [{ sql: 'SELECT 1 WHERE 0', args: [] }];
    if (q.integrationTag !== null && q.meetingId === null && q.siteUrls.length === 1) {
      const tag = q.integrationTag;
      const owners = tag.clientId === null || tag.clientId === '' ? [''] : ['', tag.clientId];
      return owners.map((owner) => {
        const where = ['t.tag = ?', 't.client_id = ?', 't.site_url = ?', 't.status = ?', 'r.org_id = ?'];
        const args: unknown[] = [tag.tag, owner, q.siteUrls[0], q.status, q.orgId];
        this.pushCommonFilters(q, 't', (name) => `t.${name === 'id' ? 'recording_id' : name}`, where, args);
        return {
          sql: `SELECT ${select} FROM recording_tags t CROSS JOIN recordings r ON r.site_url = t.site_url AND r.create_time = t.create_time AND r.id = t.recording_id
            WHERE ${where.join(' AND ')} ORDER BY t.create_time DESC, t.recording_id DESC LIMIT ${pageLimit(q)}`,
          args,
        };
      });
    }
    const driven = q.meetingId !== null;
    const col = (name: string) => (driven ? `+r.${name}` : `r.${name}`);
    const where: string[] = ['r.org_id = ?', `${col('site_url')} IN (${q.siteUrls.map(() => '?').join(', ')})`, `${col('status')} = ?`];
    const args: unknown[] = [q.orgId, ...q.siteUrls, q.status];
    if (usesRecycleBinIndex(q)) where.push(`r.${NOT_AVAILABLE}`);
    if (q.meetingId !== null) {
      where.push(`r.id IN (SELECT id FROM recordings WHERE meeting_series_id = ?
        UNION ALL SELECT id FROM recordings WHERE scheduled_meeting_id = ?
        UNION ALL SELECT id FROM recordings WHERE meeting_id = ?)`);
      args.push(q.meetingId, q.meetingId, q.meetingId);
    }
    if (q.integrationTag !== null) {
      where.push(`EXISTS (SELECT 1 FROM recording_tags t WHERE t.org_id = r.org_id AND t.recording_id = r.id AND t.tag = ? AND t.client_id IN ('', ?))`);
      args.push(q.integrationTag.tag, q.integrationTag.clientId ?? '');
    }
    this.pushCommonFilters(q, 'r', col, where, args);
    return [{ sql: `SELECT ${select} FROM recordings r${indexHint(q)} WHERE ${where.join(' AND ')} ORDER BY r.create_time DESC, r.id DESC LIMIT ${pageLimit(q)}`, args }];
  }

  /** Window, keyset, topic, format and service type, shared by every access path. */
  private pushCommonFilters(q: RecordingPageQuery, alias: string, col: (name: string) => string, where: string[], args: unknown[]): void {
    if (q.topicKey !== null) {
      where.push(`${alias === 'r' ? col('topic_key') : 'r.topic_key'} = ?`);
      args.push(q.topicKey);
    }
    // The keyset bound comes before the window's upper end (the cursor is always inside the
    // window), so the index range begins exactly where the previous page ended.
    if (q.window !== null) {
      where.push(`${col('create_time')} >= ?`);
      args.push(q.window.from);
    }
    if (q.after !== null) {
      where.push(`${col('create_time')} <= ? AND (${col('create_time')} < ? OR ${col('id')} < ?)`);
      args.push(q.after.createTime, q.after.createTime, q.after.id);
    }
    if (q.window !== null) {
      where.push(`${col('create_time')} < ?`);
      args.push(q.window.to);
    }
    if (q.format !== null) {
      where.push('r.format = ?');
      args.push(q.format);
    }
    if (q.serviceType !== null) {
      where.push('r.service_type = ?');
      args.push(q.serviceType);
    }
  }

  async countRecordings(): Promise<number> {
    return (this.stmt('SELECT count(*) AS n FROM recordings').get() as { n: number }).n;
  }

  async getRecording(orgId: string, id: string): Promise<Recording | null> {
    const row = this.rawStmt(`SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.org_id = ? AND r.id = ?`).get(orgId, id) as unknown[] | undefined;
    return row === undefined ? null : recordingFromColumns(row);
  }

  async applyLifecycle(
    selection: LifecycleSelection,
    action: string,
    plan: (rows: Recording[]) => StatusChange[],
    audit: AuditContext,
  ): Promise<StatusChange[]> {
    return this.writeNow(() => this.db.transaction(() => {
      const rows = this.selectForLifecycle(selection);
      const changes = plan(rows);
      const update = this.stmt(
        'UPDATE recordings SET status = ?, admin_deleted = CASE WHEN ? THEN 1 ELSE admin_deleted END WHERE id = ? AND org_id = ?',
      );
      const updateTags = this.stmt('UPDATE recording_tags SET status = ? WHERE org_id = ? AND recording_id = ?');
      for (const change of changes) {
        update.run(change.to, change.adminDelete ? 1 : 0, change.id, selection.orgId);
        updateTags.run(change.to, selection.orgId, change.id);
        this.appendAudit(audit, action, change.id, change.from, change.to);
      }
      return changes;
    }).immediate());
  }

  private selectForLifecycle(selection: LifecycleSelection): Recording[] {
    if (selection.kind === 'ids') {
      if (selection.ids.length === 0) return [];
      const marks = selection.ids.map(() => '?').join(', ');
      return (
        this.rawStmt(`SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.org_id = ? AND r.id IN (${marks})`).all(
          selection.orgId,
          ...selection.ids,
        ) as unknown[][]
      ).map(recordingFromColumns);
    }
    if (selection.siteUrls.length === 0) return [];
    const marks = selection.siteUrls.map(() => '?').join(', ');
    return (
      this.rawStmt(
        // Through the recycle-bin index (its own condition spelled out, or SQLite cannot use it),
        // not the org's whole id index.
        `SELECT ${RECORDING_COLUMNS} FROM recordings r INDEXED BY recordings_by_site
          WHERE r.org_id = ? AND r.site_url IN (${marks}) AND r.status = 'deleted' AND r.${NOT_AVAILABLE}`,
      ).all(selection.orgId, ...selection.siteUrls) as unknown[][]
    ).map(recordingFromColumns);
  }

  private appendAudit(audit: AuditContext, action: string, recordingId: string, from: string | null, to: string | null): void {
    this.stmt(
      `INSERT INTO audit_log (at, org_id, person_id, token_id, action, recording_id, from_status, to_status, tracking_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(audit.at, audit.orgId, audit.personId, audit.tokenId, action, recordingId, from, to, audit.trackingId);
  }

  async ingestRecordings(records: readonly IngestRecord[], audit: AuditContext): Promise<IngestCounts> {
    return this.writeNow(() => this.db.transaction(() => {
      // Ids are unique per org: another org's recording with the same id is neither seen nor touched.
      const find = this.rawStmt(`SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.org_id = ? AND r.id = ?`);
      const stored = new Map<string, Recording>();
      for (const { recording } of records) {
        const row = find.get(recording.orgId, recording.id) as unknown[] | undefined;
        if (row !== undefined) stored.set(recordingKey(recording.orgId, recording.id), recordingFromColumns(row));
      }
      const plan = planIngest(records, stored);
      this.upsertRecordings(plan.writes);
      for (const line of plan.audit) this.appendAudit(audit, line.action, line.recordingId, line.from, line.to);
      return plan.counts;
    }).immediate());
  }

  async listAudit(since: number | null, limit: number): Promise<AuditEntry[]> {
    const rows = this.stmt(
      `SELECT seq, at, org_id, person_id, token_id, action, recording_id, from_status, to_status, tracking_id
         FROM audit_log WHERE at >= ? ORDER BY at, seq LIMIT ?`,
    ).all(since ?? 0, limit) as AuditRow[];
    return rows.map(auditFromRow);
  }

  async knownEntities(): Promise<KnownEntities> {
    const orgIds = new Set((this.stmt('SELECT id FROM orgs').all() as { id: string }[]).map((r) => r.id));
    const sites = new Map((this.stmt('SELECT site_url, org_id FROM sites').all() as { site_url: string; org_id: string }[]).map((r) => [r.site_url, r.org_id]));
    const rows = this.stmt('SELECT id, org_id, email FROM people').all() as { id: string; org_id: string; email: string }[];
    const people = new Map(rows.map((r) => [r.id, r.org_id]));
    const emails = new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
    return { orgIds, sites, people, emails };
  }

  /**
   * A streamed import in one transaction. Into an empty catalogue it is a bulk load: recordings
   * are appended to an unindexed staging table, then copied into the clustered table in key
   * order, and the secondary indexes are built once at the end — sorted builds instead of a
   * million random B-tree inserts per index. Bulk loads require unique recording ids (file
   * imports reject repeats; the generator never repeats); a repeat aborts the whole load.
   */
  async beginImport(): Promise<ImportSession> {
    const servingCache = this.db.pragma('cache_size', { simple: true }) as number;
    // Looked at again inside the transaction; this first look only decides the journal.
    const rollbackJournal = this.isCatalogueEmpty() && this.leaveWalIfAlone();
    let bulk = false;
    let deferredIndexes: string[] = [];
    this.db.pragma(`cache_size = ${BULK_CACHE_KIB}`);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      bulk = this.db.prepare('SELECT 1 FROM recordings LIMIT 1').get() === undefined;
      deferredIndexes = bulk ? [...RECORDING_INDEXES, ...TAG_INDEXES] : [];
      if (bulk) {
        for (const ddl of deferredIndexes) this.db.exec(`DROP INDEX ${indexName(ddl)}`);
        this.db.exec(`CREATE TEMP TABLE staged_recordings AS SELECT * FROM recordings WHERE 0;
          CREATE TEMP TABLE staged_tags AS SELECT * FROM recording_tags WHERE 0;`);
      }
    } catch (error) {
      // A busy database (another writer) or a failed step: nothing was changed, the connection
      // is left as it was (the rollback also brings back any index dropped above).
      this.rollBackQuietly();
      this.db.pragma(`cache_size = ${servingCache}`);
      if (bulk) this.statements.clear();
      if (rollbackJournal) this.returnToWal();
      throw error;
    }
    let open = true;
    const finish = (commit: boolean) => {
      if (!open) return;
      open = false;
      try {
        if (commit) {
          if (bulk) this.loadStaged();
          this.buildIndexes(deferredIndexes);
          if (rollbackJournal) this.commitPatiently();
          else this.db.exec('COMMIT');
          // Fold the (possibly database-sized) WAL into the file now: until it is checkpointed,
          // every page read by the server goes through the WAL index. Partial if readers are busy.
          this.db.pragma('wal_checkpoint(TRUNCATE)');
        } else {
          this.db.exec('ROLLBACK');
        }
      } catch (error) {
        this.rollBackQuietly();
        throw error;
      } finally {
        this.invalidateCaches();
        // First, so that nothing below failing can leave a serving connection (`serve --demo`) out of WAL.
        if (rollbackJournal) this.returnToWal();
        this.db.pragma(`cache_size = ${servingCache}`);
        // Dropped and rebuilt indexes invalidate prepared statements that used them.
        if (bulk) this.statements.clear();
        if (bulk) this.db.exec('DROP TABLE IF EXISTS temp.staged_recordings; DROP TABLE IF EXISTS temp.staged_tags;');
      }
    };
    return {
      // The session holds SQLite's write lock (BEGIN IMMEDIATE) already: no other session is in between.
      catalogueIsEmpty: async () => {
        if (!open) throw new Error('import session is closed');
        return this.db.prepare('SELECT 1 FROM orgs LIMIT 1').get() === undefined;
      },
      write: async (part) => {
        if (!open) throw new Error('import session is closed');
        if (!bulk) return this.writePart(part);
        this.writePart({ ...part, recordings: [] });
        this.stageRecordings(part.recordings ?? []);
      },
      commit: async () => finish(true),
      rollback: async () => finish(false),
    };
  }

  /** After a failed step: the error that ended the load is the one to report, not the rollback's. */
  private rollBackQuietly(): void {
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // SQLite rolls back itself when the connection closes; nothing more to do here.
    }
  }

  private isCatalogueEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM recordings LIMIT 1').get() === undefined;
  }

  /**
   * A load into an empty catalogue writes the whole file anew (~1.2 KB per recording). In WAL
   * mode every page is written twice, into the WAL and again into the file at the checkpoint;
   * with a rollback journal the new pages are written once and only the few pages that already
   * existed are journaled, so a failed or interrupted load still rolls back. SQLite allows the
   * switch only to a connection that has the file to itself: when a server or another command
   * has it open the load stays in WAL, as it must for their reads to go on. Processes that try to
   * open the file during the load are refused with a clear error (see `open`).
   * `synchronous = FULL` while the rollback journal is in use: with NORMAL, a power cut in that
   * mode can corrupt the pages that existed before (WAL with NORMAL only loses recent commits);
   * FULL costs a few fsyncs of a journal of a few pages.
   * Measured, 200,000 recordings generated into a fresh file, 6 runs each: the final phase
   * (copy, index builds, commit) 3.4–4.4 s in WAL, 2.4–3.1 s with the rollback journal.
   */
  private leaveWalIfAlone(): boolean {
    if (this.db.pragma('journal_mode', { simple: true }) !== 'wal') return false;
    let switched: boolean;
    try {
      switched = this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch (error) {
      if (isBusy(error)) return false; // another connection has the file open
      throw error;
    }
    if (switched) this.db.pragma('synchronous = FULL');
    return switched;
  }

  /**
   * Outside the WAL a commit needs every reader gone. No recvault process can be reading (they
   * are refused while the load runs), but another program reading the file (a backup, the
   * sqlite3 shell) would otherwise make the commit fail after 100 ms and roll the whole load back.
   */
  private commitPatiently(): void {
    this.patiently(() => this.db.exec('COMMIT'));
  }

  /**
   * Back to WAL once the load has ended, waiting longer than a request would for a process that
   * is at that moment reading the file. Never throws, so that it cannot hide the error that ended
   * the load: should the switch fail (e.g. the rollback itself failed and the transaction is
   * still open), the next process that opens the file switches it back.
   */
  private returnToWal(): void {
    try {
      this.patiently(() => {
        if (this.db.pragma('journal_mode = WAL', { simple: true }) === 'wal') this.db.pragma('synchronous = NORMAL');
      });
    } catch {
      // See above: the next open restores WAL.
    }
  }

  /** The small cache stays through the commit that follows (measured together, see the constant). */
  private buildIndexes(ddls: readonly string[]): void {
    if (ddls.length === 0) return;
    const threads = this.db.pragma('threads', { simple: true }) as number;
    this.db.pragma(`cache_size = ${INDEX_BUILD_CACHE_KIB}`);
    this.db.pragma(`threads = ${INDEX_BUILD_SORT_THREADS}`);
    try {
      for (const ddl of ddls) this.db.exec(ddl);
    } finally {
      this.db.pragma(`threads = ${threads}`);
    }
  }

  private stageRecordings(recordings: readonly Recording[]): void {
    const insert = this.stmt(
      `INSERT INTO temp.staged_recordings (id, org_id, site_url, meeting_id, scheduled_meeting_id, meeting_series_id, topic, topic_key,
         create_time, time_recorded, host_display_name, host_email, download_url, playback_url, format, service_type,
         duration_seconds, size_bytes, status, prevent_download, admin_deleted, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tag = this.stmt('INSERT INTO temp.staged_tags (org_id, recording_id, tag, client_id, site_url, status, create_time) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const r of recordings) {
      insert.run(...recordingValues(r));
      for (const t of r.integrationTags) tag.run(r.orgId, r.id, t.tag, t.clientId ?? '', r.siteUrl, r.status, r.createTime);
    }
  }

  private loadStaged(): void {
    this.invalidateCaches();
    this.db.exec(`INSERT INTO recordings SELECT * FROM temp.staged_recordings ORDER BY site_url, create_time, id;
      INSERT OR IGNORE INTO recording_tags SELECT * FROM temp.staged_tags ORDER BY tag, client_id, org_id, recording_id;`);
  }

  async importDataset(dataset: Dataset): Promise<ImportCounts> {
    try {
      this.db.transaction(() => this.writePart(dataset))();
    } finally {
      this.invalidateCaches();
    }
    return {
      orgs: dataset.orgs.length,
      sites: dataset.sites.length,
      people: dataset.people.length,
      tokens: dataset.tokens.length,
      recordings: dataset.recordings.length,
    };
  }

  private writePart(part: Partial<Dataset>): void {
    this.invalidateCaches();
    const org = this.stmt('INSERT INTO orgs (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name');
    for (const o of part.orgs ?? []) org.run(o.id, o.name);
    const site = this.stmt(
      'INSERT INTO sites (site_url, org_id) VALUES (?, ?) ON CONFLICT (site_url) DO UPDATE SET org_id = excluded.org_id',
    );
    for (const s of part.sites ?? []) site.run(s.siteUrl, s.orgId);
    const person = this.stmt(
      `INSERT INTO people (id, org_id, email, display_name, site_urls, preferred_site_url) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, email = excluded.email, display_name = excluded.display_name,
         site_urls = excluded.site_urls, preferred_site_url = excluded.preferred_site_url`,
    );
    for (const p of part.people ?? []) {
      person.run(p.id, p.orgId, p.email, p.displayName, JSON.stringify(p.siteUrls), p.preferredSiteUrl);
    }
    const token = this.stmt(
      `INSERT INTO tokens (id, token_hash, person_id, scopes, client_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET person_id = excluded.person_id, scopes = excluded.scopes,
         client_id = excluded.client_id, expires_at = excluded.expires_at`,
    );
    for (const t of part.tokens ?? []) {
      token.run(t.id, t.hash, t.personId, JSON.stringify(t.scopes), t.clientId, t.createdAt, t.expiresAt);
    }
    if (part.recordings !== undefined) this.upsertRecordings(part.recordings, true);
  }

  async insertRecordings(recordings: readonly Recording[]): Promise<void> {
    try {
      this.db.transaction(() => this.upsertRecordings(recordings))();
    } finally {
      this.invalidateCaches();
    }
  }

  /** `keepLifecycle` (file imports): a recording that already exists keeps its lifecycle state (see mergeImported). */
  private upsertRecordings(recordings: readonly Recording[], keepLifecycle = false): void {
    const upsert = this.stmt(
      `INSERT INTO recordings (id, org_id, site_url, meeting_id, scheduled_meeting_id, meeting_series_id, topic, topic_key,
         create_time, time_recorded, host_display_name, host_email, download_url, playback_url, format, service_type,
         duration_seconds, size_bytes, status, prevent_download, admin_deleted, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, id) DO UPDATE SET org_id = excluded.org_id, site_url = excluded.site_url, meeting_id = excluded.meeting_id,
         scheduled_meeting_id = excluded.scheduled_meeting_id, meeting_series_id = excluded.meeting_series_id,
         topic = excluded.topic, topic_key = excluded.topic_key, create_time = excluded.create_time,
         time_recorded = excluded.time_recorded, host_display_name = excluded.host_display_name,
         host_email = excluded.host_email, download_url = excluded.download_url, playback_url = excluded.playback_url,
         format = excluded.format, service_type = excluded.service_type, duration_seconds = excluded.duration_seconds,
         size_bytes = excluded.size_bytes, status = excluded.status, prevent_download = excluded.prevent_download,
         admin_deleted = excluded.admin_deleted, tags = excluded.tags
`,
    );
    const clearTags = this.stmt('DELETE FROM recording_tags WHERE org_id = ? AND recording_id = ?');
    const addTag = this.stmt(
      'INSERT OR IGNORE INTO recording_tags (org_id, recording_id, tag, client_id, site_url, status, create_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const stored = keepLifecycle ? this.stmt('SELECT status, admin_deleted FROM recordings WHERE org_id = ? AND id = ?') : null;
    for (const given of recordings) {
      const kept = stored?.get(given.orgId, given.id) as { status: Recording['status']; admin_deleted: number } | undefined;
      const r = kept === undefined ? given : mergeImported({ status: kept.status, adminDeleted: kept.admin_deleted !== 0 }, given);
      upsert.run(...recordingValues(r));
      clearTags.run(r.orgId, r.id);
      for (const t of r.integrationTags) addTag.run(r.orgId, r.id, t.tag, t.clientId ?? '', r.siteUrl, r.status, r.createTime);
    }
  }

  async createToken(token: TokenSeed): Promise<void> {
    this.invalidateCaches();
    this.stmt(
      'INSERT INTO tokens (id, token_hash, person_id, scopes, client_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(token.id, token.hash, token.personId, JSON.stringify(token.scopes), token.clientId, token.createdAt, token.expiresAt);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (
      this.stmt(
        'SELECT id, person_id, scopes, client_id, created_at, expires_at, revoked_at FROM tokens ORDER BY created_at, id',
      ).all() as TokenRow[]
    ).map(tokenFromRow);
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    this.invalidateCaches();
    return this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }
}

/**
 * The page size is written into the SQL: with a bound `LIMIT ?` SQLite's plan for these queries
 * reads twice as long (measured: 86 µs against 43 µs for a page of 10 on 1M rows); it adds at
 * most one statement per page size to the statement cache.
 */
const pageLimit = inlinePageLimit;

/**
 * Without statistics SQLite would walk the clustered primary key for every site query. That is
 * right for `available` (nearly every row matches) but would scan a whole window for the recycle
 * bin, purged recordings or one topic, so those name their index.
 */
function indexHint(q: RecordingPageQuery): string {
  if (q.meetingId !== null) return '';
  if (q.topicKey !== null) return ' INDEXED BY recordings_by_topic';
  if (usesRecycleBinIndex(q)) return ' INDEXED BY recordings_by_site';
  return '';
}

/** Pages read through the partial `recordings_by_site` index (which holds no available rows). */
function usesRecycleBinIndex(q: RecordingPageQuery): boolean {
  return q.meetingId === null && q.topicKey === null && q.status !== 'available';
}

/** Another connection holds a lock this one needs (past `busy_timeout`). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/** The disk or file system refuses the write (I/O error, full, read-only): the store is unavailable, not the request wrong. */
function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'));
}

/** `device:inode` of a file, or null when there is none at that path. */
function identityOf(file: string): string | null {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats === undefined ? null : `${stats.dev}:${stats.ino}`;
}

function indexName(ddl: string): string {
  return (/^CREATE INDEX (\w+) /.exec(ddl) as RegExpExecArray)[1] as string;
}

/** `meetingId` with no other filter: read through the meeting-id key indexes. */
function isMeetingOnly(q: RecordingPageQuery): boolean {
  return q.meetingId !== null && q.topicKey === null && q.format === null && q.serviceType === null && q.integrationTag === null;
}

/** Keys of several reads merged into page order (createTime desc, id desc), repeats dropped. */
function pageOrder(keys: readonly PageKey[], limit: number): PageKey[] {
  const unique = new Map<string, PageKey>();
  for (const key of keys) unique.set(`${key[0]}\u0000${key[2]}`, key);
  return [...unique.values()].sort((a, b) => b[1] - a[1] || compareIdsAsSqlite(b[2], a[2])).slice(0, limit);
}

/** SQLite's BINARY collation compares UTF-8 bytes; JavaScript compares UTF-16 code units. */
function compareIdsAsSqlite(a: string, b: string): number {
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Column values in the order of the INSERT statements above. */
function recordingValues(r: Recording): unknown[] {
  return [
    r.id, r.orgId, r.siteUrl, r.meetingId, r.scheduledMeetingId, r.meetingSeriesId, r.topic, topicKey(r.topic),
    r.createTime, r.timeRecorded, r.hostDisplayName, r.hostEmail, r.downloadUrl, r.playbackUrl, r.format,
    r.serviceType, r.durationSeconds, r.sizeBytes, r.status, r.preventDownload ? 1 : 0, r.adminDeleted ? 1 : 0,
    tagsJson(r.integrationTags),
  ];
}

function tagsJson(tags: readonly IntegrationTag[]): string {
  return JSON.stringify(tags.map((t) => [t.tag, t.clientId]));
}
