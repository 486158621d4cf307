import pg from 'pg';
import type { Dataset, TokenSeed } from '../../domain/dataset.js';
import { mergeImported, planIngest, recordingKey } from '../../domain/ingest-merge.js';
import type { StatusChange } from '../../domain/lifecycle.js';
import { topicKey } from '../../domain/topic-key.js';
import type { Org, Person, Recording, TokenRecord } from '../../domain/types.js';
import { auditFromRow, KEY_COLUMN_INDEX, personFromRow, RECORDING_COLUMNS, recordingFromColumns, tokenFromRow, type AuditRow, type PersonColumns, type TokenRow } from '../rows.js';
import { RecordingCache } from '../recording-cache.js';
import {
  StoreUnavailableError,
  type AuditContext,
  type AuditEntry,
  type ImportCounts,
  type ImportSession,
  type IngestCounts,
  type IngestRecord,
  type KnownEntities,
  type LifecycleSelection,
  type PoolStats,
  type RecordingPageQuery,
  type Store,
  type TokenWithPerson,
} from '../store.js';
import { MIGRATION_LOCK, PARTITION_LOCK, PG_MIGRATIONS, SEED_LOCK } from './migrations.js';
import { checkAppliedMigrations, type AppliedMigration } from '../schema-check.js';
import { pageSql, ROW_VERSION, type SqlStatement } from './page-sql.js';
import { partitionsFor, upcomingPartitions, type MonthPartition } from './partitions.js';
import { isUnavailable } from './pg-errors.js';
import { sha256 } from '../../domain/sha256.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema to live in (created if missing); default: the connection's search_path. */
  readonly schema?: string | undefined;
  /** Connections per pool; a store has two (named reads on one, everything else on the other). */
  readonly poolSize?: number | undefined;
  /** Drops `schema` on close (throwaway test schemas). */
  readonly dropSchemaOnClose?: boolean | undefined;
  /** Applies pending migrations on open (the default); `recvault migrate` does it explicitly. */
  readonly migrate?: boolean | undefined;
  /**
   * Runs list pages and the token lookup as named (server-side prepared) statements, planned
   * once per connection (the default). Off for a connection pooler that cannot carry them.
   */
  readonly preparedStatements?: boolean | undefined;
  /** Time limit of one statement (default 10 s), so a stuck query becomes a 503; tests shorten it. */
  readonly statementTimeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Distinct statement texts given a name: named pages come in a bounded number of shapes (path,
 * filters given, number of sites, a cursor or not), and each named statement keeps a plan on
 * every pooled connection, so past this many new shapes run unnamed.
 */
const MAX_PREPARED_STATEMENTS = 100;
/**
 * Stale plans tolerated before this process stops naming statements. A schema change under a
 * running server (a rolling upgrade's migration) makes each pooled session's plans stale once;
 * only a stream of them means something else is wrong.
 */
const MAX_STALE_PLANS = 256;

/**
 * The recording cache is emptied this often. A row version is a 32-bit transaction id, so one
 * could come round again after some four billion transactions, never within this time: a match
 * always means the very tuple that was read.
 */
const RECORDING_CACHE_LIFETIME_MS = 10 * 60_000;

/** int8 as a JavaScript number: every bigint here (epoch ms, sizes, sequence numbers) is < 2^53. */
const parseInt8 = (value: string): number => Number(value);
const TYPES = {
  // Asked for every column of every result: one parser, not a new closure each time.
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Bounded waits, so an unreachable database gives a prompt 503 instead of a hung request. */
const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 15_000;
const STATEMENT_TIMEOUT_MS = 10_000;
/** How many recordings one multi-row statement writes. */
const WRITE_BATCH = 2_000;

type Client = pg.PoolClient;
type Queryable = pg.Pool | pg.PoolClient;

const RECORDING_INSERT_COLUMNS = `id, org_id, site_url, meeting_id, scheduled_meeting_id, meeting_series_id, topic, topic_key,
  create_time, time_recorded, host_display_name, host_email, download_url, playback_url, format, service_type,
  duration_seconds, size_bytes, status, prevent_download, admin_deleted, tags`;
const RECORDING_UNNEST = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
  $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
  $17::bigint[], $18::bigint[], $19::text[], $20::boolean[], $21::boolean[], $22::text[])`;

/** Ends both pools, whether or not either fails to. */
async function endPools(...pools: (pg.Pool | null)[]): Promise<void> {
  const results = await Promise.allSettled(pools.map((pool) => pool?.end()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/**
 * Whether the server knows `plan_cache_mode` (PostgreSQL 12 and later): an unknown startup
 * option fails the connection with SQLSTATE 42704. Any other failure is the database's, and
 * is reported as such.
 */
async function acceptsPlanCacheMode(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '42704') return false;
    throw translate(error);
  }
}

/**
 * A pool of sessions with `serverOptions` (`-c name=value …`). Connections open on demand and
 * close after 30 s idle.
 */
function openPool(options: PostgresStoreOptions, serverOptions: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    options: serverOptions,
    types: TYPES,
    application_name: 'recvault',
  });
  // A connection dropped by the server must not crash the process: idle ones are reported on
  // the pool, checked-out ones on the client (the query in flight fails and becomes a 503).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/**
 * The PostgreSQL store: the same contract as the SQLite store, for catalogues shared by several
 * server instances. Recordings are partitioned by month of createTime; `recording_keys` holds
 * (org, id) → (site, createTime) so lookups by id reach one partition.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private readonly knownPartitions = new Set<string>();
  /** Statement text → its prepared-statement name (a digest of the text, see `statementName`). */
  private readonly statementNames = new Map<string, string>();
  private prepareStatements: boolean;
  private stalePlans = 0;
  /** Recordings already read, by row version (see `listRecordings`). */
  private readonly recordingCache = new RecordingCache();
  /** When the recording cache was last emptied (`performance.now()`). */
  private recordingCacheSince = performance.now();

  private constructor(
    private readonly pool: pg.Pool,
    /** Sessions that run the named statements; `null` when they are turned off. */
    private readonly planOncePool: pg.Pool | null,
    private readonly options: PostgresStoreOptions,
  ) {
    this.prepareStatements = planOncePool !== null;
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const searchPath = schema === undefined ? '' : ` -c search_path=${schema}`;
    // Server options given in the URL (`?options=-c search_path=…`) are kept; ours are added.
    const urlOptions = urlServerOptions(options.connectionString);
    const serverOptions = `${urlOptions}-c statement_timeout=${options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS}${searchPath}`;
    const pool = openPool(options, serverOptions);
    // Every named statement has its generic plan checked by the EXPLAIN tests, so its sessions
    // take that plan from the first call: in the default mode PostgreSQL keeps planning a site
    // page per call (its custom plans look cheaper than the generic one), which cost more than
    // running it. The other statements keep the default mode, on sessions of their own.
    let planOncePool = options.preparedStatements === false ? null : openPool(options, `${serverOptions} -c plan_cache_mode=force_generic_plan`);
    try {
      if (planOncePool !== null && !(await acceptsPlanCacheMode(planOncePool))) {
        // A server before PostgreSQL 12 has no plan_cache_mode: every statement runs unnamed there.
        await planOncePool.end();
        planOncePool = null;
      }
      const store = new PostgresStore(pool, planOncePool, options);
      // A cached recording is matched by its row version (a transaction id). Ids are reissued
      // after a failover to a replica that missed the last transactions, or a restore: both
      // break every connection, so a new connection starts the cache afresh.
      for (const each of [pool, planOncePool]) each?.on('connect', () => store.recordingCache.clear());
      // IF NOT EXISTS is not safe against a concurrent CREATE SCHEMA; the migration lock is.
      if (schema !== undefined) {
        await store.transaction(async (client) => {
          await takeLockWithoutTimeout(client, MIGRATION_LOCK);
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        });
      }
      if (options.migrate !== false) await store.migrate();
      return store;
    } catch (error) {
      await endPools(pool, planOncePool);
      throw error;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Applies pending migrations in one transaction under a transaction-scoped advisory lock
   * (PostgreSQL DDL is transactional: all steps land or none; and no session state is needed,
   * so this works through PgBouncer in transaction mode), then makes sure this month's and the
   * next two months' partitions exist. Returns the versions it applied.
   */
  async migrate(): Promise<number[]> {
    const applied = await this.transaction(async (client) => {
      await takeLockWithoutTimeout(client, MIGRATION_LOCK);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
      const recorded = (await client.query<AppliedMigration>('SELECT version, name FROM schema_migrations')).rows;
      checkAppliedMigrations(recorded, PG_MIGRATIONS, 'the database');
      const done = new Set(recorded.map((r) => r.version));
      const versions: number[] = [];
      for (const migration of PG_MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
        versions.push(migration.version);
      }
      return versions;
    });
    await this.ensurePartitions(upcomingPartitions(this.now(), 2));
    return applied;
  }

  /** Versions recorded in schema_migrations. */
  async appliedMigrations(): Promise<number[]> {
    const rows = await this.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    return rows.map((r) => r.version);
  }

  async close(): Promise<void> {
    if (this.options.dropSchemaOnClose === true && this.options.schema !== undefined) {
      await this.pool.query(`DROP SCHEMA IF EXISTS ${this.options.schema} CASCADE`).catch(() => undefined);
    }
    await endPools(this.pool, this.planOncePool);
  }

  /** Both pools: list pages and token lookups depend on the named one, the rest on the other. */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
    if (this.planOncePool !== null && this.prepareStatements) await this.query('SELECT 1', [], this.planOncePool);
  }

  /** Pool usage, for metrics: `named` runs the plan-once statements, `other` everything else. */
  poolStats(): Record<string, PoolStats> {
    const stats = (pool: pg.Pool): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return this.planOncePool === null ? { other: stats(this.pool) } : { named: stats(this.planOncePool), other: stats(this.pool) };
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R[]> {
    try {
      return (await on.query<R>(text, values)).rows;
    } catch (error) {
      throw this.translateWrite(error);
    }
  }

  /**
   * A row with no partition for its month means the partition this process remembers was
   * detached (archived) since: forget what it knows, and answer 503 so the retry recreates it.
   */
  private translateWrite(error: unknown): unknown {
    const { code } = error as { code?: unknown };
    if (code === '23514' && /no partition of relation/.test(String((error as Error).message))) {
      this.knownPartitions.clear();
      return new StoreUnavailableError('A monthly partition was missing and is being recreated; retry shortly.', { cause: error });
    }
    return translate(error);
  }

  private async queryArrays(statement: SqlStatement, on: Queryable = this.pool): Promise<unknown[][]> {
    try {
      return (await on.query({ text: statement.text, values: statement.values, rowMode: 'array' })).rows as unknown[][];
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * A hot read, as a named statement when its plan can be reused (`reusablePlan`), on the
   * sessions that keep the generic plan: PostgreSQL then plans it once per connection instead
   * of on every call. Planning cost more than running: a meeting-id or tag page is a union over
   * every monthly partition (measured on 1M recordings: 4.2 → 0.9 ms per meeting page, 3.6 →
   * 0.65 ms per tag page), and a site page's plan weighs every partition before pruning (0.67 →
   * 0.26 ms). If the server reports the name unknown or already taken — a transaction-mode
   * pooler that does not track prepared statements — this process stops naming statements and
   * runs the query again unnamed, on the ordinary sessions. A plan made stale by a schema change
   * costs the same retry, and naming goes on (see MAX_STALE_PLANS).
   */
  private async queryPrepared<R extends pg.QueryResultRow>(statement: SqlStatement, rowMode?: 'array'): Promise<R[]> {
    const name = statement.reusablePlan === true ? this.statementName(statement.text) : undefined;
    const config = { text: statement.text, values: statement.values, ...(rowMode === undefined ? {} : { rowMode }) };
    try {
      if (name === undefined || this.planOncePool === null) return (await this.pool.query<R>(config)).rows;
      try {
        return (await this.planOncePool.query<R>({ ...config, name })).rows;
      } catch (error) {
        const { code } = error as { code?: unknown };
        if (code === '0A000') {
          // A cached plan whose result type changed under it (a column altered while running).
          // The pool has closed the session that held it (a failed query's client is not
          // reused), and the next session prepares afresh: naming goes on.
          if (++this.stalePlans > MAX_STALE_PLANS) this.prepareStatements = false;
        } else if (code === '26000' || code === '42P05') {
          // Unknown name, or name taken by a pooler's other connection: sessions cannot be
          // trusted to keep statements, so this process stops naming them.
          this.prepareStatements = false;
        } else {
          throw error;
        }
        return (await this.pool.query<R>(config)).rows;
      }
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Named after a digest of the text, so a name always means the same SQL, even where several
   * processes share server connections through a pooler.
   */
  private statementName(text: string): string | undefined {
    if (!this.prepareStatements) return undefined;
    let name = this.statementNames.get(text);
    if (name === undefined) {
      if (this.statementNames.size >= MAX_PREPARED_STATEMENTS) return undefined;
      name = `rv_${sha256(text).toString('base64url').slice(0, 24)}`;
      this.statementNames.set(text, name);
    }
    return name;
  }

  private async connect(): Promise<Client> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw translate(error);
    }
  }

  /** Runs `work` in one transaction; connection failures become StoreUnavailableError (503). */
  private async transaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = error instanceof StoreUnavailableError || isUnavailable(error);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw translate(error);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Creates the monthly partitions that rows are about to need. Each is created as a plain table
   * and then attached, which locks the parent only against other attaches (SHARE UPDATE
   * EXCLUSIVE), so readers and writers carry on; an advisory lock serializes instances.
   */
  private async ensurePartitions(partitions: readonly MonthPartition[]): Promise<void> {
    const missing = partitions.filter((p) => !this.knownPartitions.has(p.name));
    if (missing.length === 0) return;
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const existing = new Set(
        (
          await client.query<{ name: string }>(
            `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'recordings'::regclass`,
          )
        ).rows.map((r) => r.name),
      );
      for (const p of missing) {
        if (existing.has(p.name)) continue;
        await client.query(`CREATE TABLE ${p.name} (LIKE recordings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await client.query(`ALTER TABLE recordings ATTACH PARTITION ${p.name} FOR VALUES FROM (${p.from}) TO (${p.to})`);
      }
      await client.query('COMMIT');
      for (const p of missing) this.knownPartitions.add(p.name);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw translate(error);
    } finally {
      client.release();
    }
  }

  // ---- meta and principals -----------------------------------------------------------------

  async getMeta(key: string): Promise<string | null> {
    const rows = await this.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async initMeta(key: string, value: string): Promise<string> {
    await this.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getMeta(key)) as string;
  }

  /**
   * Read on every request and never cached: another instance may have revoked the token a
   * moment ago, and one indexed lookup is cheaper than keeping caches coherent across servers.
   */
  async findToken(hash: Buffer): Promise<TokenWithPerson | null> {
    const rows = await this.queryPrepared<TokenRow & PersonColumns & { token_hash: Buffer; org_site_urls: string[] }>({
      text: `SELECT t.id, t.token_hash, t.person_id, t.scopes, t.client_id, t.created_at, t.expires_at, t.revoked_at,
              p.org_id, p.email, p.display_name, p.site_urls, p.preferred_site_url,
              ARRAY(SELECT s.site_url FROM sites s WHERE s.org_id = p.org_id ORDER BY s.site_url) AS org_site_urls
         FROM tokens t JOIN people p ON p.id = t.person_id WHERE t.token_hash = $1`,
      values: [hash],
      // Two unique-key lookups: any plan of it is the right one.
      reusablePlan: true,
    });
    const row = rows[0];
    if (row === undefined) return null;
    return { token: tokenFromRow(row), hash: row.token_hash, person: personFromRow({ ...row, id: row.person_id }), orgSiteUrls: row.org_site_urls };
  }

  async orgSiteUrls(orgId: string): Promise<string[]> {
    const rows = await this.query<{ site_url: string }>('SELECT site_url FROM sites WHERE org_id = $1 ORDER BY site_url', [orgId]);
    return rows.map((r) => r.site_url);
  }

  async getOrg(orgId: string): Promise<Org | null> {
    const rows = await this.query<Org>('SELECT id, name FROM orgs WHERE id = $1', [orgId]);
    return rows[0] ?? null;
  }

  async findPerson(idOrEmail: string): Promise<Person | null> {
    const rows = await this.query<PersonColumns & { id: string }>(
      'SELECT id, org_id, email, display_name, site_urls, preferred_site_url FROM people WHERE id = $1 OR lower(email) = lower($1) ORDER BY (id = $1) DESC LIMIT 1',
      [idOrEmail],
    );
    return rows[0] === undefined ? null : personFromRow(rows[0]);
  }

  // ---- reads -------------------------------------------------------------------------------

  /**
   * A page in one statement. Each row comes with its version, and a recording already read at
   * that version is reused as it was converted (and rendered: see domain/item-json.ts).
   */
  async listRecordings(q: RecordingPageQuery): Promise<Recording[]> {
    const rows = await this.queryPrepared<unknown[]>(pageSql(q), 'array');
    const now = performance.now();
    if (now - this.recordingCacheSince > RECORDING_CACHE_LIFETIME_MS) {
      this.recordingCache.clear();
      this.recordingCacheSince = now;
    }
    return rows.map((row) => {
      const version = row[ROW_VERSION];
      // Every page statement selects PAGE_COLUMNS; without the version nothing could be reused safely.
      if (typeof version !== 'string' || row.length !== ROW_VERSION + 1) throw new Error('a page row without its row version');
      const known = this.recordingCache.get(row[KEY_COLUMN_INDEX.siteUrl] as string, row[KEY_COLUMN_INDEX.createTime] as number, row[KEY_COLUMN_INDEX.id] as string, version);
      if (known !== undefined) return known;
      const recording = recordingFromColumns(row);
      this.recordingCache.add(recording, version);
      return recording;
    });
  }

  /** PostgreSQL's plan for a page, for tests that guard the access paths. */
  async explainPage(q: RecordingPageQuery, plan: 'custom' | 'generic' = 'custom'): Promise<string> {
    const { text, values } = pageSql(q);
    if (plan === 'custom') {
      const rows = await this.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    }
    // The plan a named statement settles on after its first executions: prepared, then forced
    // generic, with the values written in as literals (EXECUTE takes no bound parameters).
    const client = await this.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE rv_explain AS ${text}`);
      const literal = (value: unknown): string =>
        Array.isArray(value) ? `ARRAY[${value.map(literal).join(', ')}]::text[]`
          : typeof value === 'number' ? String(value)
            : client.escapeLiteral(String(value));
      const rows = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE rv_explain(${values.map(literal).join(', ')})`)).rows;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      // Only this statement: the connection returns to the pool, and pg remembers the named
      // statements it prepared there.
      await client.query('DEALLOCATE rv_explain; RESET plan_cache_mode').catch(() => undefined);
      client.release();
    }
  }

  async countRecordings(): Promise<number> {
    const rows = await this.query<{ n: number }>('SELECT count(*)::bigint AS n FROM recordings');
    return rows[0]?.n ?? 0;
  }

  async getRecording(orgId: string, id: string): Promise<Recording | null> {
    const rows = await this.queryArrays(byIds(orgId, [id], false));
    return rows[0] === undefined ? null : recordingFromColumns(rows[0]);
  }

  // ---- lifecycle, ingest, audit ------------------------------------------------------------

  async applyLifecycle(
    selection: LifecycleSelection,
    action: string,
    plan: (rows: Recording[]) => StatusChange[],
    audit: AuditContext,
  ): Promise<StatusChange[]> {
    return this.transaction(async (client) => {
      const statement =
        selection.kind === 'ids'
          ? byIds(selection.orgId, selection.ids, true)
          : {
              text: `SELECT ${RECORDING_COLUMNS} FROM recordings r
                WHERE r.org_id = $1 AND r.site_url = ANY($2::text[]) AND r.status = 'deleted' FOR UPDATE`,
              values: [selection.orgId, selection.siteUrls],
            };
      const rows = (await this.queryArrays(statement, client)).map(recordingFromColumns);
      const changes = plan(rows);
      if (changes.length === 0) return changes;
      const byId = new Map(rows.map((r) => [r.id, r]));
      // One exact statement per row: the full key prunes to one partition and one index probe
      // (a join against an unnest would let the planner scan every partition).
      for (const change of changes) {
        const row = byId.get(change.id) as Recording;
        await this.query(
          'UPDATE recordings SET status = $4, admin_deleted = admin_deleted OR $5 WHERE site_url = $1 AND create_time = $2 AND id = $3',
          [row.siteUrl, row.createTime, row.id, change.to, change.adminDelete],
          client,
        );
      }
      for (const [to, ids] of groupBy(changes, (c) => c.to, (c) => c.id)) {
        await this.query('UPDATE recording_tags SET status = $1 WHERE org_id = $2 AND recording_id = ANY($3::text[])', [to, selection.orgId, ids], client);
      }
      await this.appendAudit(client, audit, changes.map((c) => ({ action, recordingId: c.id, from: c.from, to: c.to })));
      return changes;
    });
  }

  private async appendAudit(client: Client, audit: AuditContext, entries: readonly { action: string; recordingId: string; from: string | null; to: string | null }[]): Promise<void> {
    if (entries.length === 0) return;
    // WITH ORDINALITY keeps the entries' order in the sequence numbers.
    await this.query(
      `INSERT INTO audit_log (at, org_id, person_id, token_id, action, recording_id, from_status, to_status, tracking_id)
       SELECT $1, $2, $3, $4, e.action, e.recording_id, e.from_status, e.to_status, $5
         FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS e(action, recording_id, from_status, to_status, n)
        ORDER BY e.n`,
      [
        audit.at, audit.orgId, audit.personId, audit.tokenId, audit.trackingId,
        entries.map((e) => e.action), entries.map((e) => e.recordingId), entries.map((e) => e.from), entries.map((e) => e.to),
      ],
      client,
    );
  }

  async ingestRecordings(records: readonly IngestRecord[], audit: AuditContext): Promise<IngestCounts> {
    await this.ensurePartitions(partitionsFor(records.map((r) => r.recording.createTime)));
    return this.transaction(async (client) => {
      await this.lockOrgs(client, records.map((r) => r.recording.orgId));
      // Reads what is stored for these ids (locked for the transaction), then decides in the domain.
      const stored = new Map<string, Recording>();
      for (const [orgId, ids] of groupBy(records, (r) => r.recording.orgId, (r) => r.recording.id)) {
        for (let i = 0; i < ids.length; i += WRITE_BATCH) {
          for (const row of await this.queryArrays(byIds(orgId, ids.slice(i, i + WRITE_BATCH), true), client)) {
            const existing = recordingFromColumns(row);
            stored.set(recordingKey(existing.orgId, existing.id), existing);
          }
        }
      }
      const plan = planIngest(records, stored);
      for (let i = 0; i < plan.writes.length; i += WRITE_BATCH) await this.upsertRecordings(client, plan.writes.slice(i, i + WRITE_BATCH));
      await this.appendAudit(client, audit, plan.audit);
      return plan.counts;
    });
  }

  async listAudit(since: number | null, limit: number): Promise<AuditEntry[]> {
    const rows = await this.query<AuditRow>(
      `SELECT seq, at, org_id, person_id, token_id, action, recording_id, from_status, to_status, tracking_id
         FROM audit_log WHERE at >= $1 ORDER BY at, seq LIMIT $2`,
      [since ?? 0, limit],
    );
    return rows.map(auditFromRow);
  }

  // ---- imports and tokens ------------------------------------------------------------------

  async knownEntities(): Promise<KnownEntities> {
    const orgIds = new Set((await this.query<{ id: string }>('SELECT id FROM orgs')).map((r) => r.id));
    const sites = new Map((await this.query<{ site_url: string; org_id: string }>('SELECT site_url, org_id FROM sites')).map((r) => [r.site_url, r.org_id]));
    const people = await this.query<{ id: string; org_id: string; email: string }>('SELECT id, org_id, email FROM people');
    return {
      orgIds,
      sites,
      people: new Map(people.map((r) => [r.id, r.org_id])),
      emails: new Map(people.map((r) => [r.email.toLowerCase(), r.id])),
    };
  }

  async beginImport(): Promise<ImportSession> {
    const client = await this.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    } catch (error) {
      client.release(true);
      throw translate(error);
    }
    let open = true;
    const finish = async (commit: boolean) => {
      if (!open) return;
      open = false;
      let broken = false;
      try {
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      } catch (error) {
        broken = isUnavailable(error);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw translate(error);
      } finally {
        client.release(broken);
      }
    };
    return {
      catalogueIsEmpty: async () => {
        if (!open) throw new Error('import session is closed');
        try {
          // Held until this transaction ends (READ COMMITTED, see BEGIN: the next statement shows what a
          // seeder before us committed); waiting for that seeder is not bound by the statement timeout.
          await takeLockWithoutTimeout(client, SEED_LOCK);
          const { rows } = await client.query('SELECT NOT EXISTS (SELECT 1 FROM orgs) AS empty');
          return (rows[0] as { empty: boolean }).empty;
        } catch (error) {
          await finish(false).catch(() => undefined);
          throw translate(error);
        }
      },
      write: async (part) => {
        if (!open) throw new Error('import session is closed');
        // Partitions are attached from another connection: this transaction holds only row locks on the parent.
        await this.ensurePartitions(partitionsFor((part.recordings ?? []).map((r) => r.createTime)));
        try {
          await this.writePart(client, part);
        } catch (error) {
          await finish(false).catch(() => undefined);
          throw error;
        }
      },
      commit: () => finish(true),
      rollback: () => finish(false),
    };
  }

  async importDataset(dataset: Dataset): Promise<ImportCounts> {
    await this.ensurePartitions(partitionsFor(dataset.recordings.map((r) => r.createTime)));
    await this.transaction((client) => this.writePart(client, dataset));
    return {
      orgs: dataset.orgs.length,
      sites: dataset.sites.length,
      people: dataset.people.length,
      tokens: dataset.tokens.length,
      recordings: dataset.recordings.length,
    };
  }

  async insertRecordings(recordings: readonly Recording[]): Promise<void> {
    await this.ensurePartitions(partitionsFor(recordings.map((r) => r.createTime)));
    await this.transaction((client) => this.upsertRecordings(client, recordings));
  }

  private async writePart(client: Client, part: Partial<Dataset>): Promise<void> {
    const orgs = part.orgs ?? [];
    if (orgs.length > 0) {
      await this.query(
        `INSERT INTO orgs (id, name) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
        [orgs.map((o) => o.id), orgs.map((o) => o.name)],
        client,
      );
    }
    const sites = part.sites ?? [];
    if (sites.length > 0) {
      await this.query(
        `INSERT INTO sites (site_url, org_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (site_url) DO UPDATE SET org_id = excluded.org_id`,
        [sites.map((s) => s.siteUrl), sites.map((s) => s.orgId)],
        client,
      );
    }
    for (const p of part.people ?? []) {
      await this.query(
        `INSERT INTO people (id, org_id, email, display_name, site_urls, preferred_site_url) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, email = excluded.email, display_name = excluded.display_name,
           site_urls = excluded.site_urls, preferred_site_url = excluded.preferred_site_url`,
        [p.id, p.orgId, p.email, p.displayName, JSON.stringify(p.siteUrls), p.preferredSiteUrl],
        client,
      );
    }
    for (const t of part.tokens ?? []) {
      await this.query(
        `INSERT INTO tokens (id, token_hash, person_id, scopes, client_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (token_hash) DO UPDATE SET person_id = excluded.person_id, scopes = excluded.scopes,
           client_id = excluded.client_id, expires_at = excluded.expires_at`,
        [t.id, t.hash, t.personId, JSON.stringify(t.scopes), t.clientId, t.createdAt, t.expiresAt],
        client,
      );
    }
    const recordings = part.recordings ?? [];
    for (let i = 0; i < recordings.length; i += WRITE_BATCH) await this.upsertRecordings(client, recordings.slice(i, i + WRITE_BATCH), true);
  }

  /**
   * One writer of recordings per org at a time, across instances (transaction-scoped advisory
   * locks, taken in a fixed order; re-taking one in the same transaction is free). Without it an
   * import and an ingest creating the same new id with different createTimes at once would both
   * insert, under different primary keys. SQLite gets the same from its single writer.
   */
  private async lockOrgs(client: Client, orgIds: readonly string[]): Promise<void> {
    for (const orgId of [...new Set(orgIds)].sort()) {
      await this.query("SELECT pg_advisory_xact_lock(hashtext('recvault.recordings:' || $1))", [orgId], client);
    }
  }

  /**
   * Upserts by (org, id), last occurrence winning, like SQLite's row-by-row upsert. A recording
   * whose site or createTime changed moves: its old row (in its old partition) is deleted first.
   * `keepLifecycle` (file imports): an existing recording keeps its lifecycle state (see mergeImported).
   */
  private async upsertRecordings(client: Client, input: readonly Recording[], keepLifecycle = false): Promise<void> {
    if (input.length === 0) return;
    const last = new Map<string, Recording>();
    for (const r of input) last.set(recordingKey(r.orgId, r.id), r);
    const orgIds = [...last.values()].map((r) => r.orgId);
    await this.lockOrgs(client, orgIds);
    const ids = [...last.values()].map((r) => r.id);
    // Which of these already exist, and where (primary-key probes of recording_keys).
    const existing = await this.query<{ org_id: string; id: string; site_url: string; create_time: number; status: Recording['status'] | null; admin_deleted: boolean | null }>(
      `SELECT k.org_id, k.id, k.site_url, k.create_time, r.status, r.admin_deleted FROM unnest($1::text[], $2::text[]) AS u(org_id, id)
         JOIN recording_keys k ON k.org_id = u.org_id AND k.id = u.id
         LEFT JOIN recordings r ON r.site_url = k.site_url AND r.create_time = k.create_time AND r.id = k.id`,
      [orgIds, ids],
      client,
    );
    if (keepLifecycle) {
      for (const old of existing) {
        if (old.status === null) continue;
        const key = recordingKey(old.org_id, old.id);
        last.set(key, mergeImported({ status: old.status, adminDeleted: old.admin_deleted === true }, last.get(key) as Recording));
      }
    }
    // In input order (a Map keeps first-insertion order), each key once, as `orgIds` and `ids`.
    const recordings = [...last.values()];
    // A recording whose site or createTime changed moves: delete its old row first. Rare, so one
    // exact statement per row (the full key lets the planner prune to one partition).
    for (const old of existing) {
      const next = last.get(recordingKey(old.org_id, old.id)) as Recording;
      if (next.siteUrl === old.site_url && next.createTime === old.create_time) continue;
      await this.query('DELETE FROM recordings WHERE site_url = $1 AND create_time = $2 AND id = $3', [old.site_url, old.create_time, old.id], client);
    }
    await this.query(
      `INSERT INTO recordings (${RECORDING_INSERT_COLUMNS}) SELECT * FROM ${RECORDING_UNNEST}
       ON CONFLICT (site_url, create_time, id) DO UPDATE SET org_id = excluded.org_id, meeting_id = excluded.meeting_id,
         scheduled_meeting_id = excluded.scheduled_meeting_id, meeting_series_id = excluded.meeting_series_id,
         topic = excluded.topic, topic_key = excluded.topic_key, time_recorded = excluded.time_recorded,
         host_display_name = excluded.host_display_name, host_email = excluded.host_email,
         download_url = excluded.download_url, playback_url = excluded.playback_url, format = excluded.format,
         service_type = excluded.service_type, duration_seconds = excluded.duration_seconds, size_bytes = excluded.size_bytes,
         status = excluded.status, prevent_download = excluded.prevent_download, admin_deleted = excluded.admin_deleted,
         tags = excluded.tags`,
      recordingArrays(recordings),
      client,
    );
    await this.query(
      `INSERT INTO recording_keys (org_id, id, site_url, create_time) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (org_id, id) DO UPDATE SET site_url = excluded.site_url, create_time = excluded.create_time`,
      [orgIds, ids, recordings.map((r) => r.siteUrl), recordings.map((r) => r.createTime)],
      client,
    );
    // Only recordings that existed can have tag rows to replace.
    for (const [orgId, idsOfOrg] of groupBy(existing, (k) => k.org_id, (k) => k.id)) {
      await this.query('DELETE FROM recording_tags WHERE org_id = $1 AND recording_id = ANY($2::text[])', [orgId, idsOfOrg], client);
    }
    const tagged = recordings.flatMap((r) => r.integrationTags.map((t) => ({ r, t })));
    if (tagged.length > 0) {
      await this.query(
        `INSERT INTO recording_tags (org_id, recording_id, tag, client_id, site_url, status, create_time)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
         ON CONFLICT DO NOTHING`,
        [
          tagged.map(({ r }) => r.orgId), tagged.map(({ r }) => r.id), tagged.map(({ t }) => t.tag), tagged.map(({ t }) => t.clientId ?? ''),
          tagged.map(({ r }) => r.siteUrl), tagged.map(({ r }) => r.status), tagged.map(({ r }) => r.createTime),
        ],
        client,
      );
    }
  }

  async createToken(token: TokenSeed): Promise<void> {
    await this.query(
      'INSERT INTO tokens (id, token_hash, person_id, scopes, client_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [token.id, token.hash, token.personId, JSON.stringify(token.scopes), token.clientId, token.createdAt, token.expiresAt],
    );
  }

  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.query<TokenRow>('SELECT id, person_id, scopes, client_id, created_at, expires_at, revoked_at FROM tokens ORDER BY created_at, id');
    return rows.map(tokenFromRow);
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    const result = await this.pool.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]).catch((error: unknown) => {
      throw translate(error);
    });
    return (result.rowCount ?? 0) > 0;
  }
}

function groupBy<T, K, V>(items: readonly T[], key: (item: T) => K, value: (item: T) => V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [value(item)]);
    else group.push(value(item));
  }
  return groups;
}

/** Recordings by id through `recording_keys`, so each lookup reaches one partition. */
function byIds(orgId: string, ids: readonly string[], forUpdate: boolean): SqlStatement {
  return {
    text: `SELECT ${RECORDING_COLUMNS} FROM recording_keys k
      JOIN recordings r ON r.site_url = k.site_url AND r.create_time = k.create_time AND r.id = k.id
      WHERE k.org_id = $1 AND k.id = ANY($2::text[])${forUpdate ? ' FOR UPDATE' : ''}`,
    values: [orgId, ids],
  };
}

function recordingArrays(recordings: readonly Recording[]): unknown[] {
  const columns: unknown[][] = Array.from({ length: 22 }, () => []);
  for (const r of recordings) {
    const values = [
      r.id, r.orgId, r.siteUrl, r.meetingId, r.scheduledMeetingId, r.meetingSeriesId, r.topic, topicKey(r.topic),
      r.createTime, r.timeRecorded, r.hostDisplayName, r.hostEmail, r.downloadUrl, r.playbackUrl, r.format,
      r.serviceType, r.durationSeconds, r.sizeBytes, r.status, r.preventDownload, r.adminDeleted,
      JSON.stringify(r.integrationTags.map((t) => [t.tag, t.clientId])),
    ];
    values.forEach((v, i) => (columns[i] as unknown[]).push(v));
  }
  return columns;
}

/**
 * A transaction-scoped advisory lock (migrations, seeding an empty catalogue), and no statement
 * timeout for the rest of the transaction: a migration step may rebuild an index of a large
 * catalogue, a seed load thousands of rows, and an instance starting meanwhile waits for that on
 * the lock; neither is bound by a request's statement timeout.
 */
async function takeLockWithoutTimeout(client: Client, key: number): Promise<void> {
  await client.query('SET LOCAL statement_timeout = 0');
  await client.query('SELECT pg_advisory_xact_lock($1)', [key]);
}

function urlServerOptions(connectionString: string): string {
  try {
    const given = new URL(connectionString).searchParams.get('options');
    return given === null || given.trim() === '' ? '' : `${given.trim()} `;
  } catch {
    return '';
  }
}

function translate(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (!isUnavailable(error)) return error;
  return new StoreUnavailableError('The catalogue database is unavailable; retry shortly.', { cause: error });
}
